import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import {
  assertionBody,
  clientOf,
  localFixtureEnvironment,
  secretPostBody,
  startFixture,
} from "../fixtures/local-project.ts";
import { analyticsAssertion } from "./client-assertion.ts";

let local: LocalEnvironment;
beforeAll(async () => {
  local = await startFixture();
});
afterAll(() => local.close());

const ORDERS = "https://orders.api.acme.example";
const NS = "https://claims.acme.example/";

async function post(body: Record<string, unknown> | string, headers: Record<string, string> = {}) {
  const response = await local.server.inject({
    method: "POST",
    url: "/oauth/token",
    headers: {
      "content-type": typeof body === "string" ? "application/x-www-form-urlencoded" : "application/json",
      ...headers,
    },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

const billing = () => clientOf(local, "globex/billing");
const exporter = () => clientOf(local, "initech/exporter");
const secretPost = (extra: Record<string, unknown> = {}) => ({
  grant_type: "client_credentials",
  client_id: billing().clientId,
  client_secret: billing().clientSecret,
  audience: ORDERS,
  ...extra,
});

async function verified(token: unknown) {
  const jwks = createLocalJWKSet((await local.server.inject({ url: "/.well-known/jwks.json" })).json());
  return jwtVerify(String(token), jwks, { issuer: local.issuer });
}

const assertion = (overrides: Record<string, unknown> = {}, key?: string) =>
  analyticsAssertion(local, overrides, key);

describe("the local token endpoint", () => {
  describe("GIVEN a private_key_jwt key past its expiresAt", () => {
    it("WHEN an assertion signed with it comes THEN it is refused", async () => {
      const environment = localFixtureEnvironment();
      const analytics = environment.tenants[1]?.workloads[1] as {
        authentication: { keys: Record<string, unknown>[] };
      };
      analytics.authentication.keys[0] = {
        ...analytics.authentication.keys[0],
        expiresAt: "2020-01-01T00:00:00Z",
      };
      const expired = await startFixture({ environment });
      try {
        const signed = await analyticsAssertion(expired);
        const response = await expired.server.inject({
          method: "POST",
          url: "/oauth/token",
          payload: assertionBody(signed, "https://reports.api.acme.example"),
        });
        expect(response.statusCode).toBe(401);
      } finally {
        await expired.close();
      }
    });
  });

  describe("GIVEN a PS256 API", () => {
    it("WHEN a token is issued for it THEN the published JWKS verifies it", async () => {
      const environment = localFixtureEnvironment();
      (environment.apis[0] as Record<string, unknown>).signingAlg = "PS256";
      const ps = await startFixture({ environment });
      try {
        const client = clientOf(ps, "globex/billing");
        const token = (
          await ps.server.inject({
            method: "POST",
            url: "/oauth/token",
            payload: secretPostBody(client, ORDERS),
          })
        ).json().access_token;
        const jwks = createLocalJWKSet((await ps.server.inject({ url: "/.well-known/jwks.json" })).json());
        const { protectedHeader } = await jwtVerify(token, jwks, {
          issuer: ps.issuer,
          algorithms: ["PS256"],
        });
        expect(protectedHeader.alg).toBe("PS256");
      } finally {
        await ps.close();
      }
    });
  });

  describe("GIVEN client_secret_post with JSON", () => {
    it("WHEN a managed workload asks THEN it gets the token Auth0 would issue, tenant claims from the real Action", async () => {
      const response = await post(secretPost());
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        token_type: "Bearer",
        expires_in: 86_400,
        scope: "orders:read orders:write",
      });
      const { payload, protectedHeader } = await verified(response.body.access_token);
      const now = Math.floor(Date.now() / 1000);
      expect(protectedHeader).toEqual({ alg: "RS256", typ: "JWT", kid: local.tenant.signingKey.kid });
      expect(payload).toEqual({
        iss: local.issuer,
        sub: `${billing().clientId}@clients`,
        aud: ORDERS,
        iat: expect.any(Number),
        exp: (payload.iat ?? 0) + 86_400,
        azp: billing().clientId,
        scope: "orders:read orders:write",
        gty: "client-credentials",
        [`${NS}tenant_id`]: "globex",
        [`${NS}workload`]: "billing",
      });
      expect(Math.abs((payload.iat ?? 0) - now)).toBeLessThan(5);
      expect(local.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    });

    it("WHEN it requests a subset of its scopes THEN the token carries that subset", async () => {
      const response = await post(secretPost({ scope: "orders:read" }));
      expect((await verified(response.body.access_token)).payload.scope).toBe("orders:read");
    });

    it("WHEN it requests a scope outside its grant THEN 403 access_denied names the scopes", async () => {
      expect(await post(secretPost({ scope: "orders:read orders:delete admin" }))).toEqual({
        status: 403,
        body: {
          error: "access_denied",
          error_description: "Client has not been granted scopes: orders:delete admin",
        },
      });
    });

    it("WHEN it asks for an API it has no grant for THEN 403 access_denied", async () => {
      const response = await post(secretPost({ audience: "https://reports.api.acme.example" }));
      expect(response).toMatchObject({ status: 403, body: { error: "access_denied" } });
      expect(response.body.error_description).toMatch(
        /^Client is not authorized to access "https:\/\/reports\.api\.acme\.example"/,
      );
    });

    it("WHEN it asks for the AWS API THEN the token carries the session tags", async () => {
      const response = await post(secretPost({ audience: "https://aws.m2m.acme.example" }));
      expect((await verified(response.body.access_token)).payload["https://aws.amazon.com/tags"]).toEqual({
        principal_tags: { tenant_id: ["globex"], workload: ["billing"] },
        transitive_tag_keys: ["tenant_id"],
      });
    });
  });

  describe("GIVEN client_secret_basic with a form body", () => {
    it("WHEN the secret is in the Authorization header THEN the token is issued", async () => {
      const basic = Buffer.from(`${exporter().clientId}:${exporter().clientSecret}`).toString("base64");
      const response = await post(`grant_type=client_credentials&audience=${encodeURIComponent(ORDERS)}`, {
        authorization: `Basic ${basic}`,
      });
      expect(response.status).toBe(200);
      expect((await verified(response.body.access_token)).payload[`${NS}tenant_id`]).toBe("initech");
    });

    it("WHEN the basic client posts its secret in the body instead THEN it is refused", async () => {
      const response = await post(secretPostBody(exporter(), ORDERS));
      expect(response).toEqual({
        status: 401,
        body: { error: "access_denied", error_description: "Unauthorized" },
      });
    });
  });

  describe("GIVEN private_key_jwt", () => {
    const request = async (client_assertion: string) =>
      post(assertionBody(client_assertion, "https://reports.api.acme.example"));

    it("WHEN the assertion is signed with the registered key THEN the token is issued", async () => {
      const response = await request(await assertion());
      expect(response.status).toBe(200);
      expect((await verified(response.body.access_token)).payload[`${NS}workload`]).toBe("analytics");
    });

    it("WHEN the same assertion is replayed THEN it is refused", async () => {
      const once = await assertion();
      expect((await request(once)).status).toBe(200);
      expect(await request(once)).toMatchObject({ status: 401, body: { error: "access_denied" } });
    });

    it("WHEN it lives longer than 5 minutes, lacks iat, or is issued in the future THEN it is refused", async () => {
      const now = Math.floor(Date.now() / 1000);
      expect((await request(await assertion({ exp: now + 3600 }))).status).toBe(401);
      expect((await request(await assertion({ iat: undefined }))).status).toBe(401);
      expect((await request(await assertion({ iat: now + 600, exp: now + 660 }))).status).toBe(401);
    });

    it("WHEN it is signed by another key, expired, or for another audience THEN it is refused", async () => {
      const other = (await import("../fixtures/keys.ts")).rsaKeyPair().privateKey;
      expect((await request(await assertion({}, other))).status).toBe(401);
      expect((await request(await assertion({ exp: Math.floor(Date.now() / 1000) - 60 }))).status).toBe(401);
      expect((await request(await assertion({ aud: "https://elsewhere.example/" }))).status).toBe(401);
    });
  });

  describe("GIVEN client authentication mistakes", () => {
    it("WHEN a known client sends a wrong secret THEN 401 Unauthorized", async () => {
      expect(await post(secretPost({ client_secret: "not-the-secret" }))).toEqual({
        status: 401,
        body: { error: "access_denied", error_description: "Unauthorized" },
      });
    });

    it("WHEN the Basic header names another client than the body, or does not parse THEN 401", async () => {
      const basic = Buffer.from(`${exporter().clientId}:${exporter().clientSecret}`).toString("base64");
      const body = `grant_type=client_credentials&client_id=${billing().clientId}&audience=${encodeURIComponent(ORDERS)}`;
      expect((await post(body, { authorization: `Basic ${basic}` })).status).toBe(401);
      expect((await post(secretPost(), { authorization: "Basic %%%" })).status).toBe(401);
    });

    it("WHEN the request names an organization THEN 403: grants do not allow organizations", async () => {
      expect(await post(secretPost({ organization: "org_123" }))).toMatchObject({
        status: 403,
        body: { error: "access_denied" },
      });
    });
  });

  describe("GIVEN an Action that throws", () => {
    it("WHEN a token is requested THEN 500 server_error, without the Action's message", async () => {
      const { loadAction } = await import("../../src/runtime/index.ts");
      const throwing = loadAction({
        name: "leaky",
        code: "exports.onExecuteCredentialsExchange = async (event) => { throw new Error('secret=' + event.secrets.KEY); };",
        secrets: { KEY: "hunter2" },
      });
      const { tokenEndpoint } = await import("../../src/issuer/token-endpoint.ts");
      const response = await tokenEndpoint(
        { ...local.tenant, actions: [throwing] },
        { body: secretPost(), ip: "127.0.0.1" },
      );
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        error: "server_error",
        error_description: expect.stringMatching(/^Action leaky failed/),
      });
      expect(JSON.stringify(response.body)).not.toContain("hunter2");
    });
  });

  describe("GIVEN the rfc9068 dialect on an API", () => {
    it("WHEN a token is issued for it THEN it carries client_id and jti, not azp, with typ at+jwt", async () => {
      const environment = localFixtureEnvironment();
      (environment.apis[0] as Record<string, unknown>).tokenDialect = "rfc9068_profile";
      const rfc = await startFixture({ environment });
      try {
        const client = clientOf(rfc, "globex/billing");
        const response = await rfc.server.inject({
          method: "POST",
          url: "/oauth/token",
          payload: secretPostBody(client, ORDERS),
        });
        const token = response.json().access_token;
        expect(decodeProtectedHeader(token).typ).toBe("at+jwt");
        const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
        expect(payload).toMatchObject({ client_id: client.clientId, jti: expect.any(String) });
        expect(payload).not.toHaveProperty("azp");
      } finally {
        await rfc.close();
      }
    });
  });

  describe("GIVEN bad requests", () => {
    const cases: [
      string,
      Record<string, unknown> | string,
      Record<string, string>,
      number,
      Record<string, string>,
    ][] = [
      [
        "no grant_type",
        { client_id: "x" },
        {},
        400,
        { error: "invalid_request", error_description: "Missing required parameter: grant_type" },
      ],
      [
        "the password grant",
        { grant_type: "password" },
        {},
        403,
        {
          error: "unauthorized_client",
          error_description: "Grant type 'password' not allowed for the client.",
        },
      ],
      [
        "an unknown grant type",
        { grant_type: "magic" },
        {},
        400,
        { error: "unsupported_grant_type", error_description: "Unsupported grant type: magic" },
      ],
      [
        "an unknown client",
        { grant_type: "client_credentials", client_id: "nope", client_secret: "x", audience: ORDERS },
        {},
        401,
        { error: "access_denied", error_description: "Unauthorized" },
      ],
      [
        "no audience",
        { grant_type: "client_credentials", client_id: "@billing", client_secret: "@billing" },
        {},
        403,
        {
          error: "access_denied",
          error_description:
            "No audience parameter was provided, and no default audience has been configured",
        },
      ],
      [
        "an unknown audience",
        {
          grant_type: "client_credentials",
          client_id: "@billing",
          client_secret: "@billing",
          audience: "https://nope",
        },
        {},
        403,
        { error: "access_denied", error_description: "Service not found: https://nope" },
      ],
      [
        "a parameter given twice",
        "grant_type=client_credentials&grant_type=client_credentials",
        {},
        400,
        { error: "invalid_request", error_description: "Parameter grant_type must be a single string" },
      ],
      [
        "malformed JSON",
        "{",
        { "content-type": "application/json" },
        400,
        { error: "invalid_request", error_description: expect.any(String) as unknown as string },
      ],
      [
        "an unsupported content type",
        "<a/>",
        { "content-type": "application/xml" },
        415,
        {
          error: "invalid_request",
          error_description: expect.stringMatching(/Content-Type/) as unknown as string,
        },
      ],
    ];
    for (const [name, body, headers, status, expected] of cases) {
      it(`WHEN the request has ${name} THEN ${status} ${expected.error}`, async () => {
        const resolved =
          typeof body === "string"
            ? body
            : Object.fromEntries(
                Object.entries(body).map(([k, v]) => [
                  k,
                  v === "@billing" ? (k === "client_id" ? billing().clientId : billing().clientSecret) : v,
                ]),
              );
        expect(await post(resolved, headers)).toEqual({ status, body: expected });
      });
    }
  });

  describe("GIVEN discovery", () => {
    it("WHEN read THEN the issuer, token endpoint and JWKS are the local ones", async () => {
      const discovery = (await local.server.inject({ url: "/.well-known/openid-configuration" })).json();
      expect(discovery).toMatchObject({
        issuer: local.issuer,
        token_endpoint: `${local.issuer}oauth/token`,
        jwks_uri: `${local.issuer}.well-known/jwks.json`,
        token_endpoint_auth_methods_supported: [
          "client_secret_basic",
          "client_secret_post",
          "private_key_jwt",
        ],
      });
      const jwks = (await local.server.inject({ url: "/.well-known/jwks.json" })).json();
      expect(jwks.keys).toEqual([
        expect.objectContaining({ kty: "RSA", kid: local.tenant.signingKey.kid, use: "sig" }),
      ]);
      expect(jwks.keys[0]).not.toHaveProperty("d");
    });
  });
});
