import { once } from "node:events";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { decodeJwt } from "jose";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import type { ClientCredential } from "../../src/token/client-credential.ts";
import { createTokenSource, TokenRequestError } from "../../src/token/index.ts";
import { ANALYTICS_KEY, clientOf, startFixture } from "../fixtures/local-project.ts";

const REPORTS = "https://reports.api.acme.example";
const ORDERS = "https://orders.api.acme.example";

/** A fetch that counts the token requests it makes. */
function countingFetch() {
  const counter = { requests: 0 };
  const counted: typeof fetch = (input, init) => {
    if (String(input).endsWith("/oauth/token")) counter.requests++;
    return fetch(input, init);
  };
  return { counter, fetch: counted };
}

/** A loopback token endpoint that answers each request with the next of `answers`, and records when each came. */
async function scriptedIssuer(
  answers: { status: number; headers?: Record<string, string>; body: unknown }[],
) {
  const arrivals: number[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      arrivals.push(Date.now());
      const answer = answers[Math.min(arrivals.length - 1, answers.length - 1)] ?? { status: 500, body: {} };
      response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      response.end(JSON.stringify(answer.body));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { issuer: `http://127.0.0.1:${port}/`, arrivals, close: () => server.close() };
}

const SECRET = "s3cret-value-never-shown";
const secretPost: ClientCredential = { method: "client_secret_post", clientSecret: SECRET };
const goodToken = (lifetime = 3600) => {
  const iat = Math.floor(Date.now() / 1000);
  const payload = Buffer.from(JSON.stringify({ iat, exp: iat + lifetime })).toString("base64url");
  return { access_token: `eyJhbGciOiJub25lIn0.${payload}.`, token_type: "Bearer", expires_in: lifetime };
};

describe("createTokenSource against the local issuer", () => {
  let local: LocalEnvironment;

  beforeAll(async () => {
    local = await startFixture();
  });
  afterAll(async () => {
    await local.close();
  });

  it.each([
    ["globex/billing", "client_secret_post", ORDERS],
    ["initech/exporter", "client_secret_basic", REPORTS],
    ["initech/analytics", "private_key_jwt", REPORTS],
  ] as const)(
    "GIVEN %s (%s) WHEN it asks for a token THEN the issuer gives one for its client and the audience",
    async (key, method, audience) => {
      const client = clientOf(local, key);
      const credential: ClientCredential =
        method === "private_key_jwt"
          ? { method, privateKey: ANALYTICS_KEY.privateKey }
          : { method, clientSecret: client.clientSecret ?? "" };
      const source = createTokenSource({
        issuer: local.issuer,
        clientId: client.clientId,
        credential,
        audience,
      });
      const claims = decodeJwt(await source.getToken());
      source.close();
      expect(claims.sub).toBe(`${client.clientId}@clients`);
      expect(claims.aud).toBe(audience);
      expect(claims.iss).toBe(local.issuer);
      expect(claims["https://claims.acme.example/workload"]).toBe(key.split("/")[1]);
    },
  );

  it("GIVEN 1,000 concurrent callers WHEN they all ask at once THEN one token request is made and all get the same token", async () => {
    const client = clientOf(local, "globex/billing");
    const { counter, fetch } = countingFetch();
    const source = createTokenSource({
      issuer: local.issuer,
      clientId: client.clientId,
      credential: { method: "client_secret_post", clientSecret: client.clientSecret ?? "" },
      audience: "https://aws.m2m.acme.example",
      fetch,
    });
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => source.getToken()));
    source.close();
    expect(counter.requests).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it("GIVEN a wrong secret WHEN a token is asked for THEN one request is made (no retry of a 401) and the error says what to fix without the secret", async () => {
    const client = clientOf(local, "globex/billing");
    const { counter, fetch } = countingFetch();
    const source = createTokenSource({
      issuer: local.issuer,
      clientId: client.clientId,
      credential: secretPost,
      audience: ORDERS,
      fetch,
    });
    const error = await source.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as TokenRequestError).details).toMatchObject({ code: "refused", status: 401, attempts: 1 });
    expect((error as Error).message).toMatch(/: 401 access_denied.*Fix: check client \w+'s client secret/);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(SECRET);
    expect(counter.requests).toBe(1);
  });

  it("GIVEN an audience the client is not granted WHEN asked THEN a 403 is not retried and the error names the grant to add", async () => {
    const client = clientOf(local, "initech/analytics");
    const { counter, fetch } = countingFetch();
    const source = createTokenSource({
      issuer: local.issuer,
      clientId: client.clientId,
      credential: { method: "private_key_jwt", privateKey: ANALYTICS_KEY.privateKey },
      audience: ORDERS,
      fetch,
    });
    const error = (await source.getToken().catch((e: unknown) => e)) as TokenRequestError;
    expect(error.details).toMatchObject({ code: "refused", status: 403, error: "access_denied" });
    expect(error.message).toContain(`Fix: grant client ${client.clientId} the API ${ORDERS}`);
    expect(counter.requests).toBe(1);
  });
});

