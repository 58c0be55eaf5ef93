import type { LocalTenant } from "../local-tenant.ts";

/** The `audience` of a token request's body, when it has one. */
export function requestedAudience(body: unknown): unknown {
  return body !== null && typeof body === "object" ? (body as { audience?: unknown }).audience : undefined;
}

/**
 * The tenant as the token endpoint sees it for a Management API token: the management
 * application among the clients, and the Management API as the only API. Everything else (client
 * authentication, grant and scope checks, the trigger's Actions, signing) is the token endpoint's
 * own, as on Auth0, where the trigger also runs for Management API tokens.
 */
export function managementTokenTenant(tenant: LocalTenant): LocalTenant {
  const management = tenant.management.managementClient;
  const api = tenant.management.managementApi();
  return {
    ...tenant,
    clients: new Map(tenant.clients).set(management.clientId, management),
    apis: new Map([[api.identifier, api]]),
  };
}
