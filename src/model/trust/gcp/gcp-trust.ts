import { CLIENT_SUBJECT_SUFFIX, clientSubject } from "../../contract/subject.ts";
import { cloudApi } from "../../environment/clouds.ts";
import type { Environment } from "../../environment/environment.ts";
import {
  gcpPoolId,
  gcpServiceAccountId,
  workloadKey,
  workloadResourceName,
} from "../../environment/names.ts";
import type { GcpCloudConfig, WorkloadConfig } from "../../environment/schema.ts";
import { gcpPoolResourceName, gcpProviderResourceName, gcpSubjectPrincipalOf } from "./gcp-principal.ts";

/** The subject token type of the credential configuration and of the executable's response. */
export const GCP_SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

/** The workload identity pool provider of an environment, as GCP takes it. */
export interface GcpProviderSpec {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly poolId: string;
  readonly providerId: string;
  /** Equal to the tokens' `iss`, trailing slash included. */
  readonly issuerUri: string;
  /** The GCP API identifier only: a token minted for another API is refused. */
  readonly allowedAudiences: readonly string[];
  /** CEL: google.subject from `sub`, the tenant attributes from the namespaced claims. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  /** CEL: without one GCP accepts every token of the issuer; this one needs the tenant claim and a client subject. */
  readonly attributeCondition: string;
}

/** The attributes the provider maps, which principal sets and conditions could name. */
export const GCP_ATTRIBUTES = {
  tenantId: "attribute.tenant_id",
  workload: "attribute.workload",
  clientId: "attribute.client_id",
} as const;

function gcpOf(env: Environment): GcpCloudConfig {
  const gcp = env.clouds.gcp;
  if (!gcp) throw new Error("GCP is not on for this environment");
  return gcp;
}

/** The provider of `env`. */
export function gcpProvider(env: Environment): GcpProviderSpec {
  const gcp = gcpOf(env);
  const api = cloudApi(env, "gcp");
  if (!api) throw new Error("GCP has no API in this environment");
  const tenantClaim = env.claims.tenantId;
  return {
    projectId: gcp.projectId,
    projectNumber: gcp.projectNumber,
    poolId: gcpPoolId(env.name, gcp.poolId).value,
    providerId: gcp.providerId,
    issuerUri: env.issuer,
    allowedAudiences: [api.identifier],
    attributeMapping: {
      "google.subject": "assertion.sub",
      [GCP_ATTRIBUTES.tenantId]: `assertion['${tenantClaim}']`,
      [GCP_ATTRIBUTES.workload]: `assertion['${env.claims.workload}']`,
      // The rfc9068 dialect carries client_id instead of azp.
      [GCP_ATTRIBUTES.clientId]: "has(assertion.azp) ? assertion.azp : assertion.client_id",
    },
    // Not gty: the rfc9068 dialects drop it.
    attributeCondition: `'${tenantClaim}' in assertion && assertion.sub.endsWith('${CLIENT_SUBJECT_SUFFIX}')`,
  };
}

/** `projects/NUM/locations/global/workloadIdentityPools/POOL`. */
export function gcpPoolResource(env: Environment): string {
  const p = gcpProvider(env);
  return gcpPoolResourceName(p.projectNumber, p.poolId);
}

/** The principal of one workload: its exact subject, which nobody can change. */
export function gcpSubjectPrincipal(env: Environment, clientId: string): string {
  return gcpSubjectPrincipalOf(gcpPoolResource(env), clientSubject(clientId));
}

/** The audience of the STS exchange: the provider's full resource name. */
export function gcpProviderAudience(env: Environment): string {
  return gcpProviderResourceName(gcpPoolResource(env), gcpProvider(env).providerId);
}

/** The email of a tenant's service account. */
export function gcpServiceAccountEmail(env: Environment, tenantId: string): string {
  return `${gcpServiceAccountId(env.name, tenantId).value}@${gcpOf(env).projectId}.iam.gserviceaccount.com`;
}

/** Where `m2m token` reads a workload's secret or key from. */
export type TokenCredential = { readonly env: string } | { readonly file: string };

