// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${...} in plain strings

/**
 * The permissions boundary of a tenant's AWS roles, generated from the tenant's own resource
 * patterns and the shared entries, so that whatever a user attaches (AWS managed policies whose
 * content is not known offline included) reaches nothing of another tenant's.
 *
 * Within one account an implicit deny in a boundary does not limit resource-based policies that
 * name the role session, so confinement is an explicit Deny on everything outside the tenant's own
 * and shared resources (NotResource), beside the Allow that bounds identity policies:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

import type { Environment } from "../../environment/environment.ts";
import { awsBoundaryName } from "../../environment/names.ts";
import type { EnvironmentConfig } from "../../environment/schema.ts";
import { instantiatePattern } from "../tenant-patterns.ts";
import type { PolicyDocument } from "./aws-trust.ts";
import { awsPartition } from "./aws-trust.ts";

/** IAM's limit on a managed policy document (the boundary), in characters without whitespace. */
export const AWS_MANAGED_POLICY_MAX_CHARACTERS = 6_144;

/** Customer managed policies per account (default quota): one boundary per tenant counts here. */
export const AWS_CUSTOMER_MANAGED_POLICIES = 1_500;

/**
 * What a tenant's role may never do, whatever its policies say: write IAM (roles' trust and
 * policies, users, keys, boundaries), pass roles, assume other roles, share through RAM, or hand
 * out KMS access.
 */
const ESCALATION: readonly string[] = [
  "iam:Add*",
  "iam:Attach*",
  "iam:Create*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:PassRole",
  "iam:Put*",
  "iam:Remove*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
  "sts:AssumeRole",
  "sts:AssumeRoleWithSAML",
  "sts:AssumeRoleWithWebIdentity",
  "ram:*",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
];

/** Tag writes, denied unless they set the tenant's own tenant_id tag. */
const TAG_WRITES: readonly string[] = [
  "*:TagResource",
  "*:UntagResource",
  "*:CreateTags",
  "*:DeleteTags",
  "s3:Put*Tagging",
  "s3:Delete*Tagging",
];

/** The tenant's own resources: its patterns with the placeholders filled, `{workload}` by the session's tag. */
export function awsTenantResources(
  config: Pick<EnvironmentConfig, "clouds">,
  env: string,
  tenantId: string,
): string[] {
  return (config.clouds.aws?.tenantResources ?? []).map((pattern) =>
    instantiatePattern(pattern, { env, tenant: tenantId, workload: "${aws:PrincipalTag/workload}" }),
  );
}

/** The resources one shared entry opens to `tenantId`: with an S3 prefix, only the tenant's prefix. */
function sharedResources(
  entry: NonNullable<EnvironmentConfig["clouds"]["aws"]>["shared"][number],
  tenantId: string,
): string[] {
  const partition = entry.partition;
  return typeof partition === "object" && "s3Prefix" in partition
    ? entry.resources.flatMap((bucket) => [bucket, `${bucket}/${tenantId}/*`])
    : [...entry.resources];
}

/** The condition that keeps a tenant inside its partition of a shared entry. */
function partitionCondition(
  entry: NonNullable<EnvironmentConfig["clouds"]["aws"]>["shared"][number],
  tenantId: string,
): Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>> | undefined {
  const partition = entry.partition;
  if (partition === "none") return undefined;
  if ("dynamodbLeadingKeys" in partition)
    return { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [tenantId] } };
  if ("kmsEncryptionContextKey" in partition)
    return { StringEquals: { [`kms:EncryptionContext:${partition.kmsEncryptionContextKey}`]: tenantId } };
  // S3: objects are confined by their ARN; listing by the prefix asked for.
  return { StringLikeIfExists: { "s3:prefix": [`${tenantId}/*`] } };
}

/** The boundary document of one tenant of the environment `envName`. */
export function awsPermissionsBoundary(
  config: Pick<EnvironmentConfig, "clouds">,
  envName: string,
  tenantId: string,
): PolicyDocument {
  const aws = config.clouds.aws;
  if (!aws) throw new Error("AWS is not on for this environment");
  const own = awsTenantResources(config, envName, tenantId);
  const shared = aws.shared.map((entry, i) => ({ entry, i, resources: sharedResources(entry, tenantId) }));
  const reachable = [...own, ...shared.flatMap((s) => s.resources)];
  return {
    Version: "2012-10-17",
    Statement: [
      ...(own.length > 0
        ? [{ Sid: "TenantResources", Effect: "Allow" as const, Action: "*", Resource: own }]
        : []),
      ...shared.map(({ entry, i, resources }) => {
        const condition = partitionCondition(entry, tenantId);
        return {
          Sid: `Shared${i}`,
          Effect: "Allow" as const,
          Action: [...entry.actions],
          Resource: resources,
          ...(condition ? { Condition: condition } : {}),
        };
      }),
      // Outside its own and shared resources nothing, not even through a resource-based policy.
      ...(reachable.length > 0
        ? [
            {
              Sid: "OutsideTenant",
              Effect: "Deny" as const,
              NotAction: "sts:GetCallerIdentity",
              NotResource: reachable,
            },
          ]
        : [
            {
              Sid: "OutsideTenant",
              Effect: "Deny" as const,
              NotAction: "sts:GetCallerIdentity",
              Resource: "*",
            },
          ]),
      { Sid: "NoEscalation", Effect: "Deny" as const, Action: [...ESCALATION], Resource: "*" },
      {
        Sid: "OwnTagsOnly",
        Effect: "Deny" as const,
        Action: [...TAG_WRITES],
        Resource: "*",
        Condition: { StringNotEquals: { "aws:RequestTag/tenant_id": tenantId } },
      },
    ],
  };
}

/** The boundary's ARN, composed so that the roles' inputs are known at preview. */
export function awsBoundaryArn(env: Environment, tenantId: string): string {
  const aws = env.clouds.aws;
  if (!aws) throw new Error("AWS is not on for this environment");
  return `arn:${awsPartition(aws.region)}:iam::${aws.accountId}:policy/${awsBoundaryName(env.name, tenantId).value}`;
}

/** The boundary as IAM counts it: JSON without whitespace. */
export function awsBoundaryLength(document: PolicyDocument): number {
  return JSON.stringify(document).length;
}
