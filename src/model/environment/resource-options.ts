// Resource options as pure data. Pulumi's mocks cannot show options (protect, retainOnDelete,
// dependsOn), so the program takes them from this one function, and the tests assert on it.

/** The kinds of resources the program creates. */
export type ResourceKind =
  | "api"
  | "apiScopes"
  | "client"
  | "clientGrant"
  | "clientCredentials"
  | "action"
  | "triggerBinding"
  | "awsOidcProvider"
  | "awsRole"
  | "awsRolePolicy"
  | "awsBoundary"
  | "gcpPool"
  | "gcpPoolProvider"
  | "gcpServiceAccount"
  | "gcpIamMember"
  | "azureIdentity"
  | "azureFederatedCredential"
  | "azureRoleAssignment";

/** The options of one kind of resource in one environment. */
export interface KindOptions {
  /** Refuse deletion and replacement (`pulumi up` fails instead). Default: production only. */
  readonly protect: boolean;
  /** Leave the cloud or Auth0 object in place when Pulumi deletes the resource. */
  readonly retainOnDelete: boolean;
  /** Kinds whose resources must exist before this one is created (and outlive it on delete). */
  readonly dependsOn: readonly ResourceKind[];
}

/** Kinds that belong to one tenant: a decommissioned tenant's lose their protection. */
const TENANT_KINDS: ReadonlySet<ResourceKind> = new Set([
  "client",
  "clientGrant",
  "clientCredentials",
  "awsRole",
  "awsRolePolicy",
  "awsBoundary",
  "gcpServiceAccount",
  "gcpIamMember",
  "azureIdentity",
  "azureFederatedCredential",
  "azureRoleAssignment",
]);

/**
 * Protected in production: every kind. Identities, grants and trust are what workloads run on;
 * the Action and the trigger's binding list, if deleted (a destroy, or a rename that replaces
 * them), would unbind every Action on the trigger, other teams' included.
 */
const PROTECTED_IN_PRODUCTION: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  "api",
  "apiScopes",
  "client",
  "clientGrant",
  "clientCredentials",
  "action",
  "triggerBinding",
  "awsOidcProvider",
  "awsRole",
  "awsRolePolicy",
  "awsBoundary",
  "gcpPool",
  "gcpPoolProvider",
  "gcpServiceAccount",
  "gcpIamMember",
  "azureIdentity",
  "azureFederatedCredential",
  "azureRoleAssignment",
]);

/**
 * Deleted GCP pools and providers stay soft-deleted 30 days and block their ids (409), so in
 * production Pulumi leaves them in place rather than delete them.
 */
const RETAINED_IN_PRODUCTION: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  "gcpPool",
  "gcpPoolProvider",
]);

/**
 * Creation order. A grant waits for its API's scopes (Auth0 refuses unknown scopes) and for the
 * trigger binding, so no managed client can get a token before the tenant-claims Action runs on
 * it; deletion runs the other way, so grants go before the Action is unbound.
 */
const DEPENDS_ON: Readonly<Partial<Record<ResourceKind, readonly ResourceKind[]>>> = {
  apiScopes: ["api"],
  clientGrant: ["apiScopes", "triggerBinding"],
  clientCredentials: ["client"],
  triggerBinding: ["action"],
  // The role names the provider and its boundary by computed ARNs, not outputs: wait for both.
  awsRole: ["awsOidcProvider", "awsBoundary"],
};

/** Where a resource sits: its environment, and its tenant's offboarding state when it has one. */
export interface OptionsContext {
  readonly production: boolean;
  /** The tenant is being offboarded: its resources lose protection, nothing is deleted yet. */
  readonly decommissioned?: boolean;
}

/** The options of `kind` in a context. */
export function resourceOptions(kind: ResourceKind, context: OptionsContext): KindOptions {
  const released = context.decommissioned === true && TENANT_KINDS.has(kind);
  return {
    protect: context.production && !released && PROTECTED_IN_PRODUCTION.has(kind),
    retainOnDelete: context.production && RETAINED_IN_PRODUCTION.has(kind),
    dependsOn: DEPENDS_ON[kind] ?? [],
  };
}