/** The workload's token credential source, or its default. */
export function tokenCredentialOf(workload: {
  readonly authentication: { readonly method: string };
  readonly tokenCredential?: TokenCredential;
}): TokenCredential {
  if (workload.tokenCredential) return workload.tokenCredential;
  return workload.authentication.method === "private_key_jwt"
    ? { file: "/var/run/secrets/m2m/private-key.pem" }
    : { env: "M2M_CLIENT_SECRET" };
}

/** The default folder of the executable's output files on the workloads' machines. */
export function gcpExecutableOutputFolder(env: Environment): string {
  return gcpOf(env).executableOutputFolder ?? `/tmp/m2m-${env.name}-gcp`;
}

/** What the credential configuration of a workload needs besides the model. */
export interface GcpCredentialInputs {
  /** The workload's Auth0 client id (the client's Output in the program). */
  readonly clientId: string;
  /**
   * The absolute path of `bin/m2m.js` where the program runs, used unless the model's
   * `clouds.gcp.m2mPath` says where the workloads' machines have it.
   */
  readonly defaultM2mPath: string;
}

/** A command-line word: Google's libraries split the command on spaces and strip quotes. */
const COMMAND_WORD = /^[^\s"']+$/;

/**
 * The external_account credential configuration of one workload. Google's client libraries run
 * its command on the workload's machine, which has neither the stack file nor this repository,
 * so the command is the absolute path of the installed `bin/m2m.js` (never `npx m2m`: without a
 * terminal npx installs whatever registry package is named `m2m`) and carries every non-secret
 * input: issuer, client id, the GCP API as audience, the authentication method and where the
 * secret or key is read (`tokenCredential`), never the secret itself. Its `output_file` lies in a
 * folder `m2m token` creates 0700.
 */
export function gcpCredentialConfiguration(
  env: Environment,
  tenantId: string,
  workload: {
    readonly name: string;
    readonly authentication: WorkloadConfig["authentication"];
    readonly tokenCredential?: TokenCredential;
    readonly gcp?: { readonly impersonateServiceAccount: boolean };
  },
  inputs: GcpCredentialInputs,
): Record<string, unknown> {
  const api = cloudApi(env, "gcp");
  if (!api) throw new Error("GCP has no API in this environment");
  const source = tokenCredentialOf(workload);
  const auth = workload.authentication;
  const words = [
    gcpOf(env).m2mPath ?? inputs.defaultM2mPath,
    "token",
    "--format",
    "gcp-executable",
    "--workload",
    workloadKey(tenantId, workload.name),
    "--issuer",
    env.issuer,
    "--client-id",
    inputs.clientId,
    "--audience",
    api.identifier,
    "--auth-method",
    auth.method,
    ...("env" in source ? ["--credential-env", source.env] : ["--credential-file", source.file]),
    ...(auth.method === "private_key_jwt" ? ["--key-alg", auth.keys[0]?.algorithm ?? "RS256"] : []),
  ];
  const bad = words.find((word) => !COMMAND_WORD.test(word));
  if (bad !== undefined)
    throw new Error(
      `${JSON.stringify(bad)} cannot be part of the GCP credential configuration's command (spaces and quotes split it): use a value without them`,
    );
  if (!words[0]?.startsWith("/"))
    throw new Error(
      `the m2m path ${words[0]} must be an absolute POSIX path (Google's libraries spawn it without a shell): set clouds.gcp.m2mPath to where the workloads' machines have bin/m2m.js`,
    );
  return {
    type: "external_account",
    audience: gcpProviderAudience(env),
    subject_token_type: GCP_SUBJECT_TOKEN_TYPE,
    token_url: "https://sts.googleapis.com/v1/token",
    credential_source: {
      executable: {
        command: words.join(" "),
        timeout_millis: 30_000,
        output_file: `${gcpExecutableOutputFolder(env).replace(/\/+$/, "")}/${workloadResourceName(tenantId, workload.name)}.json`,
      },
    },
    ...(workload.gcp?.impersonateServiceAccount
      ? {
          service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${gcpServiceAccountEmail(env, tenantId)}:generateAccessToken`,
        }
      : {}),
  };
}
