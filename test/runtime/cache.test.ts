import { describe, expect, it } from "vitest";
import {
  CACHE_LIMITS,
  CredentialsExchangeRuntime,
  loadAction,
  manualClock,
  TriggerCache,
} from "../../src/runtime/index.ts";

describe("api.cache", () => {
  const fresh = () => {
    const clock = manualClock();
    return { clock, cache: new TriggerCache(clock) };
  };

  it("GIVEN a string value set without options WHEN read back THEN it is {value, expires_at} with a 15-minute lifetime, there through expires_at and gone after", () => {
    const { clock, cache } = fresh();
    expect(cache.set("k", "v")).toEqual({
      type: "success",
      record: { value: "v", expires_at: clock.now() + 900_000 },
    });
    expect(cache.get("k")).toEqual({ value: "v", expires_at: clock.now() + 900_000 });
    clock.advance(900_000);
    expect(cache.get("k")?.value).toBe("v");
    clock.advance(1);
    expect(cache.get("k")).toBeUndefined();
  });

  it("GIVEN a ttl or an expires_at WHEN set THEN the record expires then (fractions floored)", () => {
    const { clock, cache } = fresh();
    expect(cache.set("a", "v", { ttl: 1000.9 })).toEqual({
      type: "success",
      record: { value: "v", expires_at: clock.now() + 1000 },
    });
    expect(cache.set("b", "v", { expires_at: clock.now() + 5000.5 })).toEqual({
      type: "success",
      record: { value: "v", expires_at: clock.now() + 5000 },
    });
  });

  it("GIVEN both ttl and expires_at WHEN set THEN the earlier of the two expiries wins, not an error", () => {
    const { clock, cache } = fresh();
    expect(cache.set("ttl-earlier", "v", { ttl: 1000, expires_at: clock.now() + 5000 })).toEqual({
      type: "success",
      record: { value: "v", expires_at: clock.now() + 1000 },
    });
    expect(cache.set("at-earlier", "v", { ttl: 5000, expires_at: clock.now() + 2000 })).toEqual({
      type: "success",
      record: { value: "v", expires_at: clock.now() + 2000 },
    });
  });

  it("GIVEN an expiry at or before now (past expires_at, zero or negative ttl) WHEN set THEN ItemAlreadyExpired and nothing is stored", () => {
    const { clock, cache } = fresh();
    for (const options of [
      { expires_at: clock.now() - 1 },
      { expires_at: clock.now() },
      { ttl: 0 },
      { ttl: -5 },
    ]) {
      expect(cache.set("k", "v", options)).toEqual({ type: "error", code: "ItemAlreadyExpired" });
    }
    expect(cache.get("k")).toBeUndefined();
  });

  it("GIVEN a ttl or expires_at that is not a finite number, or beyond a safe integer WHEN set THEN InvalidExpiry", () => {
    const { cache } = fresh();
    for (const options of [
      { ttl: Number.NaN },
      { ttl: Number.POSITIVE_INFINITY },
      { ttl: "1000" as unknown as number },
      { expires_at: Number.NaN },
      { expires_at: Number.MAX_VALUE },
    ]) {
      expect(cache.set("k", "v", options)).toEqual({ type: "error", code: "InvalidExpiry" });
    }
  });

  it("GIVEN a lifetime over 24 h WHEN set THEN InvalidExpiry (UNCONFIRMED cacheLifetimeOver24h); exactly 24 h is kept", () => {
    const { clock, cache } = fresh();
    expect(cache.set("max", "v", { ttl: CACHE_LIMITS.maxTtlMs }).type).toBe("success");
    expect(cache.set("over", "v", { ttl: CACHE_LIMITS.maxTtlMs + 1 })).toEqual({
      type: "error",
      code: "InvalidExpiry",
    });
    expect(cache.set("over-at", "v", { expires_at: clock.now() + CACHE_LIMITS.maxTtlMs + 1 })).toEqual({
      type: "error",
      code: "InvalidExpiry",
    });
  });

  it("GIVEN keys over 64 bytes or values over 4 kB (UTF-8) WHEN set THEN CacheKeySizeExceeded or CacheValueSizeExceeded, checked before the expiry", () => {
    const { clock, cache } = fresh();
    expect(cache.set("k".repeat(64), "v").type).toBe("success");
    expect(cache.set("é".repeat(33), "v")).toEqual({ type: "error", code: "CacheKeySizeExceeded" });
    expect(cache.set("v", "x".repeat(4096)).type).toBe("success");
    expect(cache.set("w", "x".repeat(4097))).toEqual({ type: "error", code: "CacheValueSizeExceeded" });
    expect(cache.set("w", "x".repeat(4097), { expires_at: clock.now() - 1 })).toEqual({
      type: "error",
      code: "CacheValueSizeExceeded",
    });
  });

  it("GIVEN a full cache (8 kB of keys and values, or 20 entries) WHEN one more is set THEN CacheSizeExceeded, while replacing a key still works", () => {
    const { cache } = fresh();
    expect(cache.set("a", "x".repeat(4000)).type).toBe("success");
    expect(cache.set("b", "x".repeat(4000)).type).toBe("success");
    expect(cache.set("c", "x".repeat(500))).toEqual({ type: "error", code: "CacheSizeExceeded" });
    const small = fresh().cache;
    for (let i = 0; i < 20; i++) expect(small.set(`k${i}`, "v").type).toBe("success");
    expect(small.set("k20", "v")).toEqual({ type: "error", code: "CacheSizeExceeded" });
    expect(small.set("k0", "replaced").type).toBe("success");
  });

  it("GIVEN a value that is not a string WHEN set THEN a TypeError (UNCONFIRMED cacheNonStringValue)", () => {
    expect(() => fresh().cache.set("k", 42 as unknown as string)).toThrow(TypeError);
  });

  it("GIVEN a stored key WHEN deleted THEN {type: success} with no record, and it is gone", () => {
    const { cache } = fresh();
    cache.set("k", "v");
    expect(cache.delete("k")).toEqual({ type: "success" });
    expect(cache.get("k")).toBeUndefined();
  });

  it("GIVEN a key never set, already deleted or expired WHEN deleted THEN {type: error, code: CacheKeyDoesNotExist}", () => {
    const { clock, cache } = fresh();
    expect(cache.delete("never")).toEqual({ type: "error", code: "CacheKeyDoesNotExist" });
    cache.set("twice", "v");
    cache.delete("twice");
    expect(cache.delete("twice")).toEqual({ type: "error", code: "CacheKeyDoesNotExist" });
    cache.set("old", "v", { ttl: 10 });
    clock.advance(11);
    expect(cache.delete("old")).toEqual({ type: "error", code: "CacheKeyDoesNotExist" });
  });

  it("GIVEN an Action WHEN it calls api.cache THEN it gets the same result records", async () => {
    const probe = loadAction({
      name: "probe",
      code: `exports.onExecuteCredentialsExchange = async (e, api) => {
        api.accessToken.setCustomClaim('https://t/results', {
          set: api.cache.set('k', 'v', { ttl: 1000, expires_at: Date.UTC(2030, 0, 1) }),
          past: api.cache.set('p', 'v', { expires_at: 1 }),
          deleted: api.cache.delete('k'),
          missing: api.cache.delete('k'),
        });
      };`,
    });
    const clock = manualClock();
    const result = await new CredentialsExchangeRuntime({ clock }).execute([probe]);
    expect(result.claims["https://t/results"]).toEqual({
      set: { type: "success", record: { value: "v", expires_at: clock.now() + 1000 } },
      past: { type: "error", code: "ItemAlreadyExpired" },
      deleted: { type: "success" },
      missing: { type: "error", code: "CacheKeyDoesNotExist" },
    });
  });

  it("GIVEN two Actions and two executions WHEN one writes and the other reads THEN the cache is the trigger's, unless evicted", async () => {
    const writer = loadAction({
      name: "w",
      code: "exports.onExecuteCredentialsExchange = async (e, api) => { api.cache.set('token', 'abc'); };",
    });
    const reader = loadAction({
      name: "r",
      code: "exports.onExecuteCredentialsExchange = async (e, api) => { api.accessToken.setCustomClaim('https://t/c', api.cache.get('token')?.value ?? null); };",
    });
    const runtime = new CredentialsExchangeRuntime({ clock: manualClock() });
    expect((await runtime.execute([writer, reader])).claims).toEqual({ "https://t/c": "abc" });
    expect((await runtime.execute([reader])).claims).toEqual({ "https://t/c": "abc" });
    const evicting = new CredentialsExchangeRuntime({ evictCacheBetweenExecutions: true });
    await evicting.execute([writer]);
    expect((await evicting.execute([reader])).claims).toEqual({ "https://t/c": null });
  });
});
