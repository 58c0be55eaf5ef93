/** The shape of the GCP parts of `m2m:environment`: role grants, a workload's access and the `clouds.gcp` section. */

import { z } from "zod";
import { TOKEN_CREDENTIAL_FILE } from "./command-line-path.ts";

const GCP_ROLE =
  /^(roles|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/roles|organizations\/\d+\/roles)\/[\w.]{1,256}$/;
const gcpRole = z.string().regex(GCP_ROLE, {
  error: (issue) =>
    `GCP role ${JSON.stringify(issue.input)} must look like roles/storage.objectViewer or projects/<id>/roles/<name>`,
});

/** A GCP permission such as storage.objects.get. */
// Most permissions are service.resource.verb; a few are published with the service's host
// (iam.googleapis.com/workloadIdentityPools.create).
const gcpPermission = z
  .string()
  .regex(
    /^(?:[a-z]+\.googleapis\.com\/[a-zA-Z0-9]+(\.[a-zA-Z0-9]+){1,2}|[a-zA-Z0-9]+(\.[a-zA-Z0-9]+){2,3})$/,
    {
      error: (issue) =>
        `GCP permission ${JSON.stringify(issue.input)} must look like storage.objects.get (or iam.googleapis.com/workloadIdentityPools.create)`,
    },
  );

/**
 * A role granted on one target: a tenant's own bucket, dataset, Pub/Sub topic or secret, a
 * declared shared bucket, or (refused unless shared with a partition) the project. Exactly one
 * target is checked in gcp-tenant-rules.ts, with the fix. `permissions` declares what a role
 * outside the predefined-roles snapshot (a custom role) carries, so it can be judged.
 */
export const gcpGrant = z.strictObject({
  role: gcpRole,
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, { error: "bucket must be a GCS bucket name" })
    .optional(),
  dataset: z
    .string()
    .regex(/^\w{1,1024}$/, { error: "dataset must be a BigQuery dataset id (letters, digits, '_')" })
    .optional(),
  topic: z
    .string()
    .regex(/^[A-Za-z][\w.~+%-]{2,254}$/, { error: "topic must be a Pub/Sub topic id" })
    .optional(),
  secret: z
    .string()
    .regex(/^[\w-]{1,255}$/, { error: "secret must be a Secret Manager secret id" })
    .optional(),
  project: z.literal(true).optional(),
  permissions: z.array(gcpPermission).min(1).optional(),
});

/** GCP access of one workload: roles on its own subject principal, and impersonation. */
export const workloadGcp = z.strictObject({
  roles: z.array(gcpGrant).default([]),
  /** Let the workload impersonate its tenant's service account (roles/iam.workloadIdentityUser). */
  impersonateServiceAccount: z.boolean().default(false),
});

/**
 * A bucket several tenants use, the roles they may hold on it and its partition: `objectPrefix`
 * confines each tenant's binding with an IAM condition to objects under `{tenant}/`. `none` is
 * accepted only to be reported: without a partition every tenant reaches every other's objects.
 */
export const gcpShared = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, { error: "a shared entry's name is 1 to 64 of a-z, 0-9 and '-'" }),
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, { error: "bucket must be a GCS bucket name" }),
  roles: z.array(gcpRole).min(1),
  partition: z.union([z.strictObject({ objectPrefix: z.literal(true) }), z.literal("none")]),
  /** Why it is shared: kept for review, never a reason to skip the partition. */
  reason: z.string().min(1),
});

export const gcpCloud = z.strictObject({
  projectId: z
    .string()
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { error: "GCP projectId must be 6 to 30 of a-z, 0-9 and '-'" }),
  projectNumber: z
    .string()
    .regex(/^\d{6,20}$/, { error: "GCP projectNumber must be digits (quote it in YAML)" }),
  /** Workload identity pool id. Default: m2m-{environment}. Keep it stable: deleted ids stay taken 30 days. */
  poolId: z.string().optional(),
  /** Pool provider id. Default: auth0. */
  providerId: z.string().default("auth0"),
  /**
   * Name patterns of each tenant's own resources, per kind, with `{env}`, `{tenant}` and
   * `{workload}` placeholders (`acme-{env}-{tenant}_exports`). A grant's target must be one of
   * them or a shared bucket. Default: none.
   */
  tenantResources: z
    .strictObject({
      buckets: z.array(z.string().min(1)).default([]),
      datasets: z.array(z.string().min(1)).default([]),
      topics: z.array(z.string().min(1)).default([]),
      secrets: z.array(z.string().min(1)).default([]),
    })
    .default({ buckets: [], datasets: [], topics: [], secrets: [] }),
  /** Buckets several tenants use, each with the partition that keeps tenants apart inside it. */
  shared: z.array(gcpShared).default([]),
  /**
   * The project's service accounts quota (one per tenant whose workloads impersonate). Default:
   * GCP's default, 100. Raise it here only after GCP has raised the project's quota.
   */
  serviceAccountQuota: z.number().int().min(1).default(100),
  /**
   * Where the workloads' machines have this package's `bin/m2m.js`, as an absolute path: each
   * `gcpCredentialConfiguration` runs it (never `npx m2m`). Default: the path of the `bin/m2m.js`
   * that runs the Pulumi program.
   */
  m2mPath: z
    .string()
    .regex(TOKEN_CREDENTIAL_FILE, {
      error:
        "m2mPath must be an absolute path of letters, digits and ._-/+@,:= (it is written into a command line), e.g. /opt/m2m/bin/m2m.js",
    })
    .optional(),
  /**
   * The folder, created 0700, where the GCP executable source keeps each workload's last response
   * (`output_file`), so Google's libraries reuse it until it expires. Default: /tmp/m2m-{env}-gcp.
   */
  executableOutputFolder: z
    .string()
    .regex(TOKEN_CREDENTIAL_FILE, {
      error: "executableOutputFolder must be an absolute path of letters, digits and ._-/+@,:=",
    })
    .optional(),
});
