import { usesCloud } from "../model/environment/clouds.ts";
import type { EnvironmentConfig, TenantConfig } from "../model/environment/schema.ts";

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What Pulumi manages for one tenant, in words, for the messages of offboarding: its Auth0
 * applications and grants, and per cloud its roles, bindings and identities, derived from the
 * model the way the program creates them (a workload uses a cloud exactly when it is granted
 * that cloud's API).
 */
export function tenantFootprint(config: Pick<EnvironmentConfig, "apis">, tenant: TenantConfig): string {
  const workloads = tenant.workloads;
  const grants = workloads.reduce((sum, w) => sum + w.grants.length, 0);
  const parts = [
    `${count(workloads.length, "Auth0 application")} with ${count(grants, "grant")} and ${workloads.length === 1 ? "its credentials" : "their credentials"}`,
  ];
  const using = (cloud: "aws" | "gcp" | "azure") => workloads.filter((w) => usesCloud(config, w, cloud));
  const aws = using("aws");
  if (aws.length > 0)
    parts.push(`AWS: ${count(aws.length, "IAM role")} and the tenant's permissions boundary`);
  const gcp = using("gcp");
  // The tenant's service account exists once a workload impersonates it.
  const serviceAccount = gcp.some((w) => w.gcp?.impersonateServiceAccount);
  if (gcp.length > 0)
    parts.push(
      `GCP: the IAM bindings of ${count(gcp.length, "workload")}${serviceAccount ? " and the tenant's service account" : ""}`,
    );
  const azure = using("azure");
  const assignments = tenant.azure?.roleAssignments.length ?? 0;
  if (azure.length > 0)
    parts.push(
      `Azure: the tenant's managed identity, ${count(azure.length, "federated credential")}${assignments > 0 ? ` and ${count(assignments, "role assignment")}` : ""}`,
    );
  return parts.join("; ");
}
