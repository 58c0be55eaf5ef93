// Claim names and the client-metadata contract between the Pulumi program (which writes the
// metadata on each managed Auth0 client) and the tenant-claims Action (which reads it).
// Dependency-free on purpose: the Action bundle inlines this module.

/** Client-metadata keys this tool writes on every client it manages. */
export const CLIENT_METADATA_KEYS = {
  /** Marks the client as managed by this tool; the Action ignores clients without it. */
  managedBy: "managed_by",
  tenantId: "tenant_id",
  workload: "workload",
} as const;

/** Value of the `managed_by` client-metadata key. */
export const MANAGED_BY_VALUE = "auth0-m2m-federation";

/** The custom claims the tenant-claims Action sets, named under the environment's namespace. */
export interface TenantClaimNames {
  /** `{namespace}tenant_id`: the tenant the token's client belongs to. */
  readonly tenantId: string;
  /** `{namespace}workload`: the workload within that tenant. */
  readonly workload: string;
}

/** The tenant claim names for a namespace such as `https://claims.example.com/`. */
export function tenantClaimNames(namespace: string): TenantClaimNames {
  return { tenantId: `${namespace}tenant_id`, workload: `${namespace}workload` };
}
