import type { EnvironmentConfig, GcpGrant } from "./schema.ts";

/**
 * Every GCP grant of an environment with the identity that holds it and where it is declared:
 * a workload's subject principal (`tenants[t].workloads[w].gcp.roles[r]`) or its tenant's
 * service account (`tenants[t].gcp.serviceAccountRoles[r]`). Rules, reach and limits read
 * grants through this one list.
 */
export interface GcpDeclaredGrant {
  readonly tenantId: string;
  /** The workload whose subject holds it; undefined for the tenant's service account. */
  readonly workload?: string;
  /** `workload initech/report-export` or `service account of initech`. */
  readonly holder: string;
  readonly path: string;
  readonly grant: GcpGrant;
}

/** The grants of every tenant, in model order: each workload's, then the service account's. */
export function gcpDeclaredGrants(config: Pick<EnvironmentConfig, "tenants">): GcpDeclaredGrant[] {
  return config.tenants.flatMap((tenant, t) => [
    ...tenant.workloads.flatMap((workload, w) =>
      (workload.gcp?.roles ?? []).map((grant, r) => ({
        tenantId: tenant.id,
        workload: workload.name,
        holder: `workload ${tenant.id}/${workload.name}`,
        path: `tenants[${t}].workloads[${w}].gcp.roles[${r}]`,
        grant,
      })),
    ),
    ...(tenant.gcp?.serviceAccountRoles ?? []).map((grant, r) => ({
      tenantId: tenant.id,
      holder: `service account of ${tenant.id}`,
      path: `tenants[${t}].gcp.serviceAccountRoles[${r}]`,
      grant,
    })),
  ]);
}
