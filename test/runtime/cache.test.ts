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

  it("RULE set and get: a string value comes back as {value, expires_at}, default lifetime 15 minutes", () => {
    const { clock, cache } = fresh();
    expect(cache.set("k", "v")).toEqual({
      type: "success",
      record: { value: "v", expires_at: clock.now() + 900_000 },
    });
    expect(cache.get("k")).toEqual({ value: "v", expires_at: clock.now() + 900_000 });
    clock.advance(900_000);
    expect(cache.get("k")).toBeUndefined();
  });

  it("RULE ttl and expires_at set the lifetime; at most 24 h, else InvalidExpiry (UNCONFIRMED cacheExpiryBounds)", () => {
    const { clock, cache } = fresh();
    expect(cache.set("a", "v", { ttl: 1000 })).toMatchObject({
      type: "success",
      record: { expires_at: clock.now() + 1000 },
    });
    expect(cache.set("b", "v", { expires_at: clock.now() + 5000 })).toMatchObject({ type: "success" });
    expect(cache.set("c", "v", { ttl: CACHE_LIMITS.maxTtlMs + 1 })).toEqual({
      type: "error",
      code: "InvalidExpiry",
    });
    expect(cache.set("d", "v", { expires_at: clock.now() - 1 })).toEqual({
      type: "error",
      code: "InvalidExpiry",
    });
    expect(cache.set("e", "v", { ttl: 1, expires_at: clock.now() + 1 })).toEqual({
      type: "error",
      code: "InvalidExpiry",
    });
  });

  it("RULE key at most 64 bytes, value at most 4 kB (UTF-8)", () => {
    const { cache } = fresh();
    expect(cache.set("k".repeat(64), "v").type).toBe("success");
    expect(cache.set("é".repeat(33), "v")).toEqual({ type: "error", code: "CacheKeySizeExceeded" });
    expect(cache.set("v", "x".repeat(4096)).type).toBe("success");
    expect(cache.set("w", "x".repeat(4097))).toEqual({ type: "error", code: "CacheValueSizeExceeded" });
  });

  it("RULE keys and values together at most 8 kB, and at most 20 entries", () => {
    const { cache } = fresh();
    expect(cache.set("a", "x".repeat(4000)).type).toBe("success");
    expect(cache.set("b", "x".repeat(4000)).type).toBe("success");
    expect(cache.set("c", "x".repeat(500))).toEqual({ type: "error", code: "CacheSizeExceeded" });
    const small = fresh().cache;
    for (let i = 0; i < 20; i++) expect(small.set(`k${i}`, "v").type).toBe("success");
    expect(small.set("k20", "v")).toEqual({ type: "error", code: "CacheSizeExceeded" });
    expect(small.set("k0", "replaced").type).toBe("success");
  });

  it("RULE string values only: anything else is a TypeError (UNCONFIRMED cacheNonStringValue)", () => {
    expect(() => fresh().cache.set("k", 42 as unknown as string)).toThrow(TypeError);
  });

  it("RULE delete: removes the record and returns it", () => {
    const { cache } = fresh();
    cache.set("k", "v");
    expect(cache.delete("k")).toMatchObject({ type: "success", record: { value: "v" } });
    expect(cache.get("k")).toBeUndefined();
  });

  it("RULE scoped to the trigger: kept across executions and shared by its Actions, unless evicted", async () => {
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
