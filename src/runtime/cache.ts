import type { CacheRecord, CacheWriteResult } from "../../actions/types/credentials-exchange.ts";
import type { Clock } from "./clock.ts";
import { UNCONFIRMED } from "./unconfirmed.ts";

/** Auth0's Actions cache limits (bytes are UTF-8). */
export const CACHE_LIMITS = {
  keyBytes: 64,
  valueBytes: 4 * 1024,
  totalBytes: 8 * 1024,
  entries: 20,
  defaultTtlMs: 15 * 60 * 1000,
  maxTtlMs: 24 * 60 * 60 * 1000,
} as const;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * The cache of one trigger (Auth0 scopes `api.cache` to the trigger, shared by its Actions),
 * with Auth0's documented results and limits and a clock the test controls.
 */
export class TriggerCache {
  readonly #entries = new Map<string, CacheRecord>();

  constructor(private readonly clock: Clock) {}

  /** Drops everything, as Auth0 may between executions ("items may vanish"). */
  clear(): void {
    this.#entries.clear();
  }

  get(key: string): CacheRecord | undefined {
    const record = this.#entries.get(key);
    if (!record) return undefined;
    if (record.expires_at <= this.clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return { ...record };
  }

  set(key: string, value: string, options: { ttl?: number; expires_at?: number } = {}): CacheWriteResult {
    if (typeof value !== "string") {
      // UNCONFIRMED.cacheNonStringValue
      throw new TypeError(`api.cache.set: value must be a string (${UNCONFIRMED.cacheNonStringValue})`);
    }
    if (bytes(key) > CACHE_LIMITS.keyBytes) return { type: "error", code: "CacheKeySizeExceeded" };
    if (bytes(value) > CACHE_LIMITS.valueBytes) return { type: "error", code: "CacheValueSizeExceeded" };
    const now = this.clock.now();
    const expiresAt = this.#expiry(now, options);
    if (expiresAt === undefined) return { type: "error", code: "InvalidExpiry" };
    this.#purge(now);
    const others = [...this.#entries].filter(([k]) => k !== key);
    const total = others.reduce((n, [k, r]) => n + bytes(k) + bytes(r.value), bytes(key) + bytes(value));
    // UNCONFIRMED.cacheEntryCount for the code of the 21st entry.
    if (total > CACHE_LIMITS.totalBytes || others.length + 1 > CACHE_LIMITS.entries) {
      return { type: "error", code: "CacheSizeExceeded" };
    }
    const record = { value, expires_at: expiresAt };
    this.#entries.set(key, record);
    return { type: "success", record: { ...record } };
  }

  delete(key: string): CacheWriteResult {
    const record = this.#entries.get(key);
    this.#entries.delete(key);
    // UNCONFIRMED.cacheDeleteMissing
    return record ? { type: "success", record: { ...record } } : { type: "success" };
  }

  /** UNCONFIRMED.cacheExpiryBounds: refuse rather than clamp. */
  #expiry(now: number, options: { ttl?: number; expires_at?: number }): number | undefined {
    const { ttl, expires_at } = options;
    if (ttl !== undefined && expires_at !== undefined) return undefined;
    const at = expires_at ?? now + (ttl ?? CACHE_LIMITS.defaultTtlMs);
    if (!Number.isFinite(at) || at <= now || at - now > CACHE_LIMITS.maxTtlMs) return undefined;
    return at;
  }

  #purge(now: number): void {
    for (const [k, r] of this.#entries) if (r.expires_at <= now) this.#entries.delete(k);
  }
}