describe("createTokenSource over a simulated lifetime", () => {
  it("GIVEN 10,000 calls spread over three token lifetimes WHEN each asks for a token THEN the requests are the physical minimum, and every token handed out has its refresh window left", async () => {
    let nowMs = Date.UTC(2026, 0, 1);
    let requests = 0;
    const lifetime = 3600;
    const source = createTokenSource({
      issuer: "https://acme.example.auth0.com/",
      clientId: "simulated-lifetime",
      credential: secretPost,
      audience: ORDERS,
      clock: () => nowMs,
      requester: async () => {
        requests++;
        const iat = Math.floor(nowMs / 1000);
        return { accessToken: `token-${requests}`, issuedAt: iat, expiresAt: iat + lifetime };
      },
    });
    const span = 3 * lifetime * 1000;
    const calls = 10_000;
    let leastLeft = Number.POSITIVE_INFINITY;
    for (let i = 0; i < calls; i++) {
      nowMs = Date.UTC(2026, 0, 1) + Math.floor((i * span) / calls);
      const token = await source.getAccessToken();
      leastLeft = Math.min(leastLeft, token.expiresAt - nowMs / 1000);
    }
    // Each token serves lifetime minus its window (300 s): 3,300 s each over 10,800 s.
    const minimum = Math.ceil(span / 1000 / (lifetime - 300));
    expect(requests).toBe(minimum);
    expect(leastLeft).toBeGreaterThanOrEqual(300);
  });
});

describe("refresh ahead of expiry", () => {
  it("GIVEN a token in use WHEN its refresh time comes THEN an unref'd timer replaces it before any caller has to wait for it", async () => {
    let requests = 0;
    const source = createTokenSource({
      issuer: "https://acme.example.auth0.com/",
      clientId: "refresh-ahead",
      credential: secretPost,
      audience: ORDERS,
      requester: async () => {
        requests++;
        const nowS = Date.now() / 1000;
        return { accessToken: `ahead-${requests}`, issuedAt: nowS, expiresAt: nowS + 2 };
      },
    });
    expect(await source.getToken()).toBe("ahead-1");
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (requests === 2) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    expect(await source.getToken()).toBe("ahead-2");
    source.close();
    expect(requests).toBe(2);
  });
});

describe("while Auth0 cannot be reached", () => {
  /** A source on a simulated clock whose requester succeeds once, then fails as `failure` says. */
  function flakySource(clientId: string, failure: { retryable: boolean }) {
    let nowMs = Date.UTC(2026, 0, 1);
    const calls = { requests: 0, told: 0 };
    const source = createTokenSource({
      issuer: "https://acme.example.auth0.com/",
      clientId,
      credential: secretPost,
      audience: ORDERS,
      clock: () => nowMs,
      retry: { deadlineMs: 50 },
      onRefreshError: () => {
        calls.told++;
      },
      requester: async () => {
        calls.requests++;
        if (calls.requests > 1)
          throw new TokenRequestError("Auth0 is down", {
            code: failure.retryable ? "network" : "refused",
            retryable: failure.retryable,
          });
        const iat = Math.floor(nowMs / 1000);
        return { accessToken: "the-only-token", issuedAt: iat, expiresAt: iat + 3600 };
      },
    });
    return { source, calls, at: (seconds: number) => (nowMs = Date.UTC(2026, 0, 1) + seconds * 1000) };
  }

  it("GIVEN a token past its refresh time but not expired WHEN the refresh fails on the network THEN the token is handed out, the failure reported, and callers do not wait on another attempt for 30 s", async () => {
    const { source, calls, at } = flakySource("stale-network", { retryable: true });
    await source.getToken();
    at(3400);
    expect(await source.getToken()).toBe("the-only-token");
    expect(calls.told).toBe(1);
    const afterFirstFailure = calls.requests;
    at(3410);
    expect(await source.getToken()).toBe("the-only-token");
    expect(calls.requests).toBe(afterFirstFailure);
    at(3450);
    expect(await source.getToken()).toBe("the-only-token");
    expect(calls.requests).toBeGreaterThan(afterFirstFailure);
    at(3580);
    await expect(source.getToken()).rejects.toThrow("Auth0 is down");
  });

  it("GIVEN a refresh Auth0 refuses (4xx) WHEN the token is past its refresh time THEN the refusal is thrown, not hidden behind the old token", async () => {
    const { source, at } = flakySource("stale-refused", { retryable: false });
    await source.getToken();
    at(3400);
    await expect(source.getToken()).rejects.toThrow("Auth0 is down");
  });
});

