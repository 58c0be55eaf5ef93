import type {
  CacheDeleteResult,
  CacheRecord,
  CacheSetOptions,
  CacheSetResult,
} from "../../actions/types/credentials-exchange.ts";
import type { Clock } from "./clock.ts";
import { UNCONFIRMED } from "./unconfirmed.ts";

/**
 * Auth0's Actions cache limits (bytes are UTF-8), from
 * https://auth0.com/docs/customize/actions/limitations ("Cached data"); the default lifetime
 * from the api object page and the official typings
 * (https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-api-object).
 * The official harness allows about 16 kB in all; the documented 8 kB is kept.
 */
export const CACHE_LIMITS = {
  keyBytes: 64,
  valueBytes: 4 * 1024,
  totalBytes: 8 * 1024,
  entries: 20,
  defaultTtlMs: 15 * 60 * 1000,
  maxTtlMs: 24 * 60 * 60 * 1000,
} as const;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const isFiniteNumber = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);

/**
 * The cache of one trigger (Auth0 scopes `api.cache` to the trigger, shared by its Actions),
 * with Auth0's results and limits and a clock the test controls. The checks, their order and
 * the result records follow the official harness
 * (https://github.com/auth0/auth0-actions, src/credentials-exchange/v2/test/index.js and the
 * cache it builds): key size, value size, total size, then the expiry.
 */
export class TriggerCache {
  readonly #entries = new Map<string, CacheRecord>();

  constructor(private readonly clock: Clock) {}

  /** Drops everything, as Auth0 may between executions ("items may vanish"). */
  clear(): void {
    this.#entries.clear();
  }

  /** The record, until its `expires_at` has passed (at `expires_at` itself it is still there). */
  get(key: string): CacheRecord | undefined {
    const record = this.#live(key);
    return record ? { ...record } : undefined;
  }

  set(key: string, value: string, options: CacheSetOptions = {}): CacheSetResult {
    if (typeof value !== "string") {
      // UNCONFIRMED.cacheNonStringValue
      throw new TypeError(`api.cache.set: value must be a string (${UNCONFIRMED.cacheNonStringValue})`);
    }
    if (bytes(key) > CACHE_LIMITS.keyBytes) return { type: "error", code: "CacheKeySizeExceeded" };
    if (bytes(value) > CACHE_LIMITS.valueBytes) return { type: "error", code: "CacheValueSizeExceeded" };
    const now = this.clock.now();
    this.#purge(now);
    const others = [...this.#entries].filter(([k]) => k !== key);
    const total = others.reduce((n, [k, r]) => n + bytes(k) + bytes(r.value), bytes(key) + bytes(value));
    // UNCONFIRMED.cacheEntryCount for the code of the 21st entry.
    if (total > CACHE_LIMITS.totalBytes || others.length + 1 > CACHE_LIMITS.entries) {
      return { type: "error", code: "CacheSizeExceeded" };
    }
    const expiresAt = expiry(now, options ?? {});
    if (typeof expiresAt === "string") return { type: "error", code: expiresAt };
    const record = { value, expires_at: expiresAt };
    this.#entries.set(key, record);
    return { type: "success", record: { ...record } };
  }

  /** Removes a live record; a key that is not there (or has expired) is CacheKeyDoesNotExist. */
  delete(key: string): CacheDeleteResult {
    if (!this.#live(key)) return { type: "error", code: "CacheKeyDoesNotExist" };
    this.#entries.delete(key);
    return { type: "success" };
  }

  #live(key: string): CacheRecord | undefined {
    const record = this.#entries.get(key);
    if (record && record.expires_at < this.clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return record;
  }

  #purge(now: number): void {
    for (const [k, r] of this.#entries) if (r.expires_at < now) this.#entries.delete(k);
  }
}

/**
 * The expiry of a new record, or the error code. `ttl` (floored) counts from now, `expires_at`
 * (floored) is absolute; given both, the earlier wins (typings and docs: "the earlier expiry of
 * the two will be used"); neither, 15 minutes. A value that is not a finite number is
 * InvalidExpiry; an expiry at or before now is ItemAlreadyExpired; one beyond a safe integer is
 * InvalidExpiry (all three as the official harness answers).
 */
function expiry(now: number, options: CacheSetOptions): number | "InvalidExpiry" | "ItemAlreadyExpired" {
  let at: number | undefined;
  if (options.ttl !== undefined) {
    if (!isFiniteNumber(options.ttl)) return "InvalidExpiry";
    at = now + Math.floor(options.ttl);
  }
  if (options.expires_at !== undefined) {
    if (!isFiniteNumber(options.expires_at)) return "InvalidExpiry";
    const absolute = Math.floor(options.expires_at);
    at = at === undefined ? absolute : Math.min(at, absolute);
  }
  at ??= now + CACHE_LIMITS.defaultTtlMs;
  if (at <= now) return "ItemAlreadyExpired";
  if (!Number.isSafeInteger(at)) return "InvalidExpiry";
  // UNCONFIRMED.cacheLifetimeOver24h: refused rather than clamped.
  if (at - now > CACHE_LIMITS.maxTtlMs) return "InvalidExpiry";
  return at;
}
