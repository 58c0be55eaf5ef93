import { ManagementClient } from "auth0";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { readLocalState } from "../../src/issuer/local-state.ts";
import { localManagementAudience } from "../../src/issuer/management-api/scopes.ts";
import { localFetch } from "../../src/management/local-fetch.ts";
import { Pacer, type PacerClock } from "../../src/management/pacer.ts";
import { managementRateLimit } from "../../src/model/environment/limits.ts";
import { startFixture } from "../fixtures/local-project.ts";

/** A clock that only moves when the pacer sleeps. */
function fakeClock(): PacerClock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

const headers = (h: Record<string, string>) => new Headers(h);

describe("the Management API pacer", () => {
  it("GIVEN the Free plan (burst 2, 2 per second) WHEN five requests go out THEN two go at once and the rest wait half a second each", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(managementRateLimit("free", false), { clock });
    for (let i = 0; i < 5; i++) await pacer.slot();
    expect(clock.slept).toEqual([500, 500, 500]);
    expect(pacer.stats.waitedMs).toBe(1500);
  });

  it("GIVEN the plans WHEN their limits are looked up THEN they are the documented ones", () => {
    expect(managementRateLimit("free", true)).toEqual({ burst: 2, perSecond: 2 });
    expect(managementRateLimit("self-service", false)).toEqual({ burst: 10, perSecond: 2.5 });
    expect(managementRateLimit("enterprise", true)).toEqual({ burst: 50, perSecond: 16 });
    expect(managementRateLimit("enterprise", false)).toEqual({ burst: 10, perSecond: 2 });
  });

  it("GIVEN an answer whose x-ratelimit headers say less is left than the table thinks WHEN the next request comes THEN the headers win and it waits", async () => {
    const clock = fakeClock();
    const pacer = new Pacer(managementRateLimit("enterprise", true), { clock });
    await pacer.slot();
    pacer.observe(
      headers({
        "x-ratelimit-limit": "10",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(clock.now() / 1000 + 5),
      }),
    );
    await pacer.slot();
    // 10 requests over 5 s: one every 500 ms.
    expect(clock.slept).toEqual([500]);
  });

  it("GIVEN a 429 WHEN fetched through the pacer THEN it is sent again after the reset plus jitter, and the retry's answer is returned", async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ burst: 10, perSecond: 10 }, { clock, jitterMs: 200 });
    const reset = String(clock.now() / 1000 + 3);
    const answers = [
      new Response("{}", {
        status: 429,
        headers: { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      }),
      new Response('{"ok":true}', { status: 200 }),
    ];
    const calls: string[] = [];
    const paced = pacer.fetch(async (input) => {
      calls.push(String(input));
      return answers.shift() ?? new Response("{}", { status: 500 });
    });
    const response = await paced("https://tenant.example/api/v2/clients");
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(clock.slept[0]).toBe(3000 + 100);
    expect(pacer.stats).toMatchObject({ requests: 2, throttled: 1 });
  });

  it("GIVEN a tenant that answers 429 every time WHEN fetched THEN it gives up after maxRetries and returns the 429", async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ burst: 10, perSecond: 10 }, { clock, maxRetries: 2 });
    let calls = 0;
    const paced = pacer.fetch(async () => {
      calls++;
      return new Response("{}", { status: 429 });
    });
    expect((await paced("https://tenant.example/api/v2/clients")).status).toBe(429);
    expect(calls).toBe(3);
  });
});

describe("auth0's ManagementClient paced against a local tenant that throttles", () => {
  let local: LocalEnvironment & { projectDir: string };
  beforeAll(async () => {
    local = await startFixture();
  });
  afterAll(() => local.close());

  it("GIVEN the tenant's bucket spent by another client and a pacer that believes a larger plan WHEN reads go out THEN the 429 is retried after the reset, the headers pace the rest, and every read succeeds", async () => {
    local.tenant.management.limiter.limit = { burst: 3, perSecond: 6 };
    for (let i = 0; i < 3; i++) local.tenant.management.limiter.take();
    const state = readLocalState(local.stateDir);
    const domain = new URL(local.issuer).host;
    const pacer = new Pacer(managementRateLimit("enterprise", true), { jitterMs: 50 });
    const client = new ManagementClient({
      domain,
      audience: localManagementAudience(local.issuer),
      clientId: state?.management?.clientId ?? "",
      clientSecret: state?.management?.clientSecret ?? "",
      fetch: pacer.fetch(localFetch(domain, local.issuer)),
      maxRetries: 0,
    });
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      const page = await client.resourceServers.list({ per_page: 100 });
      names.push(...page.data.map((a) => a.name ?? ""));
    }
    expect(names).toContain("Auth0 Management API");
    expect(names.filter((n) => n === "Auth0 Management API")).toHaveLength(6);
    expect(pacer.stats.throttled).toBe(1);
  });
});
