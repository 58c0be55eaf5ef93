/**
 * Resource options as pure data. Pulumi's mocks cannot show options (protect, retainOnDelete,
 * dependsOn), so the program takes them from this one function, and the tests assert on it.
 */

/** The kinds of resources the program creates. */
export type ResourceKind =
  | "api"
  | "apiScopes"
  | "client"
  | "clientGrant"
  | "clientCredentials"
  | "action"
  | "triggerBinding";

/** The options of one kind of resource in one environment. */
export interface KindOptions {
  /** Refuse deletion and replacement (`pulumi up` fails instead). Default: production only. */
  readonly protect: boolean;
  /** Leave the cloud or Auth0 object in place when Pulumi deletes the resource. */
  readonly retainOnDelete: boolean;
  /** Kinds whose resources must exist before this one is created (and outlive it on delete). */
  readonly dependsOn: readonly ResourceKind[];
}

/**
 * Protected in production: the identities and grants workloads depend on, and the Action and
 * the trigger's binding list, whose deletion (a destroy, or a rename that replaces it) would
 * unbind every Action on the trigger, other teams' included.
 */
const PROTECTED_IN_PRODUCTION: ReadonlySet<ResourceKind> = new Set([
  "api",
  "apiScopes",
  "client",
  "clientGrant",
  "clientCredentials",
  "action",
  "triggerBinding",
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
};

/** The options of `kind` in an environment. */
export function resourceOptions(kind: ResourceKind, env: { readonly production: boolean }): KindOptions {
  return {
    protect: env.production && PROTECTED_IN_PRODUCTION.has(kind),
    retainOnDelete: false,
    dependsOn: DEPENDS_ON[kind] ?? [],
  };
}
