/**
 * Every GCP grant of an environment with the identity that holds it and where it is declared:
 * a workload's subject principal (`tenants[t].workloads[w].gcp.roles[r]`) or its tenant's
 * service account (`tenants[t].gcp.serviceAccountRoles[r]`). Rules, reach and limits read
 * grants through this one list.
 */

import type { EnvironmentConfig, GcpGrant } from "../../environment/schema.ts";

/** One GCP grant: the role, the tenant and workload (or service account) holding it, where it is declared. */
export interface GcpDeclaredGrant {
  readonly tenantId: string;
  /** The workload whose subject holds it; undefined for the tenant's service account. */
  readonly workload?: string;
  /** `workload initech/report-export` or `service account of initech`. */
  readonly holder: string;
  readonly path: string;
  readonly grant: GcpGrant;
}

const declaredGrants = new WeakMap<object, readonly GcpDeclaredGrant[]>();

/**
 * The grants of every tenant, in model order: each workload's, then the service account's.
 * Computed once per environment (the model is immutable once parsed).
 */
export function gcpDeclaredGrants(config: Pick<EnvironmentConfig, "tenants">): readonly GcpDeclaredGrant[] {
  const cached = declaredGrants.get(config);
  if (cached) return cached;
  const grants = declare(config);
  declaredGrants.set(config, grants);
  return grants;
}

/** The grants of one holder: a workload's subject, or (no workload) the tenant's service account. */
export function gcpGrantsOf(
  config: Pick<EnvironmentConfig, "tenants">,
  tenantId: string,
  workload: string | undefined,
): readonly GcpDeclaredGrant[] {
  let byHolder = grantsByHolder.get(config);
  if (!byHolder) {
    byHolder = new Map();
    for (const g of gcpDeclaredGrants(config)) {
      const key = `${g.tenantId}\u0000${g.workload ?? ""}`;
      byHolder.set(key, [...(byHolder.get(key) ?? []), g]);
    }
    grantsByHolder.set(config, byHolder);
  }
  return byHolder.get(`${tenantId}\u0000${workload ?? ""}`) ?? [];
}

const grantsByHolder = new WeakMap<object, Map<string, GcpDeclaredGrant[]>>();

function declare(config: Pick<EnvironmentConfig, "tenants">): GcpDeclaredGrant[] {
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
