import type { ApiConfig, Cloud, EnvironmentConfig, TenantConfig, WorkloadConfig } from "./schema.ts";

/** The API whose tokens `cloud` accepts, if the environment has one. */
export function cloudApi(config: Pick<EnvironmentConfig, "apis">, cloud: Cloud): ApiConfig | undefined {
  return config.apis.find((api) => api.cloud === cloud);
}

/** Whether a workload uses `cloud`: it does exactly when it is granted that cloud's API. */
export function usesCloud(
  config: Pick<EnvironmentConfig, "apis">,
  workload: WorkloadConfig,
  cloud: Cloud,
): boolean {
  const api = cloudApi(config, cloud);
  return api !== undefined && workload.grants.some((g) => g.api === api.key);
}

/** The clouds a workload uses. */
export function cloudsOf(config: Pick<EnvironmentConfig, "apis">, workload: WorkloadConfig): Set<Cloud> {
  return new Set((["aws", "gcp", "azure"] as const).filter((c) => usesCloud(config, workload, c)));
}

/** Every (tenant, workload) that uses `cloud`, in model order. */
export function workloadsUsing(
  config: Pick<EnvironmentConfig, "apis" | "tenants">,
  cloud: Cloud,
): { tenant: TenantConfig; workload: WorkloadConfig }[] {
  return config.tenants.flatMap((tenant) =>
    tenant.workloads.filter((w) => usesCloud(config, w, cloud)).map((workload) => ({ tenant, workload })),
  );
}
