/**
 * Auth0's own Management API audience. The credentials-exchange trigger also runs for tokens to
 * it (possibly Pulumi's own), and an Action must never deny those, or it locks the tenant's
 * automation out. The Management API always lives on the tenant's canonical domain.
 */
export function managementApiAudience(canonicalDomain: string): string {
  return `https://${canonicalDomain}/api/v2/`;
}

/** The paths of Auth0's own APIs on a tenant's domain, with and without the trailing slash. */
const AUTH0_API_PATHS: ReadonlySet<string> = new Set([
  "/api",
  "/api/",
  "/api/v2",
  "/api/v2/",
  "/mfa",
  "/mfa/",
]);

/**
 * Whether `audience` is one of Auth0's own APIs on the tenant: `/api`, `/api/v2` or `/mfa` on its
 * canonical domain (`{tenant}.auth0.com`) or the `auth0app.com` twin of that domain. Tokens for
 * these audiences never carry private, non-namespaced custom claims; `/userinfo` is exempt
 * ("Restricted token audience",
 * https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/custom-claims-migration).
 */
export function isAuth0ApiAudience(audience: string, canonicalDomain: string): boolean {
  let url: URL;
  try {
    url = new URL(audience);
  } catch {
    return false;
  }
  const domain = canonicalDomain.toLowerCase();
  const hosts = [
    domain,
    ...(domain.endsWith(".auth0.com") ? [`${domain.slice(0, -".auth0.com".length)}.auth0app.com`] : []),
  ];
  return (
    url.protocol === "https:" &&
    url.search === "" &&
    url.hash === "" &&
    hosts.includes(url.hostname) &&
    AUTH0_API_PATHS.has(url.pathname)
  );
}
