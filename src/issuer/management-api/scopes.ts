// The local Management API's audience and the scopes each of its endpoints needs, as Auth0
// documents them per endpoint (Management API v2 reference). `update:actions` for the binding
// list follows the reference's PATCH bindings page; it is the one entry taken from a single page.

/** The Management API audience of a local environment: `{issuer}api/v2/`, as Auth0's is on its domain. */
export function localManagementAudience(issuer: string): string {
  return `${issuer}api/v2/`;
}

/** Every scope the local Management API knows; its management application is granted them all. */
export const MANAGEMENT_SCOPES = [
  "read:clients",
  "create:clients",
  "update:clients",
  "delete:clients",
  "read:client_keys",
  "read:client_credentials",
  "create:client_credentials",
  "read:client_grants",
  "create:client_grants",
  "update:client_grants",
  "delete:client_grants",
  "read:resource_servers",
  "create:resource_servers",
  "update:resource_servers",
  "delete:resource_servers",
  "read:actions",
  "create:actions",
  "update:actions",
  "delete:actions",
] as const;

export type ManagementScope = (typeof MANAGEMENT_SCOPES)[number];

/** What `m2m smoke` needs: reading clients with their secrets, grants, credentials, APIs and Actions. */
export const SMOKE_SCOPES: readonly ManagementScope[] = [
  "read:clients",
  "read:client_keys",
  "read:client_grants",
  "read:resource_servers",
  "read:actions",
];

/** What `m2m drift` and `m2m adopt` need: the same reads (credentials metadata included). */
export const READ_SCOPES: readonly ManagementScope[] = [...SMOKE_SCOPES, "read:client_credentials"];
