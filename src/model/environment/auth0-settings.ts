/**
 * The Auth0 settings the program gives every API and every workload application beyond the
 * model's own fields, in one place: the program registers them, the local environment provisions
 * them, and `m2m drift` and `m2m adopt` compare the live tenant with them.
 */

import type { TenantConfig, WorkloadConfig } from "./schema.ts";

/** An API's settings besides identifier, name, scopes, algorithm, lifetime and dialect. */
export function apiSettings(api: { readonly tokenDialect: string }) {
  return {
    // The *_authz dialects add a permissions claim, which Auth0 fills only with RBAC on.
    enforcePolicies: api.tokenDialect.endsWith("_authz"),
    allowOfflineAccess: false,
    skipConsentForVerifiableFirstPartyClients: true,
  } as const;
}

/** A workload application's type and flows: machine-to-machine, client credentials only. */
export const WORKLOAD_CLIENT_SETTINGS = {
  appType: "non_interactive",
  grantTypes: ["client_credentials"],
  isFirstParty: true,
  oidcConformant: true,
  crossOriginAuth: false,
  callbacks: [],
  allowedOrigins: [],
  webOrigins: [],
} as const;

/** A workload application's description: the model's, or one naming its workload, tenant and environment. */
export function workloadDescription(
  envName: string,
  tenant: Pick<TenantConfig, "id">,
  workload: Pick<WorkloadConfig, "name" | "description">,
): string {
  return workload.description ?? `Workload ${workload.name} of tenant ${tenant.id} (${envName})`;
}
