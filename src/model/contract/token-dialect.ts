/** Auth0's token dialect when an API names none. */
export const AUTH0_DEFAULT_DIALECT = "access_token";

/** The dialects Auth0 offers for an API's access tokens. */
export const TOKEN_DIALECTS = [
  AUTH0_DEFAULT_DIALECT,
  "access_token_authz",
  "rfc9068_profile",
  "rfc9068_profile_authz",
] as const;

/** How Auth0 shapes an API's access tokens. */
export type TokenDialect = (typeof TOKEN_DIALECTS)[number];

/**
 * Whether an API issues the `rfc9068_profile` dialect (`rfc9068_profile` or
 * `rfc9068_profile_authz`): `client_id` and `jti` instead of `azp`, header `typ: at+jwt`. Decides
 * the token's claims, AWS's client ID list and its `:aud` values, so it is decided here only.
 */
export function isRfc9068(api: { readonly tokenDialect: string }): boolean {
  return api.tokenDialect.startsWith("rfc9068");
}
