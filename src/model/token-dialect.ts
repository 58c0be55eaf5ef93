/**
 * Whether an API issues the `rfc9068_profile` dialect (`rfc9068_profile` or
 * `rfc9068_profile_authz`): `client_id` and `jti` instead of `azp`, header `typ: at+jwt`. Decides
 * the token's claims, AWS's client ID list and its `:aud` values, so it is decided here only.
 */
export function isRfc9068(api: { readonly tokenDialect: string }): boolean {
  return api.tokenDialect.startsWith("rfc9068");
}
