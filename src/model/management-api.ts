/**
 * Auth0's own Management API audience, `https://{canonical domain}/api/v2/`. The
 * credentials-exchange trigger also runs for tokens to it (possibly Pulumi's own), and an Action
 * must never deny those, or it locks the tenant's automation out. Dependency-free: the Action
 * bundle inlines it.
 */
const MANAGEMENT_API_AUDIENCE = /^https:\/\/[^/\s]+\/api\/v2\/?$/;

/** True when `audience` is some tenant's Management API identifier. */
export function isManagementApiAudience(audience: unknown): boolean {
  return typeof audience === "string" && MANAGEMENT_API_AUDIENCE.test(audience);
}

/** The Management API identifier of the tenant at `domain`. */
export function managementApiAudience(domain: string): string {
  return `https://${domain}/api/v2/`;
}
