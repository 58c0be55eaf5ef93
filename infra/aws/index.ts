import type * as pulumi from "@pulumi/pulumi";
import { workloadsUsing } from "../../src/model/environment/clouds.ts";
import type { Environment } from "../../src/model/environment/environment.ts";
import { workloadKey, workloadResourceName } from "../../src/model/environment/names.ts";
import { awsOidcProviderArn } from "../../src/model/trust/aws/aws-trust.ts";
import { nextTurn } from "../engine-turns.ts";
import { awsProvider } from "./aws-provider.ts";
import { AwsOidcProvider } from "./oidc-provider.ts";
import { TenantBoundary } from "./tenant-boundary.ts";
import { WorkloadRole } from "./workload-role.ts";

/** The AWS side of an environment: the OIDC provider and one role per AWS workload; role ARNs by workload key. */
export async function awsTrust(
  env: Environment,
  clientIds: ReadonlyMap<string, pulumi.Output<string>>,
): Promise<Map<string, pulumi.Output<string>>> {
  const provider = awsProvider(env);
  const oidc = new AwsOidcProvider("auth0", { env, clientIds: Object.fromEntries(clientIds), provider });
  const roles = new Map<string, pulumi.Output<string>>();
  const boundaries = new Map<string, TenantBoundary>();
  for (const { tenant, workload } of workloadsUsing(env, "aws")) {
    const key = workloadKey(tenant.id, workload.name);
    const boundary =
      boundaries.get(tenant.id) ?? new TenantBoundary(`${tenant.id}-boundary`, { env, tenant, provider });
    boundaries.set(tenant.id, boundary);
    const role = new WorkloadRole(workloadResourceName(tenant.id, workload.name), {
      env,
      tenant,
      workload,
      clientId: required(clientIds, key),
      providerArn: awsOidcProviderArn(env),
      oidcProvider: oidc,
      boundary: boundary.policy,
      provider,
    });
    roles.set(key, role.arn);
    await nextTurn();
  }
  return roles;
}

function required<T>(map: ReadonlyMap<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no client for ${key}`);
  return value;
}
