/**
 * The shape of the `m2m:environment` stack-config value, field by field. Rules that relate
 * fields to each other (unknown APIs, duplicates, limits, composed names) live in rules.ts.
 * Unknown keys are rejected everywhere, so a typo never silently drops a setting.
 */

import { z } from "zod";
import { forbiddenNamespaceHost } from "../contract/claims-namespace.ts";
import { TENANT_ID_PATTERN, TENANT_ID_RULE } from "../contract/tenant-id.ts";
import { AUTH0_DEFAULT_DIALECT, TOKEN_DIALECTS } from "../contract/token-dialect.ts";
import { awsCloud, workloadAws } from "./aws-schema.ts";
import { azureCloud, azureRoleAssignment } from "./azure-schema.ts";
import { TOKEN_CREDENTIAL_FILE } from "./command-line-path.ts";
import { gcpCloud, gcpGrant, type gcpShared, workloadGcp } from "./gcp-schema.ts";
import {
  AUTH0_PLANS,
  CLIENT_METADATA_MAX_LENGTH,
  DEFAULT_TOKEN_LIFETIME,
  MAX_TOKEN_LIFETIME,
  PRIVATE_KEY_JWT_MAX_KEYS,
} from "./limits.ts";

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
