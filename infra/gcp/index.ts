import type * as pulumi from "@pulumi/pulumi";
import { workloadsUsing } from "../../src/model/environment/clouds.ts";
import type { Environment } from "../../src/model/environment/environment.ts";
import { workloadKey, workloadResourceName } from "../../src/model/environment/names.ts";
import { nextTurn } from "../engine-turns.ts";
import { gcpProvider } from "./gcp-provider.ts";
import { TenantServiceAccount } from "./tenant-service-account.ts";
import { WorkloadAccess } from "./workload-access.ts";
import { WorkloadIdentityPool } from "./workload-identity-pool.ts";

/**
 * The GCP side of an environment: the pool and provider, per tenant a service account when one
 * of its workloads impersonates it, per GCP workload its access; credential configurations by
 * workload key.
 */
export async function gcpTrust(
  env: Environment,
  clientIds: ReadonlyMap<string, pulumi.Output<string>>,
): Promise<Map<string, pulumi.Output<string>>> {
  const provider = gcpProvider(env);
  const pool = new WorkloadIdentityPool("auth0", { env, provider });
  const accounts = new Map<string, TenantServiceAccount>();
  const configurations = new Map<string, pulumi.Output<string>>();
  for (const { tenant, workload } of workloadsUsing(env, "gcp")) {
    const key = workloadKey(tenant.id, workload.name);
    const clientId = clientIds.get(key);
    if (clientId === undefined) throw new Error(`no client for ${key}`);
    let account = accounts.get(tenant.id);
    if (!account && workload.gcp?.impersonateServiceAccount) {
      account = new TenantServiceAccount(tenant.id, { env, tenant, provider });
      accounts.set(tenant.id, account);
    }
    const access = new WorkloadAccess(workloadResourceName(tenant.id, workload.name), {
      env,
      tenant,
      workload,
      clientId,
      ...(account ? { serviceAccount: account.account } : {}),
      pool: pool.pool,
      provider,
    });
    configurations.set(key, access.credentialConfiguration);
    await nextTurn();
  }
  return configurations;
}
