/**
 * What a token cache shared beyond one source holds, and when a cached token is still good to
 * hand out: until its refresh window before `exp`, so that every caller gets a token with at
 * least that much life left (while Auth0 answers: see token-source.ts).
 */
import type { IssuedToken } from "./token-request.ts";

/** A token as handed out: with the time from which it is replaced rather than returned. */
export interface AccessToken extends IssuedToken {
  /** `expiresAt` minus the refresh window, in seconds since the epoch. */
  readonly refreshAt: number;
}

/** The largest default refresh window: 5 minutes. */
export const MAX_REFRESH_WINDOW_S = 300;

/**
 * The refresh window of a token: `windowSeconds` when given, else the smaller of 5 minutes and
 * 10% of its lifetime. Always less than the lifetime, so a fresh token is handed out.
 */
export function refreshWindowOf(token: IssuedToken, windowSeconds?: number): number {
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
  const window = windowSeconds ?? Math.min(MAX_REFRESH_WINDOW_S, lifetime / 10);
  return Math.min(window, lifetime * 0.9);
}

/** `token` with its refresh time. */
export function withRefreshTime(token: IssuedToken, windowSeconds?: number): AccessToken {
  return { ...token, refreshAt: token.expiresAt - refreshWindowOf(token, windowSeconds) };
}

/**
 * A cache several token sources (or processes) share, keyed by a digest of issuer, client,
 * audience, organization and credential. `lock` serializes the request for one key, so that
 * when the cached token is due, one of them asks Auth0 and the others read its answer.
 */
export interface TokenCache {
  read(key: string): Promise<IssuedToken | undefined>;
  write(key: string, token: IssuedToken): Promise<void>;
  /**
   * Waits for the key's lock, at most `maxWaitMs` (then the caller requests anyway: one token too
   * many beats none), and resolves to its release.
   */
  lock(key: string, maxWaitMs: number): Promise<() => Promise<void>>;
}
