import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import { EnvironmentError } from "../../../src/model/environment/errors.ts";
import { readStackFile } from "../../../src/stack/stack-file.ts";
import { type RawEnvironment, validEnvironment } from "../../fixtures/environment.ts";
import { rsaKeyPair } from "../../fixtures/keys.ts";

function issuesOf(raw: unknown, stack = "dev") {
  try {
    parseEnvironment(raw, stack);
  } catch (error) {
    if (error instanceof EnvironmentError) return error.issues;
    throw error;
  }
  throw new Error("expected the environment to be rejected");
}

type Mutation = (env: RawEnvironment & Record<string, unknown>) => void;
// biome-ignore lint/suspicious/noExplicitAny: the cases write deliberately wrong shapes
const any = (value: unknown): any => value;

const worker = (name: string, api = "orders") => ({ name, grants: [{ api, scopes: ["orders:read"] }] });

const INVALID: [string, Mutation, string, RegExp][] = [
  [
    "two workloads composing the same names",
    (e) => {
      e.tenants = [
        { id: "abc-def", workloads: [worker("ghi")] },
        { id: "abc", workloads: [worker("def-ghi")] },
      ];
    },
    "tenants[1].workloads[0].name",
    /tenant "abc" workload "def-ghi" composes the name "abc-def-ghi", as tenant "abc-def" workload "ghi" does/,
  ],
  [
    "two grants composing the same resource name",
    (e) => {
      Object.assign(any(e.apis[0]), { key: "jkl" });
      Object.assign(any(e.apis[1]), { key: "ghi-jkl", scopes: [{ value: "orders:read" }] });
      e.tenants = [{ id: "abc", workloads: [worker("def", "ghi-jkl"), worker("def-ghi", "jkl")] }];
    },
    "tenants[0].workloads[1].grants[0].api",
    /tenant "abc" workload "def-ghi" composes the name "abc-def-ghi-jkl", as tenant "abc" workload "def" does/,
  ],
  [
    "no credentials-exchange binding list",
    (e) => delete any(e).credentialsExchange,
    "credentialsExchange",
    /is required: list the credentials-exchange trigger's whole binding list/,
  ],
  [
    "an applicationLimit above what the plan allows",
    (e) => {
      Object.assign(any(e.auth0), { plan: "free", applicationLimit: 500 });
      e.tenants = Array.from({ length: 10 }, (_, i) => ({
        id: `tenant-${i}`,
        workloads: [worker("worker")],
      }));
    },
    "tenants",
    /10 workloads.*limit of 9/,
  ],
  [
    "a metadata key with a character Auth0 refuses",
    (e) => (any(e.tenants[0]).workloads[0].metadata = { "team.name": "payments" }),
    "tenants[0].workloads[0].metadata",
    /metadata key "team\.name" must be/,
  ],
  [
    "namespace under auth0.com. (trailing dot)",
    (e) => (e.claimNamespace = "https://claims.auth0.com./"),
    "claimNamespace",
    /under auth0\.com/,
  ],
  ["missing Auth0 domain", (e) => delete any(e.auth0).domain, "auth0.domain", /is required/],
  [
    "domain with scheme",
    (e) => (any(e.auth0).domain = "https://acme.auth0.com"),
    "auth0.domain",
    /bare lowercase host/,
  ],
  ["unknown key (typo)", (e) => (any(e.auth0).domian = "x"), "auth0", /unknown key "domian"/],
  [
    "custom tokenDomain without customDomain",
    (e) => (any(e.auth0).tokenDomain = "custom"),
    "auth0.tokenDomain",
    /no customDomain/,
  ],
  [
    "http namespace",
    (e) => (e.claimNamespace = "http://claims.acme.example/"),
    "claimNamespace",
    /https:\/\//,
  ],
  [
    "namespace without trailing slash",
    (e) => (e.claimNamespace = "https://claims.acme.example"),
    "claimNamespace",
    /end with '\/'/,
  ],
  [
    "namespace under auth0.com",
    (e) => (e.claimNamespace = "https://x.auth0.com/"),
    "claimNamespace",
    /under auth0\.com/,
  ],
  [
    "namespace under webtask.run",
    (e) => (e.claimNamespace = "https://webtask.run/"),
    "claimNamespace",
    /under webtask\.run/,
  ],
  [
    "namespace under webtask.io",
    (e) => (e.claimNamespace = "https://a.webtask.io/"),
    "claimNamespace",
    /under webtask\.io/,
  ],
  ["duplicate API key", (e) => (any(e.apis[1]).key = "orders"), "apis[1].key", /used twice/],
  [
    "duplicate API identifier",
    (e) => (any(e.apis[1]).identifier = "https://orders.api.acme.example"),
    "apis[1].identifier",
    /declared twice/,
  ],
  [
    "API identifier that is not a URI",
    (e) => (any(e.apis[0]).identifier = "orders api"),
    "apis[0].identifier",
    /absolute URI/,
  ],
  [
    "Management API as an API",
    (e) => (any(e.apis[0]).identifier = "https://acme-test.eu.auth0.com/api/v2/"),
    "apis[0].identifier",
    /Management API/,
  ],
  [
    "wildcard scope",
    (e) => any(e.apis[0]).scopes.push({ value: "orders:*" }),
    "apis[0].scopes[2].value",
    /wildcard/,
  ],
  [
    "duplicate scope on an API",
    (e) => any(e.apis[0]).scopes.push({ value: "orders:read" }),
    "apis[0].scopes[2].value",
    /declared twice/,
  ],
  [
    "token lifetime over 30 days",
    (e) => (any(e.apis[0]).tokenLifetime = 3_000_000),
    "apis[0].tokenLifetime",
    /at most 2592000/,
  ],
  [
    "unknown signing algorithm",
    (e) => (any(e.apis[0]).signingAlg = "ES256"),
    "apis[0].signingAlg",
    /one of "RS256", "PS256", "HS256"/,
  ],
  [
    "cloud API not RS256",
    (e) => Object.assign(any(e.apis[0]), { cloud: "aws", signingAlg: "PS256" }),
    "apis[0].signingAlg",
    /must sign with RS256/,
  ],
  [
    "GCP API living 48 h",
    (e) => Object.assign(any(e.apis[0]), { cloud: "gcp", tokenLifetime: 172_800 }),
    "apis[0].tokenLifetime",
    /below 172800/,
  ],
  [
    "Azure API with another identifier",
    (e) => (any(e.apis[0]).cloud = "azure"),
    "apis[0].identifier",
    /api:\/\/AzureADTokenExchange/,
  ],
  [
    "two APIs for one cloud",
    (e) => {
      any(e.apis[0]).cloud = "aws";
      any(e.apis[1]).cloud = "aws";
    },
    "apis",
    /one API per cloud/,
  ],
  [
    "tenant id with uppercase",
    (e) => (any(e.tenants[0]).id = "Globex"),
    "tenants[0].id",
    /tenant id "Globex" must be 3 to 20/,
  ],
  [
    "tenant id ending with '-'",
    (e) => (any(e.tenants[0]).id = "globex-"),
    "tenants[0].id",
    /not ending with '-'/,
  ],
  ["tenant id too short", (e) => (any(e.tenants[0]).id = "gx"), "tenants[0].id", /3 to 20/],
  ["duplicate tenant id", (e) => (any(e.tenants[1]).id = "globex"), "tenants[1].id", /used twice/],
  [
    "duplicate workload name",
    (e) => (any(e.tenants[1]).workloads[1].name = "exporter"),
    "tenants[1].workloads[1].name",
    /appears twice/,
  ],
  [
    "grant to an unknown API",
    (e) => (any(e.tenants[0]).workloads[0].grants[0].api = "billing"),
    "tenants[0].workloads[0].grants[0].api",
    /unknown API "billing".*orders, reports/,
  ],
  [
    "grant of a scope the API lacks",
    (e) => any(e.tenants[0]).workloads[0].grants[0].scopes.push("orders:delete"),
    "tenants[0].workloads[0].grants[0].scopes[2]",
    /does not exist on API "orders"/,
  ],
  [
    "grant with no scopes",
    (e) => (any(e.tenants[0]).workloads[0].grants[0].scopes = []),
    "tenants[0].workloads[0].grants[0].scopes",
    /at least one scope/,
  ],
  [
    "two grants to one API",
    (e) => any(e.tenants[0]).workloads[0].grants.push({ api: "orders", scopes: ["orders:read"] }),
    "tenants[0].workloads[0].grants[1].api",
    /granted twice/,
  ],
  [
    "workload without grants",
    (e) => (any(e.tenants[0]).workloads[0].grants = []),
    "tenants[0].workloads[0].grants",
    /at least one grant/,
  ],
  [
    "unknown authentication method",
    (e) => (any(e.tenants[0]).workloads[0].authentication = { method: "none" }),
    "tenants[0].workloads[0].authentication.method",
    /client_secret_post, client_secret_basic or private_key_jwt/,
  ],
  [
    "three private_key_jwt keys",
    (e) => {
      const keys = any(e.tenants[1]).workloads[1].authentication.keys;
      keys.push({ name: "b", pem: rsaKeyPair().publicKey }, { name: "c", pem: rsaKeyPair().publicKey });
    },
    "tenants[1].workloads[1].authentication.keys",
    /at most 2 keys/,
  ],
  [
    "a private key pasted as the PEM",
    (e) => (any(e.tenants[1]).workloads[1].authentication.keys[0].pem = rsaKeyPair().privateKey),
    "tenants[1].workloads[1].authentication.keys[0].pem",
    /PRIVATE key/,
  ],
  [
    "a 1024-bit key",
    (e) => (any(e.tenants[1]).workloads[1].authentication.keys[0].pem = rsaKeyPair(1024).publicKey),
    "tenants[1].workloads[1].authentication.keys[0].pem",
    /1024-bit/,
  ],
  [
    "a PEM that does not parse",
    (e) =>
      (any(e.tenants[1]).workloads[1].authentication.keys[0].pem =
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
    "tenants[1].workloads[1].authentication.keys[0].pem",
    /does not parse/,
  ],
  [
    "metadata overriding tenant_id",
    (e) => (any(e.tenants[0]).workloads[0].metadata = { tenant_id: "initech" }),
    "tenants[0].workloads[0].metadata.tenant_id",
    /set by this tool/,
  ],
  [
    "metadata over 10 keys",
    (e) =>
      (any(e.tenants[0]).workloads[0].metadata = Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [`k${i}`, "v"]),
      )),
    "tenants[0].workloads[0].metadata",
    /11 metadata keys, over Auth0's 10/,
  ],
  [
    "metadata value over 255 characters",
    (e) => (any(e.tenants[0]).workloads[0].metadata = { team: "x".repeat(256) }),
    "tenants[0].workloads[0].metadata.team",
    /at most 255 characters/,
  ],
  [
    "more applications than the plan allows",
    (e) => {
      any(e.auth0).plan = "free";
      e.tenants = Array.from({ length: 11 }, (_, i) => ({
        id: `tenant-${i}`,
        workloads: [{ name: "worker", grants: [{ api: "orders", scopes: ["orders:read"] }] }],
      }));
    },
    "tenants",
    /11 workloads.*limit of 9 \(the free plan's 10, less Pulumi's own application\)/,
  ],
  [
    "more applications than the configured limit",
    (e) => (any(e.auth0).applicationLimit = 2),
    "tenants",
    /over the limit of 2 \(auth0\.applicationLimit\)/,
  ],
  [
    "IAM role name over 64 characters",
    (e) => {
      any(e.apis[0]).cloud = "aws";
      any(e.tenants[0]).id = "globex-international";
      any(e.tenants[0]).workloads[0].name = "billing-reconciler-x";
    },
    "tenants[0].workloads[0]",
    /AWS IAM role name "m2m-longenvironmentname-globex-international-billing-reconciler-x".*at most 64/,
  ],
  [
    "GCP service account id over 30 characters",
    (e) => {
      any(e.apis[0]).cloud = "gcp";
      any(e.apis[0]).tokenLifetime = 3600;
      any(e.tenants[0]).id = "globex-international";
    },
    "tenants[0].workloads[0]",
    /GCP service account id "longenvironmentname-globex-international".*6 to 30/,
  ],
  [
    "our Action not bound",
    (e) => (e.credentialsExchange = { bindings: [{ id: "abc", displayName: "Other team" }] }),
    "credentialsExchange.bindings",
    /"tenant-claims" is not bound/,
  ],
  [
    "another team's Action bound after tenant-claims",
    (e) =>
      (e.credentialsExchange = {
        bindings: [{ action: "tenant-claims" }, { id: "7e1f0a92", displayName: "Claims enricher" }],
      }),
    "credentialsExchange.bindings[0]",
    /^"tenant-claims" must be the last binding, but "Claims enricher" \(7e1f0a92\) runs after it and could overwrite the tenant claims and the AWS session-tags claim it sets: move \{action: tenant-claims\} to the end of the list$/,
  ],
  [
    "binding an Action this project lacks",
    (e) => (e.credentialsExchange = { bindings: [{ action: "tenant-claims" }, { action: "rate-limit" }] }),
    "credentialsExchange.bindings[1].action",
    /not one of this project's Actions/,
  ],
  [
    "an external binding without displayName",
    (e) => (e.credentialsExchange = { bindings: [{ action: "tenant-claims" }, { id: "abc" }] }),
    "credentialsExchange.bindings[1]",
    /\{id, displayName\}/,
  ],
];

