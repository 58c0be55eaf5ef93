// The rule for tenant ids and workload names. Dependency-free on purpose: the tenant-claims
// Action imports it (esbuild inlines it), so the model and the deployed Action enforce the
// same rule from one definition.

/** 3 to 20 characters of `[a-z0-9-]`, starting with a letter, not ending with `-`. */
export const TENANT_ID_PATTERN = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/** The rule in words, for error messages. */
export const TENANT_ID_RULE =
  "3 to 20 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'";

/** True when `value` is a string that satisfies the tenant-id rule. */
export function isTenantId(value: unknown): value is string {
  return typeof value === "string" && TENANT_ID_PATTERN.test(value);
}

/** Workload names follow the tenant-id rule: they end up in the same composed names. */
export const isWorkloadName = isTenantId;
