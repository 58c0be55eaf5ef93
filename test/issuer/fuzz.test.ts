import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { readLocalState } from "../../src/issuer/local-state.ts";
import { clientOf, secretPostBody, startFixture } from "../fixtures/local-project.ts";

let local: LocalEnvironment;
beforeAll(async () => {
  local = await startFixture();
});
afterAll(() => local.close());

const contentTypes = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/xml",
    "multipart/form-data; boundary=x",
    "application/json; charset=utf-16",
    "",
  ),
  fc.string({ maxLength: 40 }),
);

const bodies = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(
      fc.constantFrom(
        "grant_type",
        "client_id",
        "client_secret",
        "audience",
        "scope",
        "client_assertion",
        "client_assertion_type",
      ),
      fc.oneof(fc.string(), fc.jsonValue()),
    )
    .map((d) => JSON.stringify(d)),
  fc
    .dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }))
    .map((d) => new URLSearchParams(d).toString()),
  fc.constant(
    "grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=a.b.c",
  ),
  fc.nat({ max: 200_000 }).map((n) => "x".repeat(n)),
  fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b).toString("latin1")),
);

/** Credentials that authenticate, so some requests reach the Actions and signing. */
const VALID = "@valid";

const randomRequests = fc.record({
  method: fc.constantFrom("POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
  url: fc.oneof(
    fc.constantFrom("/oauth/token", "/.well-known/jwks.json", "/.well-known/openid-configuration", "/"),
    fc.webPath().map((p) => (p.startsWith("/") ? p : `/${p}`)),
  ),
  contentType: contentTypes,
  authorization: fc.option(
    fc.oneof(
      fc.string(),
      fc.base64String().map((s) => `Basic ${s}`),
      fc.constant("Basic Og=="),
    ),
    { nil: undefined },
  ),
  body: bodies,
});

/** Requests that authenticate, with random audiences, scopes and extra fields: they reach the Actions and signing. */
const authenticatedRequests = fc.record({
  method: fc.constant("POST"),
  url: fc.constant("/oauth/token"),
  contentType: fc.constant("application/json"),
  authorization: fc.constant(undefined),
  body: fc
    .record({
      audience: fc.oneof(
        fc.constantFrom(
          "https://orders.api.acme.example",
          "https://aws.m2m.acme.example",
          "https://reports.api.acme.example",
        ),
        fc.string(),
      ),
      scope: fc.oneof(
        fc.constantFrom("orders:read", "orders:read orders:write", "", "orders:delete"),
        fc.string(),
      ),
      extra: fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })),
    })
    .map((r) =>
      JSON.stringify({
        ...r.extra,
        grant_type: "client_credentials",
        client_id: VALID,
        client_secret: VALID,
        audience: r.audience,
        scope: r.scope,
      }),
    ),
});

const requests = fc.oneof(randomRequests, authenticatedRequests);

