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

    it("GIVEN no agent WHEN an Action runs THEN event.agent is absent", async () => {
      const spy = handler("spy", "api.accessToken.setCustomClaim('https://t/agent', 'agent' in event);");
      expect((await run([spy])).claims).toEqual({ "https://t/agent": false });
    });

    it("GIVEN a client linked to an agent WHEN an Action runs THEN event.agent has agent_id, name and agent_metadata ({} when none)", async () => {
      const spy = handler("spy", "api.accessToken.setCustomClaim('https://t/agent', event.agent);");
      const bare = await run([spy], {
        event: { agent: { agent_id: "agt_2hVk6JxPxbRgNZDKfJQqmn", name: "Billing bot" } },
      });
      expect(bare.claims["https://t/agent"]).toEqual({
        agent_id: "agt_2hVk6JxPxbRgNZDKfJQqmn",
        name: "Billing bot",
        agent_metadata: {},
      });
      const withMetadata = await run([spy], {
        event: { agent: { agent_id: "agt_1", name: "b", agent_metadata: { env: "production" } } },
      });
      expect(withMetadata.claims["https://t/agent"]).toMatchObject({ agent_metadata: { env: "production" } });
    });

    it("RULE secrets: each Action sees its own secrets as event.secrets", async () => {
      const a = handler("a", "api.accessToken.setCustomClaim('https://t/a', event.secrets);", { KEY: "one" });
      const b = handler("b", "api.accessToken.setCustomClaim('https://t/b', event.secrets);");
      expect((await run([a, b])).claims).toEqual({ "https://t/a": { KEY: "one" }, "https://t/b": {} });
    });
  });

  describe("api.accessToken.setCustomClaim", () => {
    it("GIVEN an Action that sets a claim named __proto__ WHEN it runs THEN that is one claim of its own, and no claim it holds (sub) reaches the claims", async () => {
      const result = await run([
        handler("proto", `api.accessToken.setCustomClaim("__proto__", { sub: "forged" });`),
      ]);
      expect(Object.keys(result.claims)).toEqual(["__proto__"]);
      expect(Object.getOwnPropertyDescriptor(result.claims, "__proto__")?.value).toEqual({ sub: "forged" });
      expect(result.claims).not.toHaveProperty("sub");
      expect({ ...result.claims }).not.toHaveProperty("sub");
    });

    it("GIVEN every restricted claim name WHEN an Action sets them THEN they are left out of the token and reported, the request still succeeds", async () => {
      const names = [...RESTRICTED_CLAIMS];
      const result = await run([
        handler("r", `for (const n of ${JSON.stringify(names)}) api.accessToken.setCustomClaim(n, "x");`),
      ]);
      expect(result.outcome).toBe("issued");
      expect(result.claims).toEqual({});
      expect(result.diagnostics.filter((d) => d.rule === "restricted-claim")).toHaveLength(names.length);
      expect(names).toEqual(expect.arrayContaining(["sub", "aud", "azp", "gty", "permissions", "org_id"]));
    });

    it("GIVEN the claim name scope WHEN an Action sets it THEN setCustomClaim throws and the request fails (UNCONFIRMED scopeClaim)", async () => {
      const result = await run([handler("s", "api.accessToken.setCustomClaim('scope', 'admin');")]);
      expect(result.outcome).toBe("failed");
      expect(result.failure?.error_description).toMatch(/"scope" claim cannot be set/);
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

    it("GIVEN setCustomClaim and deny WHEN called THEN each returns the api (official typings and harness)", async () => {
      const result = await run([
        handler(
          "chain",
          "api.accessToken.setCustomClaim('https://t/a', 1).accessToken.setCustomClaim('https://t/b', 2);",
        ),
      ]);
      expect(result.claims).toEqual({ "https://t/a": 1, "https://t/b": 2 });
      const denied = await run([
        handler("deny", "console.log(String(api.access.deny('invalid_request', 'no') === api));"),
      ]);
      expect(denied.logs[0]?.output).toBe("true");
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
    const seen = (name: string, body: string) =>
      handler(
        name,
        `${body}; api.accessToken.setCustomClaim('https://t/${name}', event.transaction.target_scopes);`,
      );

    it("GIVEN no requested scopes WHEN the trigger starts THEN event.transaction.target_scopes is every granted scope", async () => {
      const result = await run([seen("start", "")], { grantedScopes: ["a", "b"] });
      expect(result.claims["https://t/start"]).toEqual(["a", "b"]);
    });

    it("GIVEN requested scopes WHEN the trigger starts THEN target_scopes is the requested subset (UNCONFIRMED targetScopesStart)", async () => {
      const result = await run([seen("start", "")], {
        grantedScopes: ["a", "b"],
        event: { transaction: { requested_scopes: ["b"] } },
      });
      expect(result.claims["https://t/start"]).toEqual(["b"]);
    });

    it("GIVEN an Action changing target scopes WHEN it reads event.transaction.target_scopes after each call THEN it sees each change at once, requested_scopes unchanged", async () => {
      const probe = handler(
        "probe",
        `const t = event.transaction;
         const steps = [t.target_scopes];
         api.transaction.addTargetScope('c'); steps.push(t.target_scopes);
         api.transaction.removeTargetScope('a'); steps.push(t.target_scopes);
         api.transaction.setTargetScopes(['x', 'y']); steps.push(t.target_scopes);
         api.transaction.clearTargetScopes(); steps.push(t.target_scopes);
         api.accessToken.setCustomClaim('https://t/steps', steps);
         api.accessToken.setCustomClaim('https://t/requested', t.requested_scopes);`,
      );
      const result = await run([probe], {
        grantedScopes: ["a", "b", "c"],
        event: { transaction: { requested_scopes: ["a", "b"] } },
      });
      expect(result.claims["https://t/steps"]).toEqual([
        ["a", "b"],
        ["a", "b", "c"],
        ["b", "c"],
        ["x", "y"],
        [],
      ]);
      expect(result.claims["https://t/requested"]).toEqual(["a", "b"]);
      expect(result.scopes).toEqual([]);
    });

    it("GIVEN an earlier Action that added and removed scopes WHEN a later Action runs THEN its target_scopes is the accumulated set, its accessToken.scope the starting one (UNCONFIRMED accessTokenFixed)", async () => {
      const first = handler(
        "first",
        "api.transaction.addTargetScope('c'); api.transaction.removeTargetScope('a');",
      );
      const second = handler(
        "second",
        "api.accessToken.setCustomClaim('https://t/seen', { target: event.transaction.target_scopes, scope: event.accessToken.scope });",
      );
      const result = await run([first, second], {
        grantedScopes: ["a", "b", "c"],
        event: { transaction: { requested_scopes: ["a", "b"] } },
      });
      expect(result.claims["https://t/seen"]).toEqual({ target: ["b", "c"], scope: ["a", "b"] });
      expect(result.scopes).toEqual(["b", "c"]);
    });

    it("GIVEN target scopes outside the grant WHEN the Actions end THEN the token gets the intersection with the grant, the rest dropped silently (reported here)", async () => {
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

    it("GIVEN set, remove and clear WHEN the Actions end THEN the token's scopes follow the target set", async () => {
      const granted = { grantedScopes: ["a", "b", "c"] };
      expect(
        (await run([handler("s", "api.transaction.setTargetScopes(['c', 'a', 'c']);")], granted)).scopes,
      ).toEqual(["c", "a"]);
      expect((await run([handler("r", "api.transaction.removeTargetScope('b');")], granted)).scopes).toEqual([
        "a",
        "c",
      ]);
      expect((await run([handler("c", "api.transaction.clearTargetScopes();")], granted)).scopes).toEqual([]);
      expect((await run([handler("e", "api.transaction.setTargetScopes([]);")], granted)).scopes).toEqual([]);
    });

    it("GIVEN the four methods WHEN called THEN each returns undefined, so chaining one fails the request", async () => {
      const probe = handler(
        "probe",
        `api.accessToken.setCustomClaim('https://t/returns', [
          api.transaction.addTargetScope('a'), api.transaction.removeTargetScope('a'),
          api.transaction.setTargetScopes(['a']), api.transaction.clearTargetScopes(),
        ].map((r) => r === undefined));`,
      );
      expect((await run([probe])).claims["https://t/returns"]).toEqual([true, true, true, true]);
      const chained = await run([
        handler("chain", "api.transaction.addTargetScope('a').transaction.addTargetScope('b');"),
      ]);
      expect(chained.outcome).toBe("failed");
    });

    it("GIVEN scopes with surrounding whitespace WHEN added, removed or set THEN they are trimmed", async () => {
      const result = await run(
        [
          seen(
            "trimmed",
            "api.transaction.addTargetScope('  c '); api.transaction.removeTargetScope(' a\t')",
          ),
          seen("set", "api.transaction.setTargetScopes([' x', 'x ', 'y'])"),
        ],
        { grantedScopes: ["a", "b"] },
      );
      expect(result.claims["https://t/trimmed"]).toEqual(["b", "c"]);
      expect(result.claims["https://t/set"]).toEqual(["x", "y"]);
    });

    for (const [what, call, error] of [
      ["a number to addTargetScope", "api.transaction.addTargetScope(42)", "TypeError"],
      ["a number to removeTargetScope", "api.transaction.removeTargetScope(42)", "TypeError"],
      ["an empty scope", "api.transaction.addTargetScope('')", "Error"],
      ["a whitespace-only scope", "api.transaction.removeTargetScope('   ')", "Error"],
      ["a scope with inner whitespace", "api.transaction.addTargetScope('read reports')", "Error"],
      ["a scope of 281 characters", "api.transaction.addTargetScope('s'.repeat(281))", "Error"],
      ["a string to setTargetScopes", "api.transaction.setTargetScopes('a b')", "TypeError"],
      ["a list holding a number", "api.transaction.setTargetScopes(['a', 1])", "TypeError"],
      ["a list holding an empty scope", "api.transaction.setTargetScopes(['a', ' '])", "Error"],
      [
        "1,001 distinct scopes",
        "api.transaction.setTargetScopes(Array.from({ length: 1001 }, (_, i) => 's' + i))",
        "Error",
      ],
    ] as const) {
      it(`GIVEN ${what} WHEN called THEN it throws a ${error} and the target set is unchanged`, async () => {
        const result = await run(
          [
            seen(
              "probe",
              `try { ${call}; } catch (e) { api.accessToken.setCustomClaim('https://t/error', e.constructor.name); }`,
            ),
          ],
          { grantedScopes: ["a", "b"] },
        );
        expect(result.claims["https://t/error"]).toBe(error);
        expect(result.claims["https://t/probe"]).toEqual(["a", "b"]);
      });
    }

    it("GIVEN 1,000 target scopes WHEN one more is added THEN it throws, while re-adding one already there does not", async () => {
      const full = Array.from({ length: 1000 }, (_, i) => `s${i}`);
      const result = await run(
        [
          handler(
            "probe",
            `api.transaction.addTargetScope('s0');
             try { api.transaction.addTargetScope('s1000'); } catch (e) { api.accessToken.setCustomClaim('https://t/error', e.message); }
             api.accessToken.setCustomClaim('https://t/count', event.transaction.target_scopes.length);`,
          ),
        ],
        { grantedScopes: full },
      );
      expect(result.claims["https://t/error"]).toMatch(/more than 1000 scopes/);
      expect(result.claims["https://t/count"]).toBe(1000);
      expect(result.scopes).toHaveLength(1000);
    });

    it("GIVEN strict code WHEN it writes event.transaction.target_scopes directly THEN the request fails: only api.transaction moves it", async () => {
      const result = await run([handler("w", "'use strict'; event.transaction.target_scopes = ['admin'];")], {
        grantedScopes: ["a", "admin"],
      });
      expect(result.outcome).toBe("failed");
    });
  });

  describe("several Actions", () => {
    it("GIVEN two Actions WHEN the first sets a claim THEN both run in binding order, and the second's event.accessToken.customClaims is still the starting one (UNCONFIRMED accessTokenFixed)", async () => {
      const first = handler("first", "api.accessToken.setCustomClaim('https://t/a', 1);");
      const second = handler(
        "second",
        "api.accessToken.setCustomClaim('https://t/seen', event.accessToken.customClaims);",
      );
      const result = await run([first, second], {
        event: { accessToken: { customClaims: { "https://t/given": 0 } } },
      });
      expect(result.executed).toEqual(["first", "second"]);
      expect(result.claims).toEqual({
        "https://t/given": 0,
        "https://t/a": 1,
        "https://t/seen": { "https://t/given": 0 },
      });
    });

    it("GIVEN two Actions WHEN the first leaves a value in api.cache THEN the second reads it in the same execution", async () => {
      const first = handler("first", "api.cache.set('tenant', 'globex');");
      const second = handler(
        "second",
        "api.accessToken.setCustomClaim('https://t/tenant', api.cache.get('tenant')?.value);",
      );
      expect((await run([first, second])).claims).toEqual({ "https://t/tenant": "globex" });
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

    it("GIVEN secrets with a quote and a backslash, and one holding another WHEN an Action prints them inside objects and alone THEN none of them shows, nor any part of the longer", async () => {
      const secrets = { QUOTED: 'pa"ss\\word', SHORT: "abcd", LONG: "abcdefgh" };
      const leaky = handler(
        "leaky",
        "console.log(event.secrets); console.log(event.secrets.LONG, [event.secrets.QUOTED]);",
        secrets,
      );
      const result = await run([leaky]);
      const output = result.logs[0]?.output ?? "";
      expect(output).toBe(
        '{"QUOTED":"[redacted secret]","SHORT":"[redacted secret]","LONG":"[redacted secret]"}\n[redacted secret] ["[redacted secret]"]',
      );
      expect(output).not.toContain("efgh");
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
