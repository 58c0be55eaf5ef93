/**
 * A workload's token source: Auth0 client-credentials tokens, cached per (issuer, client,
 * audience, organization, credential) until a refresh window before `exp`, one request however
 * many callers wait (single flight), refreshed ahead of expiry by unref'd timers while in use,
 * retried with backoff within a deadline. Auth0 counts every token against the tenant's M2M
 * quota, and node-auth0 dropped its token cache: this is that cache.
 */
import { createHash } from "node:crypto";
import { type ClientCredential, credentialDigest } from "./client-credential.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, requestWithRetries } from "./retry-policy.ts";
import { type AccessToken, type TokenCache, withRefreshTime } from "./token-cache.ts";
import { TokenRequestError } from "./token-errors.ts";
import { checkedIssuer, type TokenRequester, tokenRequester } from "./token-request.ts";

/** What a token source asks for, and how. */
export interface TokenSourceOptions {
  /** The issuer, trailing slash included: `https://acme.eu.auth0.com/` (http only on loopback). */
  readonly issuer: string;
  /** The workload's Auth0 client id (its stack output `clientId`). */
  readonly clientId: string;
  /** Its secret or private key; never logged, never part of an error. */
  readonly credential: ClientCredential;
  /** The API identifier: the token's `aud`. */
  readonly audience: string;
  /** An organization id or name. Default: none. */
  readonly organization?: string;
  /** Seconds before `exp` from which a token is replaced. Default: the smaller of 300 and 10% of its lifetime. */
  readonly refreshWindowSeconds?: number;
  /** Refresh a token in use before its window, with an unref'd timer. Default: true (false with `clock`). */
  readonly refreshAhead?: boolean;
  /** A cache shared across sources or processes (fileTokenCache()). Default: this process's memory only. */
  readonly cache?: TokenCache;
  /** The fetch to use (custom CA, proxy). Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Retries; the deadline bounds every getToken that has to ask Auth0. Default: DEFAULT_RETRY_POLICY (25 s). */
  readonly retry?: Partial<RetryPolicy>;
  /** The current time in ms, for simulations. Default: Date.now. */
  readonly clock?: () => number;
  /**
   * Told when a refresh fails while the cached token is still handed out: ahead of its refresh
   * time, or after it while Auth0 cannot be reached and the token has 30 s left. Default: ignored.
   */
  readonly onRefreshError?: (error: unknown) => void;
  /** Makes the requests, for tests and benchmarks of the cache alone. Default: to `issuer`'s token endpoint. */
  readonly requester?: TokenRequester;
}

/** Tokens for one (client, audience). */
export interface TokenSource {
  readonly clientId: string;
  readonly audience: string;
  /** A token with at least the refresh window left. */
  getToken(): Promise<string>;
  /** The same, with its issue, refresh and expiry times (seconds since the epoch). */
  getAccessToken(): Promise<AccessToken>;
  /** Stops refreshing ahead; cached tokens stay for other sources of the same key. */
  close(): void;
}

/** One key's token and the request in flight, shared by every source of the key in this process. */
interface Entry {
  token?: AccessToken;
  inflight?: Promise<AccessToken>;
  /** When (ms, the source's clock) a refresh last failed in a way worth trying again. */
  failedAtMs?: number;
}

const entries = new Map<string, Entry>();

/** A refresh ahead that failed is tried again this often while the token lasts. */
const RETRY_AHEAD_MS = 30_000;

/**
 * While Auth0 cannot be reached (network errors, 5xx, 429), a cached token that is past its
 * refresh time but has at least this long left is handed out rather than an error, and callers
 * do not each wait out another failing request: the next attempt comes RETRY_AHEAD_MS later.
 */
const STALE_MARGIN_S = 30;

/** The cache key: a digest of who asks for what with which credential (no secret in it). */
export function tokenCacheKey(
  options: Pick<TokenSourceOptions, "issuer" | "clientId" | "audience" | "organization" | "credential">,
): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        options.issuer,
        options.clientId,
        options.audience,
        options.organization ?? "",
        credentialDigest(options.credential),
      ]),
    )
    .digest("hex");
}

