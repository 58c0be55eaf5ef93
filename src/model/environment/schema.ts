import { z } from "zod";
import { AWS_TAG_KEYS } from "../contract/aws-session-tags.ts";
import { forbiddenNamespaceHost } from "../contract/claims-namespace.ts";
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from "../contract/tenant-id.ts";
import { AUTH0_DEFAULT_DIALECT, TOKEN_DIALECTS } from "../contract/token-dialect.ts";
import {
  AUTH0_PLANS,
  CLIENT_METADATA_MAX_LENGTH,
  DEFAULT_TOKEN_LIFETIME,
  MAX_TOKEN_LIFETIME,
  PRIVATE_KEY_JWT_MAX_KEYS,
} from "./limits.ts";

/**
 * The shape of the `m2m:environment` stack-config value, field by field. Rules that relate
 * fields to each other (unknown APIs, duplicates, limits, composed names) live in rules.ts.
 * Unknown keys are rejected everywhere, so a typo never silently drops a setting.
 */

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const hostname = (what: string) =>
  z.string().regex(HOSTNAME, {
    error: `must be a bare lowercase host name such as acme.eu.auth0.com (no https://, no path); check the ${what}`,
  });

const identifierName = (what: string) =>
  z.string().regex(TENANT_ID_PATTERN, {
    error: (issue) => `${what} ${JSON.stringify(issue.input)} must be ${TENANT_ID_RULE}`,
  });

