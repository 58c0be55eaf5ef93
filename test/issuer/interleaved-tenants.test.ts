// Two tenants' token requests in flight at once share no event, cache or claim state. The
// runtime shares a frozen event skeleton and per-client event parts between executions, and
// the target scopes move during each one: a part left writable, or state kept on the runtime
// instead of the execution, would carry one request's tenant into another's token.

import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { tokenEndpoint } from "../../src/issuer/token-endpoint.ts";
import { loadAction } from "../../src/runtime/index.ts";
import { clientOf, startFixture } from "../fixtures/local-project.ts";

let local: LocalEnvironment;
beforeAll(async () => {
  local = await startFixture();
});
afterAll(() => local.close());

const ORDERS = "https://orders.api.acme.example";
const REPORTS = "https://reports.api.acme.example";
const NS = "https://claims.acme.example/";
const PROBE = "https://probe.example/seen";
const ROUNDS = 60;

interface Case {
  readonly tenant: "globex" | "initech";
  readonly workload: string;
  readonly clientId: string;
  readonly audience: string;
  /** The scope parameter sent ("" for none). */
  readonly scope: string;
  /** What the probe Action does to the target scopes (a body parameter it reads). */
  readonly retarget: "keep" | "remove-write" | "add-write";
  readonly expectedScopes: readonly string[];
}

/**
 * Each round: a globex/billing request (client_secret_post) and an initech/exporter one
 * (client_secret_basic), with or without the probe moving their target scopes.
 */
function cases(retargeting: boolean): Case[] {
  const billing = clientOf(local, "globex/billing");
  const exporter = clientOf(local, "initech/exporter");
  const out: Case[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const narrowed = retargeting && i % 3 === 0;
    out.push({
      tenant: "globex",
      workload: "billing",
      clientId: billing.clientId,
      audience: ORDERS,
      scope: i % 2 === 0 ? "" : "orders:write orders:read",
      retarget: narrowed ? "remove-write" : "keep",
      expectedScopes: narrowed ? ["orders:read"] : ["orders:read", "orders:write"],
    });
    const reports = i % 4 === 1;
    out.push({
      tenant: "initech",
      workload: "exporter",
      clientId: exporter.clientId,
      audience: reports ? REPORTS : ORDERS,
      scope: reports ? "reports:read" : i % 2 === 0 ? "" : "orders:read",
      // orders:write is outside initech's grant: the runtime drops it after the last Action.
      retarget: retargeting && i % 2 === 0 ? "add-write" : "keep",
      expectedScopes: reports ? ["reports:read"] : ["orders:read"],
    });
  }
  return out;
}

function request(c: Case) {
  const billing = clientOf(local, "globex/billing");
  const exporter = clientOf(local, "initech/exporter");
  const params = {
    grant_type: "client_credentials",
    audience: c.audience,
    ...(c.scope ? { scope: c.scope } : {}),
    probe_retarget: c.retarget,
  };
  return c.tenant === "globex"
    ? {
        body: { ...params, client_id: billing.clientId, client_secret: billing.clientSecret },
        ip: "127.0.0.1",
      }
    : {
        body: params,
        authorization: `Basic ${Buffer.from(`${exporter.clientId}:${exporter.clientSecret}`).toString("base64")}`,
        ip: "127.0.0.1",
      };
}

/**
 * Bound before tenant-claims: writes its own tenant into every part of the event it can reach
 * (sloppy mode, so a frozen part ignores the write instead of throwing), replaces its api's
 * cache.get, alters a cache record it got, moves the target scopes, then yields to the other
 * requests in flight and reports what it sees afterwards in a claim.
 */
