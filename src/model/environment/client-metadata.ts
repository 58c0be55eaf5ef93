import { CLIENT_METADATA_KEYS, MANAGED_BY_VALUE } from "../contract/claims.ts";

/** Metadata keys this tool owns on managed clients; workloads cannot set them. */
export const RESERVED_METADATA_KEYS: readonly string[] = Object.values(CLIENT_METADATA_KEYS);

/**
 * The `client_metadata` of a workload's Auth0 application: the workload's own entries plus the
 * marker and tenant identity the tenant-claims Action reads. The tool's keys are written last,
 * so no workload entry can replace them.
 */
export function clientMetadata(
  tenantId: string,
  workload: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...extra,
    [CLIENT_METADATA_KEYS.managedBy]: MANAGED_BY_VALUE,
    [CLIENT_METADATA_KEYS.tenantId]: tenantId,
    [CLIENT_METADATA_KEYS.workload]: workload,
  };
}
