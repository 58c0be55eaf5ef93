/** The shape of the AWS parts of `m2m:environment`: a workload's role permissions and the `clouds.aws` section. */

import { z } from "zod";
import { AWS_TAG_KEYS } from "../contract/aws-session-tags.ts";

const ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/;
const policyArn = (what: string) =>
  z.string().regex(ARN, {
    error: (issue) =>
      `${what} ${JSON.stringify(issue.input)} must be an IAM policy ARN (arn:aws:iam::123456789012:policy/name)`,
  });

/** An IAM policy document, checked for shape here and for wildcards in cloud-rules.ts. */
const policyDocument = z.looseObject({
  Version: z.literal("2012-10-17", { error: 'an IAM policy document needs Version "2012-10-17"' }),
  Statement: z.array(z.record(z.string(), z.unknown())).min(1),
});

/** AWS access of one workload: the permissions of its IAM role. */
export const workloadAws = z.strictObject({
  managedPolicyArns: z
    .array(policyArn("managed policy"))
    .max(20, { error: "a role takes at most 20 managed policies" })
    .default([]),
  inlinePolicy: policyDocument.optional(),
  permissionsBoundary: policyArn("permissions boundary").optional(),
  maxSessionDuration: z
    .number()
    .int()
    .min(3600, { error: "maxSessionDuration must be 3600 to 43200 seconds" })
    .max(43200, { error: "maxSessionDuration must be 3600 to 43200 seconds" })
    .default(3600),
});

/**
 * How tenants are kept apart inside a shared AWS resource: an S3 key prefix of the tenant id,
 * DynamoDB partition keys that are the tenant id (`dynamodb:LeadingKeys`), or a KMS encryption
 * context key whose value is the tenant id. `none` is accepted only to be reported: without a
 * partition every tenant reaches every other's data in it.
 */
const awsPartition = z.union([
  z.strictObject({ s3Prefix: z.literal(true) }),
  z.strictObject({ dynamodbLeadingKeys: z.literal(true) }),
  z.strictObject({ kmsEncryptionContextKey: z.string().regex(/^[\w.:/-]{1,128}$/) }),
  z.literal("none"),
]);

/** One resource (or set) several tenants use, the actions they may take on it, and its partition. */
const awsShared = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, { error: "a shared entry's name is 1 to 64 of a-z, 0-9 and '-'" }),
  /** ARNs, or ARN patterns without placeholders. For s3Prefix: bucket ARNs. */
  resources: z.array(z.string().startsWith("arn:", { error: "a shared resource is an ARN" })).min(1),
  /** The actions tenants may take on it (no `*` alone). */
  actions: z
    .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9*?]+$/, { error: "an action is service:Name" }))
    .min(1),
  partition: awsPartition,
  /** Why it is shared: kept for review, never a reason to skip the partition. */
  reason: z.string().min(1),
});

export const awsCloud = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, { error: "AWS accountId must be 12 digits (quote it in YAML)" }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, {
      error: "region must be an AWS region such as eu-west-1",
    })
    .default("us-east-1"),
  /** Session tags passed on to roles chained from the workload's role. Default: none. */
  transitiveTagKeys: z.array(z.enum([AWS_TAG_KEYS.tenantId, AWS_TAG_KEYS.workload])).default([]),
  /**
   * ARN patterns of each tenant's own resources, with `{env}`, `{tenant}` and `{workload}`
   * placeholders (`arn:aws:s3:::acme-{env}-{tenant}/*`). Every workload role's permissions
   * boundary confines it to its tenant's and the shared resources. Default: none (a role then
   * reaches only the shared resources).
   */
  tenantResources: z.array(z.string().min(1)).default([]),
  /** Resources several tenants use, each with the partition that keeps tenants apart inside it. */
  shared: z.array(awsShared).default([]),
  /**
   * The account's IAM roles quota (one role per AWS workload). Default: AWS's default, 1,000.
   * Raise it here only after AWS has raised the account's quota.
   */
  iamRoleQuota: z.number().int().min(1).max(5_000).default(1_000),
});
