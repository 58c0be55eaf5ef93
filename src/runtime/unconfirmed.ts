/**
 * Behaviours of Auth0's credentials-exchange trigger that no public documentation settles, kept
 * in one place. The runtime follows each as stated here (choosing the stricter reading where it
 * had to choose, so a test that passes here does not fail on Auth0 for that reason); change an
 * entry here when Auth0 confirms otherwise.
 */
export const UNCONFIRMED = {
  asyncHandler:
    "A handler that is not an async function is rejected: Auth0's own test harness does so, and its loader follows the runtime's; the live runtime's behaviour is unconfirmed.",
  thrownHandlerResponse:
    "A handler that throws fails the token request as a server error: HTTP 500 with error server_error; the exact body is unconfirmed.",
  frozenEvent:
    "The event is frozen: a write throws in strict-mode code (every esbuild bundle), failing the request, and is ignored in sloppy code; on Auth0 a write is at most without effect.",
  nonSerializableClaim:
    "setCustomClaim with a value JSON cannot represent (a function, undefined, a BigInt, a cycle) throws here.",
  claimsOverLimit:
    "Custom claims over 100 kB in total fail the token request as a server error here; how Auth0 fails is unconfirmed.",
  laterActionsSeeScopes:
    "A later Action's event.accessToken.scope shows the target scopes as earlier Actions left them (before the grant intersection).",
  cacheExpiryBounds:
    "api.cache.set refuses a ttl or expires_at that is not positive or lies more than 24 h ahead, and both given at once, with InvalidExpiry (rather than clamping).",
  cacheEntryCount: "A 21st cache entry is refused with CacheSizeExceeded.",
  cacheNonStringValue: "api.cache.set with a value that is not a string throws a TypeError.",
  cacheDeleteMissing: "api.cache.delete of a key that is not there succeeds, with no record.",
} as const;

/** The key of one unconfirmed behaviour. */
export type UnconfirmedBehaviour = keyof typeof UNCONFIRMED;
