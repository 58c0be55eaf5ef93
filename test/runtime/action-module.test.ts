import { describe, expect, it } from "vitest";
import {
  ActionLoadError,
  CredentialsExchangeRuntime,
  loadAction,
  loadActionSource,
  UNCONFIRMED,
} from "../../src/runtime/index.ts";

const action = (code: string, extra: Partial<Parameters<typeof loadAction>[0]> = {}) =>
  loadAction({ name: "under-test", code, ...extra });

describe("loading an Action as Auth0 does", () => {
  it("RULE CommonJS module wrapper: exports, module.exports and __filename work, module code runs once per instance", async () => {
    const loaded = action(`
      let loads = 0; loads++;
      module.exports.onExecuteCredentialsExchange = async (event, api) => {
        api.accessToken.setCustomClaim("https://t.example/loads", loads);
        api.accessToken.setCustomClaim("https://t.example/file", typeof __filename);
      };`);
    const runtime = new CredentialsExchangeRuntime();
    await runtime.execute([loaded]);
    const result = await runtime.execute([loaded]);
    expect(result.claims).toEqual({ "https://t.example/loads": 1, "https://t.example/file": "string" });
  });

  it(`RULE async handler (UNCONFIRMED: ${UNCONFIRMED.asyncHandler.slice(0, 40)}...): a plain function is rejected`, () => {
    expect(() => action("exports.onExecuteCredentialsExchange = function (event, api) {};")).toThrow(
      /must be an async function/,
    );
    expect(() => action("exports.onExecuteCredentialsExchange = (event, api) => Promise.resolve();")).toThrow(
      ActionLoadError,
    );
  });

  it("RULE export name: a module without onExecuteCredentialsExchange is rejected, saying what to write", () => {
    expect(() => action("exports.onExecutePostLogin = async () => {};")).toThrow(
      /does not export onExecuteCredentialsExchange: write exports\.onExecuteCredentialsExchange = async/,
    );
  });

  it("RULE require: a package the Action does not declare fails with MODULE_NOT_FOUND", () => {
    expect(() => action("require('yaml'); exports.onExecuteCredentialsExchange = async () => {};")).toThrow(
      /Cannot find module 'yaml': Action under-test does not declare the npm dependency "yaml"/,
    );
  });

  it("RULE require: Node's built-in modules and declared dependencies load", async () => {
    const loaded = action(
      `const { createHash } = require('node:crypto'); const YAML = require('yaml');
       exports.onExecuteCredentialsExchange = async (event, api) => {
         api.accessToken.setCustomClaim("https://t.example/h", createHash('sha256').update('x').digest('hex').slice(0, 8));
         api.accessToken.setCustomClaim("https://t.example/y", YAML.parse('a: 1'));
       };`,
      { dependencies: [{ name: "yaml", version: "2.9.1" }] },
    );
    expect((await new CredentialsExchangeRuntime().execute([loaded])).claims).toEqual({
      "https://t.example/h": "2d711642",
      "https://t.example/y": { a: 1 },
    });
  });

  it("RULE limits: more than 10 dependencies or 30 secrets, or oversized secrets, are refused at load", () => {
    const deps = Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, version: "1.0.0" }));
    const ok = "exports.onExecuteCredentialsExchange = async () => {};";
    expect(() => action(ok, { dependencies: deps })).toThrow(/11 npm dependencies, over Auth0's 10/);
    const secrets = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`S${i}`, "v"]));
    expect(() => action(ok, { secrets })).toThrow(/31 secrets, over Auth0's 30/);
    expect(() => action(ok, { secrets: { KEY: "v".repeat(4097) } })).toThrow(/secret KEY's value over 4096/);
    expect(() => action(ok, { secrets: { ["K".repeat(129)]: "v" } })).toThrow(/over 128 characters/);
  });

  it("RULE TypeScript source: loadActionSource bundles it like a deploy, with build-time constants", async () => {
    const loaded = loadActionSource("test/fixtures/actions/scope-tagger.ts", {
      constants: { LABEL: "blue" },
    });
    expect(loaded.name).toBe("scope-tagger");
    const result = await new CredentialsExchangeRuntime().execute([loaded], {
      grantedScopes: ["orders:read", "orders:write"],
    });
    expect(result).toMatchObject({
      outcome: "issued",
      claims: { "https://labels.example/label": "blue" },
      scopes: ["orders:read"],
      logs: [{ action: "scope-tagger", output: "tagged wvQbnlC3Lc9kE5RPazQOGkYQvDUkWD7j", truncated: false }],
    });
  });
});
