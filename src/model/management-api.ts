/**
 * Auth0's own Management API audience. The credentials-exchange trigger also runs for tokens to
 * it (possibly Pulumi's own), and an Action must never deny those, or it locks the tenant's
 * automation out. The Management API always lives on the tenant's canonical domain.
 */
export function managementApiAudience(canonicalDomain: string): string {
  return `https://${canonicalDomain}/api/v2/`;
}
