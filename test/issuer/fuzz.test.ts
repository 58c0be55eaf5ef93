import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
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
