/** Paths of an Auth0 tenant's endpoints, relative to its issuer (which ends in `/`). */
export const ENDPOINT_PATHS = {
  token: "oauth/token",
  jwks: ".well-known/jwks.json",
  discovery: ".well-known/openid-configuration",
} as const;

/** The token endpoint of an issuer (`https://acme.auth0.com/` gives `https://acme.auth0.com/oauth/token`). */
export function tokenEndpointOf(issuer: string): string {
  return `${issuer}${ENDPOINT_PATHS.token}`;
}

/** The JWKS of an issuer. */
export function jwksUriOf(issuer: string): string {
  return `${issuer}${ENDPOINT_PATHS.jwks}`;
}
