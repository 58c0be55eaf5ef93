import type * as pulumi from "@pulumi/pulumi";
import { usesCloud } from "../../src/model/environment/clouds.ts";
import type { Environment } from "../../src/model/environment/environment.ts";
import { workloadKey } from "../../src/model/environment/names.ts";
import { nextTurn } from "../engine-turns.ts";
import { azureProvider } from "./azure-provider.ts";
import { TenantIdentity } from "./tenant-identity.ts";

/** What an Azure workload names in the token exchange. */
export interface AzureWorkloadOutput {
  /** The tenant identity's client id. */
  readonly clientId: pulumi.Output<string>;
  /** The Entra ID directory (tenant) id. */
  readonly tenantId: string;
}

/** The Azure side of an environment: one identity per tenant with Azure workloads; outputs by workload key. */
export async function azureTrust(
  env: Environment,
  clientIds: ReadonlyMap<string, pulumi.Output<string>>,
): Promise<Map<string, AzureWorkloadOutput>> {
  const cloud = env.clouds.azure;
  if (!cloud) throw new Error("Azure is not on for this environment");
  const provider = azureProvider(env);
  const outputs = new Map<string, AzureWorkloadOutput>();
  for (const tenant of env.tenants) {
    const workloads = tenant.workloads.filter((w) => usesCloud(env, w, "azure"));
    if (workloads.length === 0) continue;
    const ids = new Map(
      workloads.map((w) => {
        const id = clientIds.get(workloadKey(tenant.id, w.name));
        if (id === undefined) throw new Error(`no client for ${workloadKey(tenant.id, w.name)}`);
        return [w.name, id];
      }),
    );
    const identity = new TenantIdentity(tenant.id, { env, tenant, clientIds: ids, provider });
    for (const w of workloads) {
      outputs.set(workloadKey(tenant.id, w.name), { clientId: identity.clientId, tenantId: cloud.tenantId });
    }
    await nextTurn();
  }
  return outputs;
}
