/**
 * Auth0's rules for custom claims on access tokens
 * (https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/custom-claims-migration):
 * restricted names and forbidden namespaces are left out of the token silently, and
 * non-namespaced names are left out of tokens for Auth0's own APIs (`/api`, `/api/v2`, `/mfa`:
 * see isAuth0ApiAudience in src/model/contract/management-api.ts).
 */

import { forbiddenNamespaceHost } from "../model/contract/claims-namespace.ts";

/** Claim names Auth0 leaves out of the token silently (the custom-claims page's list). */
export const RESTRICTED_CLAIMS: ReadonlySet<string> = new Set([
  "acr",
  "act",
  "active",
  "amr",
  "at_hash",
  "ath",
  "attest",
  "aud",
  "auth_time",
  "authorization_details",
  "azp",
  "c_hash",
  "client_id",
  "cnf",
  "cty",
  "dest",
  "entitlements",
  "events",
  "exp",
  "groups",
  "gty",
  "htm",
  "htu",
  "iat",
  "internalService",
  "iss",
  "jcard",
  "jku",
  "jti",
  "jwe",
  "jwk",
  "kid",
  "may_act",
  "mky",
  "nbf",
  "nonce",
  "object_id",
  "org_id",
  "org_name",
  "orig",
  "origid",
  "permissions",
  "roles",
  "rph",
  "s_hash",
  "sid",
  "sip_callid",
  "sip_cseq_num",
  "sip_date",
  "sip_from_tag",
  "sip_via_branch",
  "sub",
  "sub_jwk",
  "toe",
  "txn",
  "typ",
  "uuid",
  "vot",
  "vtm",
  "x5t#S256",
]);

/**
 * Claim names `setCustomClaim` refuses with an error (UNCONFIRMED.scopeClaim): the official
 * harness's helper refuses `scope` so
 * (https://github.com/auth0/auth0-actions/blob/HEAD/src/post-login/v3/test/index.js).
 */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set(["scope"]);

/** All custom claims of one token together: 100 kB. */
export const CUSTOM_CLAIMS_LIMIT_BYTES = 100 * 1024;

/** Why Auth0 would leave a claim out of the token, or undefined when it keeps it. */
export function claimRejection(
  name: string,
  audienceIsAuth0Api: boolean,
): { rule: "restricted-claim" | "forbidden-namespace" | "auth0-api-claim"; message: string } | undefined {
  if (RESTRICTED_CLAIMS.has(name)) {
    return {
      rule: "restricted-claim",
      message: `"${name}" is a restricted claim name; Auth0 leaves it out of the token`,
    };
  }
  if (name.startsWith("urn:auth0")) {
    return {
      rule: "forbidden-namespace",
      message: `"${name}" uses the reserved urn:auth0 namespace; Auth0 leaves it out`,
    };
  }
  const host = forbiddenNamespaceHost(name);
  if (host) {
    return {
      rule: "forbidden-namespace",
      message: `"${name}" is namespaced under ${host}; Auth0 leaves it out`,
    };
  }
  if (audienceIsAuth0Api && !/^https?:\/\//.test(name)) {
    return {
      rule: "auth0-api-claim",
      message: `"${name}" is not namespaced; tokens for Auth0's own APIs only take namespaced claims`,
    };
  }
  return undefined;
}
