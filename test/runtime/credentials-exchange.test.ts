import { describe, expect, it } from "vitest";
import {
  CONSOLE_LIMIT_CHARS,
  CredentialsExchangeRuntime,
  CUSTOM_CLAIMS_LIMIT_BYTES,
  EXECUTION_LIMIT_MS,
  type LoadedAction,
  loadAction,
  RESTRICTED_CLAIMS,
} from "../../src/runtime/index.ts";

/** An Action from the body of its handler, with `event` and `api` in scope. */
const handler = (name: string, body: string, secrets?: Record<string, string>): LoadedAction =>
  loadAction({
    name,
    code: `exports.onExecuteCredentialsExchange = async (event, api) => { ${body} };`,
    secrets,
  });

const run = (actions: LoadedAction[], request = {}, options = {}) =>
  new CredentialsExchangeRuntime(options).execute(actions, request);

describe("the credentials-exchange runtime", () => {
  describe("event", () => {
    it("RULE documented v2 shape: every part is present with realistic defaults", async () => {
      const spy = handler("spy", "globalThis.__seen = event;");
      await run([spy], { event: { transaction: { requested_scopes: ["orders:read"] } } });
      const seen = (globalThis as Record<string, unknown>).__seen;
      expect(seen).toMatchObject({
        tenant: { id: expect.any(String) },
        client: { client_id: expect.any(String), name: expect.any(String), metadata: {} },
        resource_server: { identifier: expect.stringMatching(/^https:\/\//) },
        request: {
          ip: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
          method: "POST",
          hostname: expect.any(String),
          user_agent: expect.any(String),
          geoip: { countryCode: expect.any(String), timeZone: expect.any(String) },
          body: {
            grant_type: "client_credentials",
            audience: "https://api.example.com",
            scope: "orders:read",
          },
        },
        transaction: { requested_scopes: ["orders:read"] },
        accessToken: { customClaims: {}, scope: ["orders:read"] },
        secrets: {},
      });
      expect(seen).not.toHaveProperty("organization");
    });

    it("RULE overridable: given parts replace the defaults, organization appears when given", async () => {
      const spy = handler("spy", "globalThis.__seen = event;");
      await run([spy], {
        event: {
          client: { metadata: { tenant_id: "globex" } },
          request: { ip: "198.51.100.4" },
          organization: { id: "org_1", name: "globex", display_name: "Globex" },
        },
      });
      expect((globalThis as Record<string, unknown>).__seen).toMatchObject({
        client: { client_id: "wvQbnlC3Lc9kE5RPazQOGkYQvDUkWD7j", metadata: { tenant_id: "globex" } },
        request: { ip: "198.51.100.4", method: "POST" },
        organization: { id: "org_1", name: "globex", display_name: "Globex", metadata: {} },
      });
    });

    it("RULE read-only event (UNCONFIRMED frozenEvent): strict code that writes fails; sloppy code's write has no effect", async () => {
      const metadata = { tenant_id: "globex" };
      const request = { event: { client: { metadata } } };
      const strict = await run(
        [handler("strict", "'use strict'; event.client.metadata.tenant_id = 'initech';")],
        request,
      );
      expect(strict.outcome).toBe("failed");
      expect(strict.failure?.error_description).toMatch(/read only|read-only|Cannot assign/);
      const sloppy = handler("sloppy", "event.client.metadata.tenant_id = 'initech';");
      const reader = handler(
        "reader",
        "api.accessToken.setCustomClaim('https://t/tenant', event.client.metadata.tenant_id);",
      );
      expect((await run([sloppy, reader], request)).claims).toEqual({ "https://t/tenant": "globex" });
      metadata.tenant_id = "the caller's object stays writable";
      expect(metadata.tenant_id).toBe("the caller's object stays writable");
    });

    it("RULE secrets: each Action sees its own secrets as event.secrets", async () => {
      const a = handler("a", "api.accessToken.setCustomClaim('https://t/a', event.secrets);", { KEY: "one" });
      const b = handler("b", "api.accessToken.setCustomClaim('https://t/b', event.secrets);");
      expect((await run([a, b])).claims).toEqual({ "https://t/a": { KEY: "one" }, "https://t/b": {} });
    });
  });

  describe("api.accessToken.setCustomClaim", () => {
    it("RULE restricted claim names are left out of the token and reported, the request still succeeds", async () => {
      const names = [...RESTRICTED_CLAIMS];
      const result = await run([
        handler("r", `for (const n of ${JSON.stringify(names)}) api.accessToken.setCustomClaim(n, "x");`),
      ]);
      expect(result.outcome).toBe("issued");
      expect(result.claims).toEqual({});
      expect(result.diagnostics.filter((d) => d.rule === "restricted-claim")).toHaveLength(names.length);
      expect(names).toEqual(expect.arrayContaining(["sub", "aud", "scope", "azp", "permissions", "org_id"]));
    });

    it("RULE forbidden namespaces (auth0.com, webtask.io, webtask.run, urn:auth0) are left out and reported", async () => {
      const result = await run([
        handler(
          "ns",
          `for (const n of ["https://x.auth0.com/t", "https://webtask.io/t", "https://a.webtask.run/t", "urn:auth0:t"]) api.accessToken.setCustomClaim(n, 1);
           api.accessToken.setCustomClaim("https://claims.acme.example/t", 2);`,
        ),
      ]);
      expect(result.claims).toEqual({ "https://claims.acme.example/t": 2 });
      expect(result.diagnostics.map((d) => d.rule)).toEqual(Array(4).fill("forbidden-namespace"));
    });

    it("GIVEN a custom API audience or /userinfo WHEN an Action sets a non-namespaced claim THEN the token keeps it", async () => {
      const set = handler("plain", "api.accessToken.setCustomClaim('tenant', 'globex');");
      expect((await run([set])).claims).toEqual({ tenant: "globex" });
      const userinfo = await run([set], {
        event: { resource_server: { identifier: "https://acme-test.eu.auth0.com/userinfo" } },
      });
      expect(userinfo.claims).toEqual({ tenant: "globex" });
    });

    for (const audience of [
      "https://acme-test.eu.auth0.com/api",
      "https://acme-test.eu.auth0.com/api/v2/",
      "https://acme-test.eu.auth0.com/api/v2",
      "https://acme-test.eu.auth0.com/mfa/",
      "https://acme-test.eu.auth0app.com/mfa",
    ]) {
      it(`GIVEN the Auth0 API audience ${audience} WHEN an Action sets a non-namespaced and a namespaced claim THEN only the namespaced one is kept, the other reported`, async () => {
        const set = handler(
          "plain",
          "api.accessToken.setCustomClaim('tenant', 'globex'); api.accessToken.setCustomClaim('https://t/tenant', 'globex');",
        );
        const result = await run([set], { event: { resource_server: { identifier: audience } } });
        expect(result.outcome).toBe("issued");
        expect(result.claims).toEqual({ "https://t/tenant": "globex" });
        expect(result.diagnostics.map((d) => d.rule)).toEqual(["auth0-api-claim"]);
      });
    }

    it("RULE 100 kB: custom claims over 100 kB in total fail the request (UNCONFIRMED claimsOverLimit)", async () => {
      const big = Math.floor(CUSTOM_CLAIMS_LIMIT_BYTES / 2);
      const result = await run([
        handler(
          "big",
          `api.accessToken.setCustomClaim('https://t/a', 'x'.repeat(${big})); api.accessToken.setCustomClaim('https://t/b', 'x'.repeat(${big}));`,
        ),
      ]);
      expect(result).toMatchObject({
        outcome: "failed",
        claims: {},
        failure: { status: 500, error: "server_error" },
      });
      expect(result.diagnostics.map((d) => d.rule)).toEqual(["claims-size"]);
    });

    it("RULE JSON-serializable values: a function, undefined or BigInt value fails the request (UNCONFIRMED)", async () => {
      for (const value of ["() => 1", "undefined", "10n"]) {
        const result = await run([
          handler("bad", `api.accessToken.setCustomClaim('https://t/v', ${value});`),
        ]);
        expect(result.outcome).toBe("failed");
      }
    });

    it("RULE chaining: setCustomClaim and deny return the api", async () => {
      const result = await run([
        handler(
          "chain",
          "api.accessToken.setCustomClaim('https://t/a', 1).accessToken.setCustomClaim('https://t/b', 2);",
        ),
      ]);
      expect(result.claims).toEqual({ "https://t/a": 1, "https://t/b": 2 });
    });
  });

  describe("api.access.deny", () => {
    for (const code of ["invalid_scope", "invalid_request", "server_error"]) {
      it(`RULE allowed code ${code}: the token is denied with that code and reason`, async () => {
        const result = await run([handler("deny", `api.access.deny('${code}', 'no');`)]);
        expect(result).toMatchObject({
          outcome: "denied",
          denied: { action: "deny", code, reason: "no" },
          claims: {},
        });
      });
    }

    it("RULE other codes are an error: the request fails instead of being denied", async () => {
      const result = await run([handler("deny", "api.access.deny('access_denied', 'no');")]);
      expect(result.outcome).toBe("failed");
      expect(result.failure?.error_description).toMatch(
        /code must be invalid_scope, invalid_request or server_error/,
      );
    });

    it("RULE a deny ends the chain: later Actions do not run, no claim is issued", async () => {
      const result = await run([
        handler(
          "first",
          "api.accessToken.setCustomClaim('https://t/a', 1); api.access.deny('invalid_request', 'stop');",
        ),
        handler("second", "api.accessToken.setCustomClaim('https://t/b', 2);"),
      ]);
      expect(result).toMatchObject({ outcome: "denied", executed: ["first"], claims: {}, scopes: [] });
    });
  });

  describe("api.transaction target scopes (early access)", () => {
    it("RULE intersected with the grant afterwards: scopes outside it are dropped silently (reported here)", async () => {
      const result = await run(
        [
          handler(
            "t",
            "api.transaction.addTargetScope('orders:write'); api.transaction.addTargetScope('admin:all');",
          ),
        ],
        {
          grantedScopes: ["orders:read", "orders:write"],
          event: { transaction: { requested_scopes: ["orders:read"] } },
        },
      );
      expect(result.outcome).toBe("issued");
      expect(result.scopes).toEqual(["orders:read", "orders:write"]);
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ rule: "scope-outside-grant", message: expect.stringMatching(/admin:all/) }),
      ]);
    });

    it("RULE set, remove and clear replace the target set", async () => {
      const granted = { grantedScopes: ["a", "b", "c"] };
      expect(
        (await run([handler("s", "api.transaction.setTargetScopes(['c', 'a']);")], granted)).scopes,
      ).toEqual(["c", "a"]);
      expect((await run([handler("r", "api.transaction.removeTargetScope('b');")], granted)).scopes).toEqual([
        "a",
        "c",
      ]);
      expect((await run([handler("c", "api.transaction.clearTargetScopes();")], granted)).scopes).toEqual([]);
    });
  });

  describe("several Actions", () => {
    it("RULE binding order: each runs in order and sees the claims and target scopes the earlier ones left", async () => {
      const first = handler(
        "first",
        "api.accessToken.setCustomClaim('https://t/a', 1); api.transaction.removeTargetScope('b');",
      );
      const second = handler(
        "second",
        "api.accessToken.setCustomClaim('https://t/seen', { claims: event.accessToken.customClaims, scope: event.accessToken.scope });",
      );
      const result = await run([first, second], { grantedScopes: ["a", "b"] });
      expect(result.executed).toEqual(["first", "second"]);
      expect(result.claims["https://t/seen"]).toEqual({ claims: { "https://t/a": 1 }, scope: ["a"] });
    });
  });

  describe("console, limits and failures", () => {
    it("RULE console captured per Action, Auth0 keeping the first 256 characters, the cut reported", async () => {
      const result = await run([
        handler("quiet", "console.log('hello', { tenant: 'globex' });"),
        handler("loud", "console.log('x'.repeat(300)); console.error('lost');"),
      ]);
      expect(result.logs).toEqual([
        { action: "quiet", output: 'hello {"tenant":"globex"}', truncated: false },
        { action: "loud", output: "x".repeat(CONSOLE_LIMIT_CHARS), truncated: true },
      ]);
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ rule: "console-truncated", action: "loud" }),
      ]);
    });

    it("RULE 20 s execution limit: a trigger that runs longer fails the request", async () => {
      expect(EXECUTION_LIMIT_MS).toBe(20_000);
      const slow = handler("slow", "await new Promise((r) => setTimeout(r, 1000));");
      const result = await run([slow], {}, { executionLimitMs: 30 });
      expect(result).toMatchObject({ outcome: "failed", failure: { action: "slow", error: "server_error" } });
      expect(result.diagnostics[0]?.rule).toBe("execution-limit");
    });

    it("RULE secrets stay out of what the runtime reports: an Action printing or throwing one is redacted", async () => {
      const leaky = handler(
        "leaky",
        "console.log('key is', event.secrets.KEY); throw new Error('KEY=' + event.secrets.KEY);",
        {
          KEY: "s3cr3t-value",
        },
      );
      const result = await run([leaky]);
      expect(JSON.stringify(result)).not.toContain("s3cr3t-value");
      expect(result.logs[0]?.output).toBe("key is [redacted secret]");
      expect(result.failure?.error_description).toMatch(/KEY=\[redacted secret\]/);
    });

    it("RULE a handler that throws becomes the token endpoint's server error (UNCONFIRMED body)", async () => {
      const result = await run([handler("boom", "throw new Error('kaput');"), handler("next", "")]);
      expect(result).toMatchObject({
        outcome: "failed",
        executed: ["boom"],
        failure: {
          action: "boom",
          status: 500,
          error: "server_error",
          error_description: expect.stringMatching(/kaput/),
        },
      });
    });
  });
});
