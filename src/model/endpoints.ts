/** The token endpoint of an issuer (`https://acme.auth0.com/` gives `https://acme.auth0.com/oauth/token`). */
export function tokenEndpointOf(issuer: string): string {
  return `${issuer}oauth/token`;
}

/** The JWKS of an issuer. */
export function jwksUriOf(issuer: string): string {
  return `${issuer}.well-known/jwks.json`;
}
