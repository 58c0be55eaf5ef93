// Every name the program composes from the environment, tenant ids and workload names, with
// the limits of the system that receives it. The model validates each composed name up front
// (tenant-rules.ts; the GCP pool and provider ids in cloud-rules.ts), so a long tenant id fails
// at `pulumi preview`, not halfway through `pulumi up`.

/**
 * The rule for environment (stack) names: 1 to 20 characters of a-z and 0-9, starting with a
 * letter, and no '-'. Every cloud name starts `m2m-{environment}-` or `{environment}-`, and
 * tenant ids may contain '-': were '-' allowed here, stack `dev` with tenant `prod-abc` and stack
 * `dev-prod` with tenant `abc` would both compose `m2m-dev-prod-abc` and share one IAM role,
 * service account or managed identity in an account both stacks use. Without it, the first '-'
 * after the prefix ends the environment name, so two stacks never compose the same name. The
 * naming scheme itself stays as it is: a rename would replace every protected role and identity.
 */
export const ENVIRONMENT_NAME_PATTERN = /^[a-z][a-z0-9]{0,19}$/;

/** Why `name` cannot be an environment (stack) name, with the fix; undefined when it can. */
export function environmentNameProblem(name: string): string | undefined {
  if (ENVIRONMENT_NAME_PATTERN.test(name)) return undefined;
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 20);
  const rename = /^[a-z]/.test(suggestion) ? `, e.g. "${suggestion}"` : "";
  const why = name.includes("-")
    ? ` Stack names cannot contain '-' because tenant ids can: stack "dev" with tenant "prod-abc" and stack "dev-prod" with tenant "abc" would both compose m2m-dev-prod-abc and share one IAM role, service account or identity in a shared account.`
    : "";
  return `stack name "${name}" must be 1 to 20 characters of a-z and 0-9, starting with a letter (no '-'): it begins every composed name, m2m-{stack}-{tenant}-{workload}.${why} Create the stack under a name such as dev, staging or prod${rename}`;
}

/** A composed name and the rule of the system that receives it. */
export interface ComposedName {
  /** What the name is for, as users know it ("IAM role name"). */
  readonly what: string;
  /** The composed value. */
  readonly value: string;
  /** The receiving system's rule. */
  readonly pattern: RegExp;
  /** The rule in words. */
  readonly rule: string;
}

/** The key of a workload in outputs, logs and maps: `tenant/workload`. */
export function workloadKey(tenantId: string, workload: string): string {
  return `${tenantId}/${workload}`;
}

/**
 * The client id a workload stands for where the real one is not known (Auth0 assigns it at
 * `pulumi up`): stable, and plainly not an Auth0 id, so a verdict over it is read as a plan.
 */
export function placeholderClientId(tenantId: string, workload: string): string {
  return `placeholder-${tenantId}-${workload}`;
}

/**
 * Pulumi resource name of a workload's component and Auth0 client, `{tenant}-{workload}`. Ids
 * may contain '-', so two workloads can compose the same name: the model refuses that.
 */
export function workloadResourceName(tenantId: string, workload: string): string {
  return `${tenantId}-${workload}`;
}

/** Pulumi resource name of a workload's grant to the API with key `apiKey`. */
export function grantResourceName(tenantId: string, workload: string, apiKey: string): string {
  return `${workloadResourceName(tenantId, workload)}-${apiKey}`;
}

/** A workload's name qualified by its environment, the base of its Auth0 and AWS names. */
function qualifiedName(env: string, tenantId: string, workload: string): string {
  return `m2m-${env}-${workloadResourceName(tenantId, workload)}`;
}

/** Auth0 application name of a workload: shown in the dashboard and in tenant logs. */
export function auth0ClientName(env: string, tenantId: string, workload: string): ComposedName {
  return {
    what: "Auth0 application name",
    value: qualifiedName(env, tenantId, workload),
    // The Management API documents a minimum of 1 character and no '<' or '>'; no maximum.
    pattern: /^[^<>]+$/,
    rule: "at least 1 character, no '<' or '>'",
  };
}

/** AWS IAM role assumed by one workload's tokens. */
export function awsRoleName(env: string, tenantId: string, workload: string): ComposedName {
  return {
    what: "AWS IAM role name",
    value: qualifiedName(env, tenantId, workload),
    pattern: /^[\w+=,.@-]{1,64}$/,
    rule: "at most 64 characters of letters, digits and +=,.@_-",
  };
}

/** The customer managed policy that bounds every AWS role of one tenant. */
export function awsBoundaryName(env: string, tenantId: string): ComposedName {
  return {
    what: "AWS permissions boundary policy name",
    value: `m2m-${env}-${tenantId}-boundary`,
    pattern: /^[\w+=,.@-]{1,128}$/,
    rule: "at most 128 characters of letters, digits and +=,.@_-",
  };
}

/** GCP service account a tenant's workloads may impersonate. */
export function gcpServiceAccountId(env: string, tenantId: string): ComposedName {
  return {
    what: "GCP service account id",
    value: `${env}-${tenantId}`,
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    rule: "6 to 30 characters of a-z, 0-9 and '-', starting with a letter",
  };
}

const GCP_POOL_ID = /^(?!gcp-)[a-z0-9-]{4,32}$/;
const GCP_POOL_ID_RULE = "4 to 32 characters of a-z, 0-9 and '-', not starting with gcp-";

/** GCP workload identity pool of an environment: `poolId` when given, else m2m-{environment}. */
export function gcpPoolId(env: string, poolId?: string): ComposedName {
  return {
    what: "GCP workload identity pool id",
    value: poolId ?? `m2m-${env}`,
    pattern: GCP_POOL_ID,
    rule: GCP_POOL_ID_RULE,
  };
}

/** GCP workload identity pool provider of an environment. */
export function gcpProviderId(providerId: string): ComposedName {
  return { what: "GCP pool provider id", value: providerId, pattern: GCP_POOL_ID, rule: GCP_POOL_ID_RULE };
}

/** Azure user-assigned managed identity of a tenant. */
export function azureIdentityName(env: string, tenantId: string): ComposedName {
  return {
    what: "Azure managed identity name",
    value: `m2m-${env}-${tenantId}`,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/,
    rule: "3 to 128 characters of letters, digits, '-' and '_'",
  };
}

/** Azure federated identity credential of a workload, on its tenant's identity. */
export function azureCredentialName(workload: string): ComposedName {
  return {
    what: "Azure federated credential name",
    value: `auth0-${workload}`,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}$/,
    rule: "3 to 120 characters of letters, digits, '-' and '_', starting with a letter or digit",
  };
}

/**
 * The names composed for one workload: the Auth0 application always, and each cloud's names
 * only when the workload uses that cloud.
 */
export function workloadNames(
  env: string,
  tenantId: string,
  workload: string,
  clouds: ReadonlySet<"aws" | "gcp" | "azure">,
): readonly ComposedName[] {
  return [
    auth0ClientName(env, tenantId, workload),
    ...(clouds.has("aws") ? [awsRoleName(env, tenantId, workload), awsBoundaryName(env, tenantId)] : []),
    ...(clouds.has("gcp") ? [gcpServiceAccountId(env, tenantId)] : []),
    ...(clouds.has("azure") ? [azureIdentityName(env, tenantId), azureCredentialName(workload)] : []),
  ];
}
