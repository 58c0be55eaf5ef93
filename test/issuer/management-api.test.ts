import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { readLocalState } from "../../src/issuer/local-state.ts";
import { localManagementAudience } from "../../src/issuer/management-api/scopes.ts";
import { connect } from "../../src/management/connection.ts";
import {
  clientOf,
  localFixtureEnvironment,
  secretPostBody,
  startFixture,
} from "../fixtures/local-project.ts";

let local: LocalEnvironment & { projectDir: string };
let audience = "";
beforeAll(async () => {
  local = await startFixture();
  audience = localManagementAudience(local.issuer);
});
afterAll(() => local.close());
const roomy = () => {
  local.tenant.management.limiter.limit = { burst: 1_000, perSecond: 1_000 };
};

/** A Management API token of the local management application, for `scope` (all when none). */
async function managementToken(scope?: string): Promise<string> {
  const management = readLocalState(local.stateDir)?.management;
  const response = await fetch(`${local.issuer}oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: management?.clientId,
      client_secret: management?.clientSecret,
      audience,
      ...(scope ? { scope } : {}),
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const api = async (method: string, path: string, token?: string, body?: unknown) => {
  const response = await fetch(`${local.issuer}api/v2${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
};

describe("the local Management API", () => {
  it("GIVEN the management application's secret from the 0600 secrets file WHEN it asks for {issuer}api/v2/ THEN it gets a token with every scope, and a workload asking for that audience is refused", async () => {
    roomy();
    const token = await managementToken();
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims.aud).toBe(audience);
    expect(claims.iss).toBe(local.issuer);
    expect(String(claims.scope).split(" ")).toEqual(
      expect.arrayContaining(["read:clients", "read:client_keys", "update:actions"]),
    );
    const workload = clientOf(local, "globex/billing");
    const refused = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(secretPostBody(workload, audience)),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe("access_denied");
  });

  it("GIVEN no token, a token for another API, or one without the endpoint's scope WHEN calling THEN Auth0's 401 and 403 bodies come back, with x-ratelimit headers", async () => {
    roomy();
    const missing = await api("GET", "/clients");
    expect(missing).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: "Unauthorized", message: "Missing authentication" },
    });
    expect(missing.headers.get("x-ratelimit-limit")).toBe("1000");
    const workload = clientOf(local, "globex/billing");
    const other = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(secretPostBody(workload, "https://orders.api.acme.example")),
    });
    const otherToken = ((await other.json()) as { access_token: string }).access_token;
    expect(await api("GET", "/clients", otherToken)).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: "Unauthorized", message: "Bad audience", errorCode: "invalid_token" },
    });
    const narrow = await managementToken("read:clients");
    expect(await api("GET", "/client-grants", narrow)).toMatchObject({
      status: 403,
      body: {
        statusCode: 403,
        error: "Forbidden",
        message: "Insufficient scope, expected any of: read:client_grants",
        errorCode: "insufficient_scope",
      },
    });
    const clients = await api("GET", "/clients", narrow);
    expect(clients.status).toBe(200);
    expect((clients.body as { client_secret?: string }[]).every((c) => c.client_secret === undefined)).toBe(
      true,
    );
  });

  it("GIVEN more applications and grants than a page WHEN listed THEN offset pages carry start, limit, length and total, checkpoint pages a next until the last, and the ManagementClient reads every page", async () => {
    roomy();
    const token = await managementToken();
    for (let i = 0; i < 5; i++) {
      const created = await api("POST", "/clients", token, {
        name: `paged-${i}`,
        app_type: "non_interactive",
      });
      expect(created.status).toBe(201);
      await api("POST", "/client-grants", token, {
        client_id: created.body.client_id,
        audience: "https://orders.api.acme.example",
        scope: ["orders:read"],
      });
    }
    const all = (await api("GET", "/clients?per_page=100", token)).body as unknown[];
    const page = await api(
      "GET",
      "/clients?per_page=2&page=1&include_totals=true&fields=client_id,name",
      token,
    );
    expect(page.body).toMatchObject({ start: 2, limit: 2, length: 2, total: all.length });
    expect(Object.keys(page.body.clients[0]).sort()).toEqual(["client_id", "name"]);
    const grants: unknown[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const answer = await api("GET", `/client-grants?take=3${next ? `&from=${next}` : ""}`, token);
      grants.push(...answer.body.client_grants);
      next = answer.body.next;
      pages++;
    } while (next);
    expect(pages).toBeGreaterThan(2);
    const connection = await connect({
      projectDir: local.projectDir,
      stack: "local",
      raw: localFixtureEnvironment(),
      local: true,
      environment: {},
    });
    const viaClient: unknown[] = [];
    for await (const c of await connection.client.clients.list({ per_page: 2 })) viaClient.push(c);
    expect(viaClient).toHaveLength(all.length);
    const grantsViaClient: unknown[] = [];
    for await (const g of await connection.client.clientGrants.list({ take: 2 })) grantsViaClient.push(g);
    expect(grantsViaClient).toHaveLength(grants.length);
  });

  it("GIVEN bad requests WHEN sent THEN 400 and 404 come in Auth0's shape, naming what is wrong", async () => {
    roomy();
    const token = await managementToken();
    expect(await api("GET", "/clients/nope", token)).toMatchObject({
      status: 404,
      body: {
        statusCode: 404,
        error: "Not Found",
        message: "The client does not exist",
        errorCode: "inexistent_client",
      },
    });
    expect(await api("POST", "/clients", token, { name: "x", colour: "red" })).toMatchObject({
      status: 400,
      body: {
        statusCode: 400,
        error: "Bad Request",
        message: "Payload validation error: Additional properties not allowed: colour",
        errorCode: "invalid_body",
      },
    });
    expect(await api("POST", "/client-grants", token, "{not json")).toMatchObject({
      status: 400,
      body: { statusCode: 400, error: "Bad Request" },
    });
    expect(await api("GET", "/clients?per_page=500", token)).toMatchObject({
      status: 400,
      body: { errorCode: "invalid_query_string" },
    });
    expect(await api("GET", "/no-such-thing", token)).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: "Not Found" },
    });
  });

  it("GIVEN the bucket is empty WHEN one more request comes THEN 429 in Auth0's shape, x-ratelimit-remaining 0 and a reset in the future", async () => {
    local.tenant.management.limiter.limit = { burst: 2, perSecond: 0.5 };
    const token = await managementToken();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api("GET", "/resource-servers", token));
    const throttled = answers.find((a) => a.status === 429);
    expect(throttled?.body).toEqual({
      statusCode: 429,
      error: "Too Many Requests",
      message: "Global limit has been reached",
      errorCode: "too_many_requests",
    });
    expect(throttled?.headers.get("x-ratelimit-limit")).toBe("2");
    expect(throttled?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(throttled?.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    roomy();
  });

  it("GIVEN a grant narrowed, an application unmarked and one created through the Management API WHEN tokens are requested THEN the token endpoint follows at once (one store)", async () => {
    roomy();
    const token = await managementToken();
    const billing = clientOf(local, "globex/billing");
    const grants = (await api("GET", `/client-grants?client_id=${billing.clientId}`, token)).body as {
      id: string;
      audience: string;
    }[];
    const orders = grants.find((g) => g.audience === "https://orders.api.acme.example");
    await api("PATCH", `/client-grants/${orders?.id}`, token, { scope: ["orders:read"] });
    const refused = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...secretPostBody(billing, "https://orders.api.acme.example"),
        scope: "orders:write",
      }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: "access_denied",
      error_description: "Client has not been granted scopes: orders:write",
    });

    const created = await api("POST", "/clients", token, {
      name: "made-by-hand",
      app_type: "non_interactive",
    });
    await api("POST", "/client-grants", token, {
      client_id: created.body.client_id,
      audience: "https://orders.api.acme.example",
      scope: ["orders:read"],
    });
    const issued = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        secretPostBody(
          { clientId: created.body.client_id, clientSecret: created.body.client_secret },
          "https://orders.api.acme.example",
        ),
      ),
    });
    expect(issued.status).toBe(200);
    const claims = JSON.parse(
      Buffer.from(
        ((await issued.json()) as { access_token: string }).access_token.split(".")[1] ?? "",
        "base64url",
      ).toString(),
    );
    expect(claims.sub).toBe(`${created.body.client_id}@clients`);
    // Not marked managed_by: the tenant-claims Action leaves it alone.
    expect(claims["https://claims.acme.example/tenant_id"]).toBeUndefined();
  });
});