/** Why a claim namespace is unusable, or undefined when it is fine. */
export function claimNamespaceProblem(value: string): string | undefined {
  if (value.startsWith("urn:auth0")) return "the urn:auth0 namespace is reserved by Auth0";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "it is not a URL";
  }
  if (url.protocol !== "https:") return "it must start with https://";
  if (!value.endsWith("/")) return "it must end with '/' so claim names read {namespace}tenant_id";
  if (/['"\\\s]/.test(value))
    return "it must not contain quotes, backslashes or spaces (it is quoted in GCP's CEL)";
  if (url.search || url.hash || url.username || url.port)
    return "it must not have a query, fragment, user or port";
  const reserved = forbiddenNamespaceHost(value);
  if (reserved) return `Auth0 drops claims namespaced under ${reserved}`;
  return undefined;
}

const claimNamespace = z.string().superRefine((value, ctx) => {
  const problem = claimNamespaceProblem(value);
  if (problem) {
    ctx.addIssue({
      code: "custom",
      message: `claim namespace "${value}" is unusable: ${problem}. Use an https URL you own ending in '/', e.g. https://claims.example.com/`,
    });
  }
});

const absoluteUri = z.string().superRefine((value, ctx) => {
  let ok = !/\s/.test(value) && value.length > 0 && value.length <= 600;
  if (ok) {
    try {
      new URL(value);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    ctx.addIssue({
      code: "custom",
      message: `API identifier "${value}" must be an absolute URI without spaces, at most 600 characters, e.g. https://orders.api.example.com`,
    });
  }
});

const scope = z.strictObject({
  value: z.string().regex(/^[^\s*]{1,280}$/, {
    error:
      "scope value must be 1 to 280 characters with no spaces and no '*' (wildcard scopes are not allowed)",
  }),
  description: z.string().max(500, { error: "scope description must be at most 500 characters" }).default(""),
});

export const CLOUDS = ["aws", "gcp", "azure"] as const;
export const SIGNING_ALGS = ["RS256", "PS256", "HS256"] as const;
const api = z.strictObject({
  key: identifierName("API key"),
  identifier: absoluteUri,
  name: z.string().min(1, { error: "API name (its display name in Auth0) must not be empty" }).max(200),
  scopes: z.array(scope).default([]),
  tokenLifetime: z
    .number()
    .int()
    .min(60, { error: "token lifetime must be at least 60 seconds" })
    .max(MAX_TOKEN_LIFETIME, {
      error: `token lifetime must be at most ${MAX_TOKEN_LIFETIME} seconds (30 days)`,
    })
    .default(DEFAULT_TOKEN_LIFETIME),
  signingAlg: z.enum(SIGNING_ALGS).default("RS256"),
  tokenDialect: z.enum(TOKEN_DIALECTS).default(AUTH0_DEFAULT_DIALECT),
  cloud: z.enum(CLOUDS).optional(),
});

const grant = z.strictObject({
  api: z.string().min(1, { error: "grant must name an API by its key" }),
  scopes: z.array(z.string()).min(1, {
    error: "a grant needs at least one scope; remove the grant if the workload needs no access to that API",
  }),
});

const publicKey = z.strictObject({
  name: z.string().min(1).max(128, { error: "key name must be at most 128 characters" }),
  pem: z.string(),
  algorithm: z.enum(["RS256", "RS384", "PS256"]).default("RS256"),
  expiresAt: z.iso
    .datetime({ error: "expiresAt must be an ISO 8601 date-time such as 2027-06-30T00:00:00Z" })
    .optional(),
});

const authentication = z.discriminatedUnion(
  "method",
  [
    z.strictObject({ method: z.literal("client_secret_post") }),
    z.strictObject({ method: z.literal("client_secret_basic") }),
    z.strictObject({
      method: z.literal("private_key_jwt"),
      keys: z
        .array(publicKey)
        .min(1, { error: "private_key_jwt needs at least one PEM public key" })
        .max(PRIVATE_KEY_JWT_MAX_KEYS, {
          error: `private_key_jwt takes at most ${PRIVATE_KEY_JWT_MAX_KEYS} keys (the current one and the next, for rotation)`,
        }),
    }),
  ],
  { error: "must be client_secret_post, client_secret_basic or private_key_jwt" },
);

const ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/;
const policyArn = (what: string) =>
  z.string().regex(ARN, {
    error: (issue) =>
      `${what} ${JSON.stringify(issue.input)} must be an IAM policy ARN (arn:aws:iam::123456789012:policy/name)`,
  });

/** An IAM policy document, checked for shape here and for wildcards in rules.ts. */
const policyDocument = z.looseObject({
  Version: z.literal("2012-10-17", { error: 'an IAM policy document needs Version "2012-10-17"' }),
  Statement: z.array(z.record(z.string(), z.unknown())).min(1),
});

/** AWS access of one workload: the permissions of its IAM role. */
const workloadAws = z.strictObject({
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
const gcpGrant = z.strictObject({
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
const workloadGcp = z.strictObject({
  roles: z.array(gcpGrant).default([]),
  /** Let the workload impersonate its tenant's service account (roles/iam.workloadIdentityUser). */
  impersonateServiceAccount: z.boolean().default(false),
});

/**
 * A token credential file: an absolute path of letters, digits and `._-/+@,:=`. It is written
 * unquoted into the command line of the workload's GCP credential configuration (`m2m token
 * --format gcp-executable ... --credential-file <path>`), so whitespace, quotes and shell characters
 * (`;|&$*?<>()` ...) would split it or run something else.
 */
const TOKEN_CREDENTIAL_FILE = /^\/[A-Za-z0-9._/+@,:=-]{1,1023}$/;

/** Where `m2m token` finds the workload's secret or private key: never in the configuration. */
const tokenCredential = z.union(
  [
    z.strictObject({
      env: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, { error: "env must be an environment variable name" }),
    }),
    z.strictObject({
      file: z.string().regex(TOKEN_CREDENTIAL_FILE, {
        error: (issue) =>
          `file ${JSON.stringify(issue.input)} must be an absolute path of letters, digits and ._-/+@,:= only, with no spaces, quotes or shell characters such as ; | & $ *: it is written into the command line of the GCP credential configuration (m2m token --format gcp-executable ... --credential-file <path>). Move the file to such a path, e.g. /var/run/secrets/m2m/private-key.pem`,
      }),
    }),
  ],
  { error: "tokenCredential is {env: VARIABLE} or {file: /absolute/path}" },
);

const metadataValue = z.string().max(CLIENT_METADATA_MAX_LENGTH, {
  error: `client metadata values must be at most ${CLIENT_METADATA_MAX_LENGTH} characters`,
});

const workload = z.strictObject({
  name: identifierName("workload name"),
  description: z
    .string()
    .max(140, { error: "workload description must be at most 140 characters" })
    .optional(),
  grants: z.array(grant).min(1, { error: "a workload needs at least one grant, or it can get no token" }),
  authentication: authentication.default({ method: "client_secret_post" }),
  metadata: z.record(z.string(), metadataValue).default({}),
  aws: workloadAws.optional(),
  gcp: workloadGcp.optional(),
  /** Where the workload keeps its client secret or private key. Default: env M2M_CLIENT_SECRET. */
  tokenCredential: tokenCredential.optional(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const azureRoleAssignment = z.strictObject({
  /** A role definition GUID (built-in or custom). */
  roleDefinitionId: z.string().regex(UUID, { error: "roleDefinitionId must be a role definition GUID" }),
  /** A resource id under the environment's subscription. */
  scope: z.string().regex(/^\/subscriptions\/[0-9a-f-]{36}(\/[^\s]+)?$/, {
    error: "scope must be a resource id such as /subscriptions/<id>/resourceGroups/<name>",
  }),
  /**
   * The role's actions, for a role the built-in snapshot does not list (custom roles): without
   * them such a role is refused, its reach being unknown.
   */
  actions: z.array(z.string().min(1)).optional(),
  dataActions: z.array(z.string().min(1)).optional(),
});

/**
 * How tenants are kept apart inside a shared Azure scope: a blob container per tenant, named
 * the tenant id, enforced by an ABAC condition on the role assignment. `none` is accepted only
 * to be reported: without a partition every tenant reaches every other's data in it.
 */
const azurePartition = z.union([
  z.strictObject({ blobContainerPerTenant: z.literal(true) }),
  z.literal("none"),
]);

/** A scope several tenants' identities are assigned roles on, the roles allowed, and its partition. */
const azureShared = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, { error: "a shared entry's name is 1 to 64 of a-z, 0-9 and '-'" }),
  /** Resource ids (`{subscriptionId}` allowed, no other placeholder or wildcard). */
  scopes: z
    .array(
      z.string().regex(/^\/subscriptions\/([0-9a-f-]{36}|\{subscriptionId\})\/[^\s*?{}]+$/, {
        error: "a shared scope is a resource id below a subscription, without wildcards",
      }),
    )
    .min(1),
  /** The role definition GUIDs tenants may hold on it. */
  roles: z.array(z.string().regex(UUID, { error: "a shared role is a role definition GUID" })).min(1),
  partition: azurePartition,
  /** Why it is shared: kept for review, never a reason to skip the partition. */
  reason: z.string().min(1),
});

const tenant = z.strictObject({
  id: identifierName("tenant id"),
  /**
   * Offboarding, step 1: lifts protection from the tenant's resources without deleting them.
   * Apply, then remove the tenant (step 2).
   */
  decommissioned: z.boolean().default(false),
  workloads: z.array(workload).min(1, { error: "a tenant needs at least one workload" }),
  gcp: z.strictObject({ serviceAccountRoles: z.array(gcpGrant).default([]) }).optional(),
  azure: z.strictObject({ roleAssignments: z.array(azureRoleAssignment).default([]) }).optional(),
});

const binding = z.union(
  [
    z.strictObject({ action: z.string().min(1) }),
    z.strictObject({
      id: z.string().min(1, { error: "an external Action binding needs the Action's id" }),
      displayName: z.string().min(1, { error: "an external Action binding needs a displayName" }),
    }),
  ],
  {
    error:
      "each binding is either {action: <one of this project's Actions>} or another team's {id, displayName}",
  },
);

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

const awsCloud = z.strictObject({
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

/**
 * A bucket several tenants use, the roles they may hold on it and its partition: `objectPrefix`
 * confines each tenant's binding with an IAM condition to objects under `{tenant}/`. `none` is
 * accepted only to be reported: without a partition every tenant reaches every other's objects.
 */
const gcpShared = z.strictObject({
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

const gcpCloud = z.strictObject({
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

const azureCloud = z.strictObject({
  subscriptionId: z.string().regex(UUID, { error: "Azure subscriptionId must be a lowercase GUID" }),
  /** The Entra ID (directory) tenant id. */
  tenantId: z.string().regex(UUID, { error: "Azure tenantId must be a lowercase GUID" }),
  resourceGroup: z.string().regex(/^[-\w.()]{0,89}[-\w()]$/, {
    error: "resourceGroup must be 1 to 90 of letters, digits, -_.() not ending with '.'",
  }),
  location: z
    .string()
    .regex(/^[a-z0-9]{3,40}$/, { error: "location must be an Azure region name such as westeurope" }),
  /**
   * Scope patterns of each tenant's own resource groups or resources, with `{subscriptionId}`,
   * `{env}` and `{tenant}` (`/subscriptions/{subscriptionId}/resourceGroups/{env}_{tenant}`).
   * A tenant identity's role assignments must lie at or below its own scopes (or a shared one).
   */
  tenantScopes: z.array(z.string().min(1)).default([]),
  /** Scopes several tenants use, each with the roles allowed and the partition that keeps tenants apart. */
  shared: z.array(azureShared).default([]),
});

const auth0 = z.strictObject({
  domain: hostname("Auth0 tenant domain"),
  customDomain: hostname("custom domain").optional(),
  tokenDomain: z.enum(["canonical", "custom"]).optional(),
  plan: z.enum(AUTH0_PLANS).default("self-service"),
  applicationLimit: z.number().int().positive().optional(),
});

/** The raw `m2m:environment` value as written in a stack file. */
export const environmentSchema = z.strictObject({
  production: z.boolean().default(false),
  auth0,
  claimNamespace,
  apis: z.array(api).min(1, { error: "declare at least one API: workloads get tokens for APIs" }),
  tenants: z.array(tenant).default([]),
  /** The clouds that trust the environment's tokens; each optional. */
  clouds: z
    .strictObject({ aws: awsCloud.optional(), gcp: gcpCloud.optional(), azure: azureCloud.optional() })
    .default({}),
  /**
   * The credentials-exchange trigger's whole binding list. Required, with no default: binding
   * replaces whatever is bound, so an omitted list would silently unbind other teams' Actions.
   */
  credentialsExchange: z.strictObject({ bindings: z.array(binding).min(1) }),
});

/** The environment config after shape validation and defaults. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type ApiConfig = EnvironmentConfig["apis"][number];
export type TenantConfig = EnvironmentConfig["tenants"][number];
export type WorkloadConfig = TenantConfig["workloads"][number];
export type PublicKeyConfig = Extract<
  WorkloadConfig["authentication"],
  { method: "private_key_jwt" }
>["keys"][number];
export type Cloud = (typeof CLOUDS)[number];
export type AwsCloudConfig = NonNullable<EnvironmentConfig["clouds"]["aws"]>;
export type GcpCloudConfig = NonNullable<EnvironmentConfig["clouds"]["gcp"]>;
export type AzureCloudConfig = NonNullable<EnvironmentConfig["clouds"]["azure"]>;
export type GcpGrant = z.output<typeof gcpGrant>;
export type GcpSharedConfig = z.output<typeof gcpShared>;