describe("parseEnvironment", () => {
  describe("GIVEN the committed stack files", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      it(`WHEN ${stack} is parsed THEN it is valid, on its own Auth0 tenant, with 2 APIs, one per cloud, and 3 tenants`, () => {
        const env = parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);
        expect(env.issuer).toBe(`https://acme-${stack}.eu.auth0.com/`);
        expect(env.apis.map((a) => a.cloud ?? a.key)).toEqual(["orders", "reports", "aws", "gcp", "azure"]);
        expect(Object.keys(env.clouds)).toEqual(["aws", "gcp", "azure"]);
        expect(env.tenants.map((t) => t.workloads.length)).toEqual([1, 2, 1]);
        expect(env.production).toBe(stack === "prod");
      });
    }
  });

  describe("GIVEN a valid environment without optional fields", () => {
    it("WHEN parsed THEN the documented defaults apply", () => {
      const env = parseEnvironment(validEnvironment(), "dev");
      expect(env.name).toBe("dev");
      expect(env.issuer).toBe("https://acme-test.eu.auth0.com/");
      expect(env.claims).toEqual({
        tenantId: "https://claims.acme.example/tenant_id",
        workload: "https://claims.acme.example/workload",
      });
      expect(env.apis[0]).toMatchObject({
        tokenLifetime: 86_400,
        signingAlg: "RS256",
        tokenDialect: "access_token",
      });
      expect(env.tenants[0]?.workloads[0]?.authentication).toEqual({ method: "client_secret_post" });
      expect(env.auth0.plan).toBe("self-service");
    });
  });

  describe("GIVEN a custom domain", () => {
    it("WHEN tokenDomain is not set THEN the issuer is the custom domain, with its trailing slash", () => {
      const raw = validEnvironment();
      Object.assign(raw.auth0, { customDomain: "login.acme.example" });
      expect(parseEnvironment(raw, "dev").issuer).toBe("https://login.acme.example/");
    });
    it("WHEN tokenDomain is canonical THEN the issuer is the canonical domain", () => {
      const raw = validEnvironment();
      Object.assign(raw.auth0, { customDomain: "login.acme.example", tokenDomain: "canonical" });
      expect(parseEnvironment(raw, "dev").issuer).toBe("https://acme-test.eu.auth0.com/");
    });
  });

  describe("GIVEN an invalid environment", () => {
    for (const [name, mutate, path, message] of INVALID) {
      it(`WHEN it has ${name} THEN it is rejected at ${path}`, () => {
        const raw = validEnvironment() as RawEnvironment & Record<string, unknown>;
        mutate(raw);
        const stack =
          name.includes("IAM role") || name.includes("service account") ? "longenvironmentname" : "dev";
        const issues = issuesOf(raw, stack);
        expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
      });
    }

    it("WHEN it has several violations THEN every one is reported at once, each with its path", () => {
      const raw = validEnvironment();
      any(raw.tenants[0]).workloads[0].grants[0].api = "nope";
      any(raw.tenants[1]).id = "globex";
      any(raw.apis[1]).scopes.push({ value: "reports:read" });
      const issues = issuesOf(raw);
      expect(issues.map((i) => i.path).sort()).toEqual([
        "apis[1].scopes[1].value",
        "tenants[0].workloads[0].grants[0].api",
        "tenants[1].id",
      ]);
    });

    it("WHEN the error is shown THEN its message lists each path and says nothing was changed", () => {
      const raw = validEnvironment();
      raw.claimNamespace = "https://claims.auth0.com/";
      expect(() => parseEnvironment(raw, "dev")).toThrow(
        /stack "dev".*1 problem; nothing was created or changed:\n {2}- claimNamespace: .*auth0\.com/s,
      );
    });

    it("WHEN the stack has no environment THEN the error says where to add it", () => {
      expect(issuesOf(undefined)).toEqual([
        { path: "", message: expect.stringMatching(/no m2m:environment value: add it to Pulumi\.dev\.yaml/) },
      ]);
    });

    it("WHEN the stack name cannot prefix names THEN it is rejected", () => {
      expect(issuesOf(validEnvironment(), "Prod_EU")).toContainEqual({
        path: "(stack name)",
        message: expect.stringMatching(/stack name "Prod_EU" must be 1 to 20 characters of a-z and 0-9/),
      });
    });
  });

  describe("GIVEN private_key_jwt keys compared by key, not by PEM text", () => {
    const keyOf = (raw: RawEnvironment) =>
      any(raw.tenants[1]).workloads[1].authentication.keys[0].pem as string;
    const asPkcs1 = (pem: string) =>
      createPublicKey(pem).export({ type: "pkcs1", format: "pem" }).toString().replace(/\n/g, "\r\n");
    const withKeys = (...pems: string[]) => ({
      method: "private_key_jwt",
      keys: pems.map((pem, i) => ({ name: `key-${i + 1}`, pem })),
    });

    it("WHEN workloads of two tenants register one key, written differently THEN it is refused, naming both places", () => {
      const raw = validEnvironment();
      any(raw.tenants[0]).workloads[0].authentication = withKeys(asPkcs1(keyOf(raw)));
      expect(issuesOf(raw)).toEqual([
        {
          path: "tenants[1].workloads[1].authentication.keys[0].pem",
          message:
            'this public key is also registered for tenant "globex" workload "billing" at tenants[0].workloads[0].authentication.keys[0].pem: whoever holds its private key could get tokens as both tenants. Give each tenant\'s workloads their own key pair',
        },
      ]);
    });

    it("WHEN one workload lists one key twice, written differently THEN it is refused as listed twice", () => {
      const raw = validEnvironment();
      any(raw.tenants[1]).workloads[1].authentication = withKeys(keyOf(raw), asPkcs1(keyOf(raw)));
      expect(issuesOf(raw)).toEqual([
        {
          path: "tenants[1].workloads[1].authentication.keys[1].pem",
          message: expect.stringMatching(/the same public key is listed twice/),
        },
      ]);
    });

    it("WHEN two workloads of one tenant share a key THEN it is accepted: the tenant stays isolated", () => {
      const raw = validEnvironment();
      any(raw.tenants[1]).workloads[0].authentication = withKeys(asPkcs1(keyOf(raw)));
      expect(parseEnvironment(raw, "dev").tenants[1]?.workloads[0]?.authentication.method).toBe(
        "private_key_jwt",
      );
    });
  });

  describe("GIVEN stacks that share a cloud account", () => {
    it("WHEN a stack name contains '-' THEN it is refused, saying which names would collide and how to fix it", () => {
      expect(issuesOf(validEnvironment(), "dev-prod")).toEqual([
        {
          path: "(stack name)",
          message: expect.stringMatching(
            /stack name "dev-prod" must be .*\(no '-'\).*stack "dev" with tenant "prod-abc" and stack "dev-prod" with tenant "abc" would both compose m2m-dev-prod-abc.*e\.g\. "devprod"$/,
          ),
        },
      ]);
    });

    for (const stack of ["dev", "staging", "prod", "eu2"]) {
      it(`WHEN the stack is named ${stack} THEN the name is accepted`, () => {
        expect(parseEnvironment(validEnvironment(), stack).name).toBe(stack);
      });
    }
  });
});