describe("retries", () => {
  it("GIVEN a 429 with Retry-After: 1 and a quota header WHEN a token is asked for THEN the second request waits at least a second and succeeds", async () => {
    const issuer = await scriptedIssuer([
      {
        status: 429,
        headers: { "retry-after": "1", "auth0-client-quota-limit": "b=per_hour;q=100;r=0;t=1" },
        body: { error: "too_many_requests", error_description: "Quota exceeded" },
      },
      { status: 200, body: goodToken() },
    ]);
    const source = createTokenSource({
      issuer: issuer.issuer,
      clientId: "c-429",
      credential: secretPost,
      audience: ORDERS,
    });
    const token = await source.getToken();
    issuer.close();
    expect(token).toMatch(/^eyJ/);
    expect(issuer.arrivals).toHaveLength(2);
    const [first = 0, second = 0] = issuer.arrivals;
    expect(second - first).toBeGreaterThanOrEqual(1000);
  });

  it("GIVEN a 429 whose Retry-After is past the deadline WHEN asked THEN it fails at once with the quota in the error", async () => {
    const issuer = await scriptedIssuer([
      {
        status: 429,
        headers: { "retry-after": "3600", "auth0-client-quota-limit": "b=per_hour;q=100;r=0;t=3600" },
        body: { error: "too_many_requests", error_description: "Quota exceeded" },
      },
    ]);
    const source = createTokenSource({
      issuer: issuer.issuer,
      clientId: "c-quota",
      credential: secretPost,
      audience: ORDERS,
    });
    const error = (await source.getToken().catch((e: unknown) => e)) as TokenRequestError;
    issuer.close();
    expect(issuer.arrivals).toHaveLength(1);
    expect(error.details).toMatchObject({
      code: "rate_limited",
      status: 429,
      retryAfterSeconds: 3600,
      quota: [{ bucket: "per_hour", quota: 100, remaining: 0, resetAfterSeconds: 3600 }],
      attempts: 1,
    });
    expect(error.message).toContain("client quota per_hour 0/100 left, resets in 3600 s");
    expect(error.message).toContain("Retry-After is beyond the 25 s deadline");
  });

  it("GIVEN two 503s then a token WHEN asked THEN it is retried with backoff and succeeds on the third request", async () => {
    const issuer = await scriptedIssuer([
      { status: 503, body: {} },
      { status: 503, body: {} },
      { status: 200, body: goodToken() },
    ]);
    const source = createTokenSource({
      issuer: issuer.issuer,
      clientId: "c-503",
      credential: secretPost,
      audience: ORDERS,
    });
    await expect(source.getToken()).resolves.toMatch(/^eyJ/);
    issuer.close();
    expect(issuer.arrivals).toHaveLength(3);
  });

  it("GIVEN a 400 WHEN asked THEN it is not retried", async () => {
    const issuer = await scriptedIssuer([
      {
        status: 400,
        body: { error: "invalid_request", error_description: "Missing required parameter: audience" },
      },
    ]);
    const source = createTokenSource({
      issuer: issuer.issuer,
      clientId: "c-400",
      credential: secretPost,
      audience: ORDERS,
    });
    const error = (await source.getToken().catch((e: unknown) => e)) as TokenRequestError;
    issuer.close();
    expect(issuer.arrivals).toHaveLength(1);
    expect(error.details).toMatchObject({ code: "refused", status: 400, retryable: false, attempts: 1 });
  });

  it("GIVEN nothing listening WHEN asked with a 1.5 s deadline THEN it retries until the deadline and says the issuer could not be reached", async () => {
    const issuer = await scriptedIssuer([]);
    issuer.close();
    const source = createTokenSource({
      issuer: issuer.issuer,
      clientId: "c-down",
      credential: secretPost,
      audience: ORDERS,
      retry: { deadlineMs: 1500 },
    });
    const error = (await source.getToken().catch((e: unknown) => e)) as TokenRequestError;
    expect(error.details.code).toBe("network");
    expect(error.details.attempts).toBeGreaterThan(1);
    expect(error.message).toMatch(
      /^could not reach http:\/\/127\.0\.0\.1:\d+\/oauth\/token \(ECONNREFUSED\)/,
    );
  });
});