/** A token source for `options`; checks the issuer and the credential before any request. */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  checkedIssuer(options.issuer);
  if (!options.clientId) throw new TypeError("clientId is empty: give the workload's Auth0 client id");
  if (!options.audience) throw new TypeError("audience is empty: give the API identifier the token is for");
  const key = tokenCacheKey(options);
  let entry = entries.get(key);
  if (!entry) {
    entry = {};
    entries.set(key, entry);
  }
  const shared = entry;
  const request = options.requester ?? tokenRequester(options);
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.clock ?? Date.now;
  const refreshAhead = options.refreshAhead ?? options.clock === undefined;
  const cache = options.cache;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let scheduledFor: AccessToken | undefined;
  let usedSinceScheduled = false;

  const fresh = (token: AccessToken | undefined): token is AccessToken =>
    token !== undefined && now() / 1000 < token.refreshAt;
  const timed = (token: Parameters<typeof withRefreshTime>[0]) =>
    withRefreshTime(token, options.refreshWindowSeconds);

  async function obtain(): Promise<AccessToken> {
    if (cache) {
      const cached = await cache.read(key);
      if (cached && fresh(timed(cached))) return timed(cached);
    }
    // One deadline for waiting on another process and for our own request: the GCP executable
    // source must answer within Google's 30 s. At most half of it is spent waiting.
    const startedAt = Date.now();
    const release = cache ? await cache.lock(key, policy.deadlineMs / 2) : undefined;
    try {
      if (cache) {
        const cached = await cache.read(key);
        if (cached && fresh(timed(cached))) return timed(cached);
      }
      const issued = await requestWithRetries(request, {
        ...policy,
        deadlineMs: policy.deadlineMs - (Date.now() - startedAt),
      });
      await cache?.write(key, issued);
      return timed(issued);
    } finally {
      await release?.();
    }
  }

  function refresh(): Promise<AccessToken> {
    if (!shared.inflight) {
      shared.inflight = obtain()
        .then((token) => {
          shared.token = token;
          return token;
        })
        .finally(() => {
          shared.inflight = undefined;
        });
    }
    return shared.inflight;
  }

  /** Refreshes `token` shortly before its refresh time, if it was used meanwhile. */
  function schedule(token: AccessToken, delayMs?: number): void {
    if (!refreshAhead || closed || (scheduledFor === token && delayMs === undefined)) return;
    clearTimeout(timer);
    scheduledFor = token;
    usedSinceScheduled = false;
    const windowMs = (token.expiresAt - token.refreshAt) * 1000;
    // Up to a tenth of the window early, so processes sharing a cache do not all ask at once.
    const at = delayMs ?? token.refreshAt * 1000 - now() - Math.random() * windowMs * 0.1;
    timer = setTimeout(
      () => {
        if (closed || !usedSinceScheduled) return;
        refresh().then(
          (next) => schedule(next),
          (error: unknown) => {
            options.onRefreshError?.(error);
            if (now() / 1000 < token.expiresAt) schedule(token, RETRY_AHEAD_MS);
          },
        );
      },
      Math.max(0, at),
    );
    timer.unref();
  }

  /** The cached token if Auth0 is failing and it still has STALE_MARGIN_S left. */
  const stillUsable = (token: AccessToken | undefined): token is AccessToken =>
    token !== undefined && now() / 1000 < token.expiresAt - STALE_MARGIN_S;

  async function current(): Promise<AccessToken> {
    const cached = shared.token;
    if (fresh(cached)) return cached;
    const failedAt = shared.failedAtMs;
    if (failedAt !== undefined && now() - failedAt < RETRY_AHEAD_MS && stillUsable(cached)) return cached;
    try {
      const token = await refresh();
      delete shared.failedAtMs;
      return token;
    } catch (error) {
      if (!(error instanceof TokenRequestError && error.details.retryable) || !stillUsable(cached))
        throw error;
      shared.failedAtMs = now();
      options.onRefreshError?.(error);
      return cached;
    }
  }

  async function getAccessToken(): Promise<AccessToken> {
    const token = await current();
    if (token !== scheduledFor) schedule(token);
    usedSinceScheduled = true;
    return token;
  }

  return {
    clientId: options.clientId,
    audience: options.audience,
    getAccessToken,
    async getToken() {
      return (await getAccessToken()).accessToken;
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
