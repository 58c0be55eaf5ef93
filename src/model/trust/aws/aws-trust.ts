import { AWS_TAG_KEYS } from "../../contract/aws-session-tags.ts";
import { clientSubject } from "../../contract/subject.ts";
import { isRfc9068 } from "../../contract/token-dialect.ts";
import { cloudApi, workloadsUsing } from "../../environment/clouds.ts";
import type { Environment } from "../../environment/environment.ts";
import { workloadKey } from "../../environment/names.ts";

/** An IAM policy document, as AWS reads it. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: { readonly Federated: string };
    readonly Action?: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly NotResource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
  }[];
}

/**
 * IAM condition keys of an OIDC provider: its URL without `https://`, the path and trailing
 * slash kept (`https://acme.auth0.com/` gives `acme.auth0.com/:sub`).
 */
export function awsConditionKeyPrefix(issuer: string): string {
  return issuer.replace(/^https:\/\//, "");
}

/** The AWS partition of a region: `aws`, `aws-cn` or `aws-us-gov`. */
export function awsPartition(region: string): string {
  return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/**
 * The ARN IAM gives the environment's OIDC provider: `arn:{partition}:iam::{account}:oidc-provider/`
 * followed by the provider URL without `https://`, path and trailing slash kept, as in its
 * condition keys. Computed rather than read from the created provider so that every trust
 * policy is known at preview. UNCONFIRMED: that IAM keeps the trailing slash of an Auth0 issuer
 * in the ARN; the Pulumi program compares this with the ARN IAM returns and fails the update
 * when they differ.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export function awsOidcProviderArn(env: Environment): string {
  const aws = env.clouds.aws;
  if (!aws) throw new Error("AWS is not on for this environment");
  return `arn:${awsPartition(aws.region)}:iam::${aws.accountId}:oidc-provider/${awsConditionKeyPrefix(env.issuer)}`;
}

/** The ARN IAM gave the provider, when it is the one the roles trust; else an error that says so. */
export function confirmedOidcProviderArn(env: Environment, actual: string): string {
  const expected = awsOidcProviderArn(env);
  if (actual !== expected)
    throw new Error(
      `IAM named the OIDC provider ${actual}, but the roles trust ${expected}: report this, since no role would accept a token`,
    );
  return actual;
}

/** The IAM OIDC provider of an environment. */
export interface AwsOidcProviderSpec {
  /** The issuer exactly, trailing slash included. No thumbprints: IAM trusts Auth0's CA. */
  readonly url: string;
  /**
   * The AWS API identifier and, unless that API uses the rfc9068 dialect (no `azp`), every AWS
   * workload's client id: STS may check `azp` instead of `aud` (UNCONFIRMED for non-Google
   * issuers, so both readings must pass).
   */
  readonly clientIdList: readonly string[];
}

/** Whether STS can see `azp` in this environment's AWS tokens (not with the rfc9068 dialect). */
export function awsTokensCarryAzp(env: Environment): boolean {
  const api = cloudApi(env, "aws");
  return api !== undefined && !isRfc9068(api);
}

/** The provider of `env`, with `clientIds` keyed by `tenant/workload`. */
export function awsOidcProvider(
  env: Environment,
  clientIds: Readonly<Record<string, string>>,
): AwsOidcProviderSpec {
  const api = cloudApi(env, "aws");
  if (!api) throw new Error("AWS is not on for this environment");
  const workloads = awsTokensCarryAzp(env)
    ? workloadsUsing(env, "aws").map(({ tenant, workload }) =>
        requireId(clientIds, workloadKey(tenant.id, workload.name)),
      )
    : [];
  return { url: env.issuer, clientIdList: [api.identifier, ...workloads] };
}

/**
 * The trust policy of one workload's role: `sts:AssumeRoleWithWebIdentity` and `sts:TagSession`
 * only with the workload's exact subject, an audience that is its client id (STS reading `azp`)
 * or the AWS API identifier (reading `aud`), and the tenant's and workload's session tags, which
 * the tenant-claims Action sets only on tokens minted for the AWS API. Never `:oaud`.
 */
export function awsTrustPolicy(
  env: Environment,
  tenantId: string,
  workload: string,
  ids: { readonly clientId: string; readonly providerArn: string },
): PolicyDocument {
  const api = cloudApi(env, "aws");
  if (!api) throw new Error("AWS is not on for this environment");
  const prefix = awsConditionKeyPrefix(env.issuer);
  const audiences = awsTokensCarryAzp(env) ? [ids.clientId, api.identifier] : [api.identifier];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WorkloadWebIdentity",
        Effect: "Allow",
        Principal: { Federated: ids.providerArn },
        Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        Condition: {
          StringEquals: {
            [`${prefix}:sub`]: clientSubject(ids.clientId),
            [`${prefix}:aud`]: audiences,
            [`aws:RequestTag/${AWS_TAG_KEYS.tenantId}`]: tenantId,
            [`aws:RequestTag/${AWS_TAG_KEYS.workload}`]: workload,
          },
        },
      },
    ],
  };
}

function requireId(ids: Readonly<Record<string, string>>, key: string): string {
  const id = ids[key];
  if (id === undefined) throw new Error(`no client id for ${key}`);
  return id;
}