describe("inputs checked before any request", () => {
  it.each([
    ["http://acme.example.com/", /must be https/],
    ["https://acme.example.com", /must end in '\/'/],
    ["acme.example.com", /is not a URL/],
  ])("GIVEN issuer %s WHEN a source is created THEN it is refused", (issuer, message) => {
    expect(() =>
      createTokenSource({ issuer, clientId: "c", credential: secretPost, audience: ORDERS }),
    ).toThrow(message);
  });

  it("GIVEN a private key that is not one WHEN a source is created THEN it is refused without quoting it", () => {
    const privateKey = "-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRET\n-----END PRIVATE KEY-----";
    const create = () =>
      createTokenSource({
        issuer: "https://acme.example.com/",
        clientId: "c",
        credential: { method: "private_key_jwt", privateKey },
        audience: ORDERS,
      });
    expect(create).toThrow(/the private key is not an RSA private key in PEM/);
    expect(create).not.toThrow(/SECRET/);
  });
});

describe("which client makes the request", () => {
  let local: LocalEnvironment;

  beforeAll(async () => {
    local = await startFixture({ https: true });
  });
  afterAll(async () => {
    await local.close();
  });

  /** A fetch trusting the local certificate, recording each request's path and Auth0-Client header. */
  function recordingFetch() {
    const agent = new Agent({ connect: { ca: local.certificate ?? "" } });
    const seen: { path: string; telemetry: boolean }[] = [];
    const recorded = (async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push({ path: new URL(request.url).pathname, telemetry: request.headers.has("auth0-client") });
      return undiciFetch(request.url, {
        method: request.method,
        headers: [...request.headers],
        ...(request.method === "POST" ? { body: await request.text() } : {}),
        dispatcher: agent,
      });
    }) as unknown as typeof fetch;
    return { seen, fetch: recorded };
  }

  it.each([
    ["globex/billing", "client_secret_post", true, ORDERS],
    ["initech/analytics", "private_key_jwt", true, REPORTS],
    ["initech/exporter", "client_secret_basic", false, REPORTS],
  ] as const)(
    "GIVEN an https issuer and %s (%s) WHEN a token is asked for THEN Auth0's authentication client makes the request: %s",
    async (key, method, throughAuth0Client, audience) => {
      const client = clientOf(local, key);
      const { seen, fetch } = recordingFetch();
      const credential: ClientCredential =
        method === "private_key_jwt"
          ? { method, privateKey: ANALYTICS_KEY.privateKey }
          : { method, clientSecret: client.clientSecret ?? "" };
      const source = createTokenSource({
        issuer: local.issuer,
        clientId: client.clientId,
        credential,
        audience,
        fetch,
      });
      const claims = decodeJwt(await source.getToken());
      source.close();
      expect(claims.sub).toBe(`${client.clientId}@clients`);
      // Auth0's client discovers a tenant once per process (its cache is shared) and sends its Auth0-Client header.
      expect(seen.at(-1)).toEqual({ path: "/oauth/token", telemetry: throughAuth0Client });
      if (throughAuth0Client) expect(seen.every((r) => r.telemetry)).toBe(true);
      else expect(seen).toHaveLength(1);
    },
  );

  it("GIVEN an https issuer whose discovery names another issuer WHEN a token is asked for THEN it fails at once as a bad answer, not as an unreachable issuer", async () => {
    const tls = path.join(local.stateDir, "tls");
    const server = https.createServer(
      { key: readFileSync(path.join(tls, "key.pem")), cert: readFileSync(path.join(tls, "cert.pem")) },
      (request, response) => {
        const base = `https://localhost:${(server.address() as AddressInfo).port}/`;
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            issuer: "https://elsewhere.example/",
            token_endpoint: `${base}oauth/token`,
            jwks_uri: `${base}.well-known/jwks.json`,
          }),
        );
        request.resume();
      },
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { fetch } = recordingFetch();
    const source = createTokenSource({
      issuer: `https://localhost:${(server.address() as AddressInfo).port}/`,
      clientId: "lying-discovery",
      credential: secretPost,
      audience: ORDERS,
      fetch,
    });
    const error = (await source.getToken().catch((e: unknown) => e)) as TokenRequestError;
    server.close();
    expect(error.details).toMatchObject({ code: "bad_response", status: 200, retryable: false, attempts: 1 });
    expect(error.message).toMatch(
      /^Auth0's authentication client could not use the answer of https:\/\/localhost:\d+\/: .*is the issuer an Auth0 tenant/,
    );
  });
});
