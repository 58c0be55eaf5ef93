import { CLIENT_METADATA_KEYS, MANAGED_BY_VALUE } from "../model/contract/claims.ts";
import { workloadKey } from "../model/environment/names.ts";
import type { LiveClient, LiveTenant } from "./live-tenant.ts";

/** Whether a live application carries this tool's `managed_by` marker. */
export function isManaged(client: LiveClient): boolean {
  return client.metadata[CLIENT_METADATA_KEYS.managedBy] === MANAGED_BY_VALUE;
}

/** The `tenant/workload` a managed application says it is, from its metadata. */
export function workloadOfMetadata(client: LiveClient): string | undefined {
  const tenantId = client.metadata[CLIENT_METADATA_KEYS.tenantId];
  const workload = client.metadata[CLIENT_METADATA_KEYS.workload];
  return tenantId && workload ? workloadKey(tenantId, workload) : undefined;
}

/** Live managed applications by `tenant/workload`; several claiming one key are all kept. */
export function managedByWorkload(live: LiveTenant): Map<string, LiveClient[]> {
  const byKey = new Map<string, LiveClient[]>();
  for (const client of live.clients) {
    if (!isManaged(client)) continue;
    const key = workloadOfMetadata(client) ?? `(no tenant_id/workload) ${client.clientId}`;
    byKey.set(key, [...(byKey.get(key) ?? []), client]);
  }
  return byKey;
}