describe("the local issuer under random and malformed input", () => {
  it("GIVEN 5,000 generated requests, some authenticated WHEN sent THEN none gets a 5xx, and every token-endpoint answer is Auth0's shape", async () => {
    const client = clientOf(local, "globex/billing");
    let issued = 0;
    await fc.assert(
      fc.asyncProperty(requests, async (generated) => {
        const r = {
          ...generated,
          body: generated.body
            .replace(`"client_id":"${VALID}"`, `"client_id":"${client.clientId}"`)
            .replace(`"client_secret":"${VALID}"`, `"client_secret":"${client.clientSecret}"`),
        };
        const response = await local.server.inject({
          method: r.method as "POST",
          url: r.url,
          headers: {
            ...(r.contentType ? { "content-type": r.contentType } : {}),
            ...(r.authorization ? { authorization: r.authorization } : {}),
          },
          ...(r.method === "GET" || r.method === "HEAD" ? {} : { payload: r.body }),
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode === 200 && r.url === "/oauth/token") issued++;
        if (r.url === "/oauth/token" && r.method === "POST") {
          expect(response.json()).toEqual(
            response.statusCode === 200
              ? expect.objectContaining({ access_token: expect.any(String) })
              : { error: expect.any(String), error_description: expect.any(String) },
          );
        }
      }),
      { numRuns: 5_000 },
    );
    expect(issued).toBeGreaterThan(100);
  });

  it("GIVEN 2,000 generated Management API requests, half with a valid token WHEN sent THEN none gets a 5xx, and every refusal is Auth0's Management API error shape", async () => {
    const management = local.tenant.management;
    management.limiter.limit = { burst: 1_000_000, perSecond: 1_000_000 };
    // Objects of the fuzz's own, so the workloads the other tests use are never deleted.
    const own = management.createClient({ name: "fuzz-target" });
    const grant = management.createGrant({
      client_id: own.client_id,
      audience: "https://orders.api.acme.example",
      scope: ["orders:read"],
    });
    const server = management.createResourceServer({ identifier: "https://fuzz.example/api" });
    const action = management.actions.create({
      name: "fuzz-action",
      code: "exports.onExecuteCredentialsExchange = async () => {};",
      supported_triggers: [{ id: "credentials-exchange", version: "v2" }],
    });
    const secret = readLocalState(local.stateDir)?.management;
    const token = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: secret?.clientId,
        client_secret: secret?.clientSecret,
        audience: management.audience,
      }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const ids = fc.oneof(
      fc.constantFrom(own.client_id, grant.id, server.id, action.id, encodeURIComponent(server.identifier)),
      fc.string({ maxLength: 30 }).map(encodeURIComponent),
    );
    const paths = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(
            "/clients",
            "/clients/{id}",
            "/clients/{id}/credentials",
            "/client-grants",
            "/client-grants/{id}",
            "/resource-servers",
            "/resource-servers/{id}",
            "/actions/actions",
            "/actions/actions/{id}",
            "/actions/actions/{id}/deploy",
            "/actions/triggers/credentials-exchange/bindings",
            "/actions/triggers/{id}/bindings",
          ),
          ids,
        )
        .map(([template, id]) => `/api/v2${template.replace("{id}", id)}`),
      fc.webPath().map((p) => `/api/v2${p.startsWith("/") ? p : `/${p}`}`),
    );
    const queries = fc
      .dictionary(
        fc.constantFrom(
          "page",
          "per_page",
          "include_totals",
          "take",
          "from",
          "fields",
          "include_fields",
          "client_id",
          "audience",
          "triggerId",
        ),
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.nat({ max: 200 }).map(String),
          fc.constantFrom("true", "false"),
        ),
      )
      .map((d) => new URLSearchParams(d).toString());
    const fields = fc.constantFrom(
      "name",
      "app_type",
      "client_metadata",
      "token_endpoint_auth_method",
      "client_id",
      "audience",
      "scope",
      "identifier",
      "scopes",
      "signing_alg",
      "token_lifetime",
      "token_dialect",
      "code",
      "supported_triggers",
      "bindings",
      "ref",
      "pem",
      "credential_type",
      "grant_types",
    );
    const managementRequests = fc.record({
      method: fc.constantFrom("GET", "GET", "POST", "PATCH", "DELETE"),
      url: fc
        .tuple(paths, fc.oneof(fc.constant(""), fc.constant(""), queries))
        .map(([p, q]) => (q ? `${p}?${q}` : p)),
      authorization: fc.oneof(
        fc.constant(`Bearer ${token}`),
        fc.constant(`Bearer ${token}`),
        fc.constant(`Bearer ${token}`),
        fc.constant(undefined),
        fc.string().map((t) => `Bearer ${t}`),
        fc.string(),
      ),
      body: fc.oneof(
        fc.dictionary(fields, fc.jsonValue({ maxDepth: 3 })).map((d) => JSON.stringify(d)),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
      ),
    });
    let answered = 0;
    // Answers from an endpoint's own code: a success, or a refusal with Auth0's errorCode.
    let handled = 0;
    try {
      await fc.assert(
        fc.asyncProperty(managementRequests, async (r) => {
          const response = await local.server.inject({
            method: r.method as "GET",
            url: r.url,
            headers: {
              "content-type": "application/json",
              ...(r.authorization !== undefined ? { authorization: r.authorization } : {}),
            },
            ...(r.method === "GET" || r.method === "DELETE" ? {} : { payload: r.body }),
          });
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode < 400 || response.json().errorCode !== undefined) handled++;
          if (response.statusCode >= 400)
            expect(response.json()).toEqual(
              expect.objectContaining({
                statusCode: response.statusCode,
                error: expect.any(String),
                message: expect.any(String),
              }),
            );
          else answered++;
          // Every request an endpoint handles is metered (malformed ones are refused before).
          if (response.statusCode < 400 || [401, 403, 429].includes(response.statusCode))
            expect(response.headers["x-ratelimit-limit"]).toBeDefined();
        }),
        { numRuns: 2_000 },
      );
    } finally {
      // Whatever the fuzz bound, the other tests expect the model's binding list.
      management.actions.updateBindings("credentials-exchange", {
        bindings: [{ ref: { type: "action_name", value: "m2m-tenant-claims" } }],
      });
    }
    expect(answered).toBeGreaterThan(50);
    expect(handled).toBeGreaterThan(250);
  });

  it("GIVEN broken HTTP on the socket WHEN sent THEN each gets a 4xx or a closed connection, never a 5xx", async () => {
    const port = new URL(local.issuer).port;
    for (const raw of [
      "GARBAGE\r\n\r\n",
      "POST /oauth/token HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{",
      "\u0000\u0001\u0002",
      "POST / HTTP/9.9\r\n\r\n",
    ]) {
      const answer = await new Promise<string>((resolve) => {
        let received = "";
        const socket = connect(Number(port), "127.0.0.1", () => socket.end(raw));
        socket.on("data", (chunk) => {
          received += chunk;
        });
        socket.on("error", () => resolve(received));
        socket.on("close", () => resolve(received));
      });
      if (answer !== "") expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
  });

  it("GIVEN the fuzzing is over WHEN a valid request comes THEN the server still answers correctly", async () => {
    const client = clientOf(local, "globex/billing");
    const response = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(secretPostBody(client, "https://orders.api.acme.example")),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { token_type: string }).token_type).toBe("Bearer");
  });
});