const probe = loadAction({
  name: "probe",
  code: `
const ns = ${JSON.stringify(NS)};
exports.onExecuteCredentialsExchange = async (event, api) => {
  const tenant = event.client.metadata.tenant_id;
  const cacheKey = "tenant-of-" + event.client.client_id;
  const forgedBefore = api.cache.get(cacheKey);
  api.cache.set(cacheKey, tenant);
  const record = api.cache.get(cacheKey);
  if (record) record.value = "tampered-" + tenant;
  api.cache.get = () => ({ value: "forged-by-" + tenant, expires_at: 0 });
  try { event.tenant.id = tenant; } catch {}
  try { event.client.metadata.tenant_id = tenant + "-x"; } catch {}
  try { event.client.metadata.leak = tenant; } catch {}
  try { event.client.name = tenant; } catch {}
  try { event.request.geoip.cityName = tenant; } catch {}
  try { event.request.body.audience = tenant; } catch {}
  try { event.resource_server.identifier = tenant; } catch {}
  try { event.transaction.requested_scopes.push(tenant); } catch {}
  try { event.accessToken.scope.push(tenant); } catch {}
  try { event.accessToken.customClaims[ns + "tenant_id"] = tenant; } catch {}
  try { event.secrets.leak = tenant; } catch {}
  try { event.leak = tenant; } catch {}
  const retarget = event.request.body.probe_retarget;
  if (retarget === "remove-write") api.transaction.removeTargetScope("orders:write");
  if (retarget === "add-write") api.transaction.addTargetScope("orders:write");
  const targetSet = [...event.transaction.target_scopes];
  const before = JSON.stringify(event);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
  api.accessToken.setCustomClaim(${JSON.stringify(PROBE)}, {
    tenant,
    unchanged: JSON.stringify(event) === before,
    event: JSON.stringify(event),
    cachedBefore: forgedBefore ? forgedBefore.value : null,
    cachedAfter: (api.cache.get(cacheKey) || {}).value,
    targetSet,
    targetAfter: [...event.transaction.target_scopes],
  });
};`,
});

function checkToken(c: Case, response: { status: number; body: Record<string, unknown> }) {
  expect(response.status).toBe(200);
  const claims = decodeJwt(String(response.body.access_token));
  expect(claims).toMatchObject({
    sub: `${c.clientId}@clients`,
    azp: c.clientId,
    aud: c.audience,
    [`${NS}tenant_id`]: c.tenant,
    [`${NS}workload`]: c.workload,
  });
  expect(String(claims.scope).split(" ").sort()).toEqual([...c.expectedScopes].sort());
  return claims;
}

describe("GIVEN two tenants' clients requesting tokens at the same time", () => {
  it("WHEN their requests interleave through the real bundled Action THEN every token carries its own tenant claims and scopes", async () => {
    const all = cases(false);
    const responses = await Promise.all(all.map((c) => tokenEndpoint(local.tenant, request(c))));
    all.forEach((c, i) => {
      const claims = checkToken(c, responses[i] as { status: number; body: Record<string, unknown> });
      expect(claims).not.toHaveProperty(PROBE);
    });
  });

  it("WHEN an Action writes its tenant into the event and the cache, moves the target scopes and yields THEN no other request sees any of it", async () => {
    const tenant = { ...local.tenant, actions: [probe, ...local.tenant.actions] };
    const all = cases(true);
    const responses = await Promise.all(all.map((c) => tokenEndpoint(tenant, request(c))));
    const other = { globex: "initech", initech: "globex" } as const;
    all.forEach((c, i) => {
      const claims = checkToken(c, responses[i] as { status: number; body: Record<string, unknown> });
      const seen = claims[PROBE] as Record<string, unknown>;
      // The event it saw is the one it started with, and holds nothing of the other tenant.
      expect(seen.tenant).toBe(c.tenant);
      expect(seen.unchanged).toBe(true);
      expect(String(seen.event)).not.toContain(other[c.tenant]);
      expect(JSON.parse(String(seen.event))).toMatchObject({
        tenant: { id: "acme-test" },
        client: { client_id: c.clientId, metadata: { tenant_id: c.tenant } },
        request: { geoip: { cityName: "Dublin" }, body: { audience: c.audience } },
        resource_server: { identifier: c.audience },
        accessToken: { customClaims: {} },
        secrets: {},
      });
      // The cache is the trigger's, across executions, as on Auth0; but an entry holds what
      // api.cache.set stored (not a record an Action altered) and no execution sees another's
      // replaced api.cache.get.
      expect(seen.cachedBefore === null || seen.cachedBefore === c.tenant).toBe(true);
      expect(seen.cachedAfter).toBe(`forged-by-${c.tenant}`);
      expect(local.tenant.runtime.cache.get(`tenant-of-${c.clientId}`)?.value).toBe(c.tenant);
      // The target scopes it moved are still its own after the other requests ran.
      expect(seen.targetAfter).toEqual(seen.targetSet);
    });
  });
});
