import { describe, expect, it } from "vitest";
import { quotaBuckets, retryAfterSeconds } from "../../src/token/rate-limit-headers.ts";

describe("Auth0's rate-limit headers", () => {
  it("GIVEN a quota header with both buckets WHEN read THEN each bucket's quota, remaining and reset are there", () => {
    expect(quotaBuckets("b=per_hour;q=100;r=0;t=1200,b=per_day;q=1000;r=400;t=50000")).toEqual([
      { bucket: "per_hour", quota: 100, remaining: 0, resetAfterSeconds: 1200 },
      { bucket: "per_day", quota: 1000, remaining: 400, resetAfterSeconds: 50000 },
    ]);
  });

  it("GIVEN no header or one without a bucket WHEN read THEN there is no quota", () => {
    expect(quotaBuckets(null)).toBeUndefined();
    expect(quotaBuckets("q=1;r=0")).toBeUndefined();
  });

  it("GIVEN Retry-After as seconds or as an HTTP date WHEN read THEN it is the seconds to wait", () => {
    const now = Date.parse("2026-11-28T10:00:00Z");
    expect(retryAfterSeconds("7", now)).toBe(7);
    expect(retryAfterSeconds("Sat, 28 Nov 2026 10:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds("soon", now)).toBeUndefined();
  });
});
