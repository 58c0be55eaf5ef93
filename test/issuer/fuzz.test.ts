import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { clientOf, startFixture } from "../fixtures/local-project.ts";

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

const requests = fc.record({
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

describe("the local issuer under random and malformed input", () => {
  it("GIVEN 5,000 generated requests WHEN sent THEN none gets a 5xx, and every token-endpoint error is Auth0's shape", async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
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
  });

  it("GIVEN broken HTTP on the socket WHEN sent THEN the server survives", async () => {
    const port = new URL(local.issuer).port;
    for (const raw of [
      "GARBAGE\r\n\r\n",
      "POST /oauth/token HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{",
      "\u0000\u0001\u0002",
      "POST / HTTP/9.9\r\n\r\n",
    ]) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), "127.0.0.1", () => socket.end(raw));
        socket.on("error", () => resolve());
        socket.on("close", () => resolve());
        socket.resume();
      });
    }
  });

  it("GIVEN the fuzzing is over WHEN a valid request comes THEN the server still answers correctly", async () => {
    const client = clientOf(local, "globex/billing");
    const response = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: client.clientId,
        client_secret: client.clientSecret,
        audience: "https://orders.api.acme.example",
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { token_type: string }).token_type).toBe("Bearer");
  });
});
