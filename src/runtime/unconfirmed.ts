// Behaviours of Auth0's credentials-exchange trigger that no public source settles, kept in one
// table. The runtime follows each as stated here, choosing the stricter reading where it had to
// choose (so a test that passes here does not fail on Auth0 for that reason); each entry names
// the public sources read. Change an entry when Auth0 confirms otherwise.
//
// What the sources did settle is implemented and cited where it is implemented: the cache's
// expiry and results (cache.ts), target scopes and their rules (execution-state.ts),
// `event.agent` (event.ts), Auth0 API audiences (src/model/contract/management-api.ts), no `gty`
// under the rfc9068 dialects (src/model/trust/token-claims.ts).

/** The public sources the table cites. */
const SOURCES = {
  eventObject:
    "https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-event-object",
  apiObject: "https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-api-object",
  scopes: "https://auth0.com/docs/customize/actions/handling-scopes-in-actions",
  limitations: "https://auth0.com/docs/customize/actions/limitations",
  customClaims:
    "https://auth0.com/docs/troubleshoot/product-lifecycle/past-migrations/custom-claims-migration",
  typings: "https://github.com/auth0/auth0-actions/blob/HEAD/src/credentials-exchange/v2/index.d.ts",
  harness: "https://github.com/auth0/auth0-actions/blob/HEAD/src/credentials-exchange/v2/test/index.js",
  harnessShared: "https://github.com/auth0/auth0-actions/tree/HEAD/src/_shared",
  postLoginHarness: "https://github.com/auth0/auth0-actions/blob/HEAD/src/post-login/v3/test/index.js",
} as const;

/** One unsettled behaviour: what the runtime does, and the public sources read about it. */
export interface UnconfirmedEntry {
  readonly behaviour: string;
  readonly sources: readonly string[];
}

/** The table. */
export const UNCONFIRMED_TABLE = {
  asyncHandler: {
    behaviour:
      "A handler that is not an async function is rejected: Auth0's own test harness does so, and its loader follows the runtime's; the live runtime's behaviour is unconfirmed.",
    sources: [SOURCES.harness, SOURCES.harnessShared, SOURCES.typings],
  },
  thrownHandlerResponse: {
    behaviour:
      "A handler that throws fails the token request as a server error: HTTP 500 with error server_error; the exact body is unconfirmed.",
    sources: [SOURCES.apiObject, SOURCES.limitations],
  },
  frozenEvent: {
    behaviour:
      "The event is frozen (event.transaction.target_scopes moves, but only through api.transaction): a write throws in strict-mode code (every esbuild bundle), failing the request, and is ignored in sloppy code. The official harness hands Actions a plain deep-cloned object; what a write does on Auth0 is unconfirmed.",
    sources: [SOURCES.harness, SOURCES.scopes],
  },
  accessTokenFixed: {
    behaviour:
      "event.accessToken (customClaims and scope) is what the trigger started with, the same for every Action: claims set and target scopes changed by earlier Actions do not show there (target scopes show in event.transaction.target_scopes). The official harness never updates it; no source says whether Auth0 does.",
    sources: [SOURCES.eventObject, SOURCES.typings, SOURCES.harness, SOURCES.scopes],
  },
  targetScopesStart: {
    behaviour:
      "event.transaction.target_scopes starts from the requested scopes when the request names some (Auth0 refuses a request outside the grant before the trigger), else from every scope of the client grant. The docs say only that it starts from the client grant's scopes; the official harness starts it from event.accessToken.scope.",
    sources: [SOURCES.eventObject, SOURCES.scopes, SOURCES.typings, SOURCES.harness],
  },
  scopeClaim: {
    behaviour:
      'api.accessToken.setCustomClaim("scope", ...) throws here, failing the request: the official post-login harness refuses that name with an error, the credentials-exchange harness does not check, and the custom-claims page does not list scope among the names Auth0 ignores.',
    sources: [SOURCES.postLoginHarness, SOURCES.harness, SOURCES.customClaims],
  },
  claimName: {
    behaviour:
      "api.accessToken.setCustomClaim with a name that is not a non-empty string throws a TypeError.",
    sources: [SOURCES.apiObject, SOURCES.typings, SOURCES.harness],
  },
  protoClaim: {
    behaviour:
      "A claim an Action names __proto__ is kept like any other name, as a claim of its own (it reaches the token under that name); what Auth0 does with that name is unconfirmed.",
    sources: [SOURCES.apiObject, SOURCES.typings, SOURCES.customClaims],
  },
  nonSerializableClaim: {
    behaviour:
      "setCustomClaim with a value JSON cannot represent (a function, undefined, a BigInt, a cycle) throws here.",
    sources: [SOURCES.apiObject, SOURCES.typings, SOURCES.harness],
  },
  claimsOverLimit: {
    behaviour:
      "Custom claims over 100 kB in total fail the token request (the custom-claims page: the transaction fails with an error) as a server error here; the response Auth0 sends is unconfirmed.",
    sources: [SOURCES.customClaims],
  },
  denyCode: {
    behaviour:
      "api.access.deny with a code other than invalid_scope, invalid_request or server_error throws, failing the request. The docs and typings allow only those three; what another code does is unconfirmed, and the official harness does not check.",
    sources: [SOURCES.apiObject, SOURCES.typings, SOURCES.harness],
  },
  cacheLifetimeOver24h: {
    behaviour:
      "api.cache.set with a ttl or expires_at more than 24 h ahead fails with InvalidExpiry (rather than being clamped). The limits page says cached items persist for at most 24 hours and the typings that lifetimes may not exceed that, neither says how; the official harness does not check.",
    sources: [SOURCES.limitations, SOURCES.typings, SOURCES.harnessShared],
  },
  cacheEntryCount: {
    behaviour:
      "A 21st cache entry is refused with CacheSizeExceeded: the limits page allows 20 entries but names no code, and the official harness does not count entries.",
    sources: [SOURCES.limitations, SOURCES.typings, SOURCES.harnessShared],
  },
  cacheNonStringValue: {
    behaviour:
      "api.cache.set with a value that is not a string throws a TypeError (the typings take a string; the official harness throws a TypeError for a number, from measuring it).",
    sources: [SOURCES.apiObject, SOURCES.typings, SOURCES.harnessShared],
  },
} as const satisfies Record<string, UnconfirmedEntry>;

/** The key of one unconfirmed behaviour. */
export type UnconfirmedBehaviour = keyof typeof UNCONFIRMED_TABLE;

/** Each unconfirmed behaviour as one sentence, for messages. */
export const UNCONFIRMED = Object.fromEntries(
  Object.entries(UNCONFIRMED_TABLE).map(([key, entry]) => [key, entry.behaviour]),
) as { readonly [K in UnconfirmedBehaviour]: (typeof UNCONFIRMED_TABLE)[K]["behaviour"] };
