/**
 * The Management API side of `m2m smoke`, `drift` and `adopt`, two figures:
 *
 * 1. Reading a tenant of 1,000 workloads (bench/generated-stack.ts: 1,001 applications, 3,001
 *    grants) from the local environment with `auth0`'s ManagementClient behind the pacer
 *    (readLiveTenant: every page of clients, checkpoint pages of grants, APIs, Actions,
 *    bindings), beside its floor: the same requests, one after another as the client sends them,
 *    with plain fetch and a bearer token. The tenant's bucket and the pacer are set wide open, so
 *    both measure work, not waiting. 5 rounds alternating; median and spread. Target: the client
 *    within 1.5 times its floor.
 * 2. Comparing a tenant with its model (driftReport) at 100 and at 1,000 workloads: time per
 *    workload, each sample the same work (thirty reports of 100, or three of 1,000), after a
 *    warm-up, 9 rounds alternating; target: 1,000 costs at most twice as much per workload as 100 (linear,
 *    not quadratic).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ManagementClient } from "auth0";
import { stringify } from "yaml";
import { startLocalEnvironment } from "../src/issuer/local-environment.ts";
import { readLocalState } from "../src/issuer/local-state.ts";
import { localManagementAudience } from "../src/issuer/management-api/scopes.ts";
import { driftReport } from "../src/management/drift.ts";
import { type LiveTenant, readLiveTenant } from "../src/management/live-tenant.ts";
import { localFetch } from "../src/management/local-fetch.ts";
import { Pacer } from "../src/management/pacer.ts";
import { apiSettings, workloadDescription } from "../src/model/environment/auth0-settings.ts";
import { parseEnvironment } from "../src/model/environment/environment.ts";
import { generatedRaw } from "./generated-stack.ts";
import { median, summary, timed } from "./median.ts";

const WORKLOADS = 1_000;
const ROUNDS = 5;
const DRIFT_ROUNDS = 9;
const WIDE_OPEN = { burst: 1_000_000, perSecond: 1_000_000 };

/** The floor: the requests readLiveTenant makes, in its order, with plain fetch. */
async function readWithFetch(issuer: string, token: string): Promise<number> {
  const get = async (pathAndQuery: string) => {
    const response = await fetch(`${issuer}api/v2/${pathAndQuery}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return response.json() as Promise<Record<string, unknown>>;
  };
  let items = 0;
  for (let page = 0; ; page++) {
    const body = await get(`clients?page=${page}&per_page=100&include_totals=true`);
    const clients = body.clients as unknown[];
    items += clients.length;
    if (clients.length < 100) break;
  }
  let from: string | undefined;
  do {
    const body = await get(`client-grants?include_totals=true&take=100${from ? `&from=${from}` : ""}`);
    items += (body.client_grants as unknown[]).length;
    from = body.next as string | undefined;
  } while (from);
  items += (
    (await get("resource-servers?page=0&per_page=100&include_totals=true")).resource_servers as unknown[]
  ).length;
  items += (
    (await get("actions/actions?triggerId=credentials-exchange&page=0&per_page=100")).actions as unknown[]
  ).length;
  items += (
    (await get("actions/triggers/credentials-exchange/bindings?page=0&per_page=100")).bindings as unknown[]
  ).length;
  return items;
}

/** A live tenant exactly as the model of `count` workloads provisions it (the drift figure's input). */
function provisioned(count: number) {
  const env = parseEnvironment(generatedRaw(count), "bench");
  const identifiers = new Map(env.apis.map((a) => [a.key, a.identifier]));
  const clients: LiveTenant["clients"][number][] = [];
  const grants: LiveTenant["grants"][number][] = [];
  for (const tenant of env.tenants)
    for (const workload of tenant.workloads) {
      const clientId = `${tenant.id}-${workload.name}-id`;
      clients.push({
        clientId,
        name: `m2m-bench-${tenant.id}-${workload.name}`,
        description: workloadDescription(env.name, tenant, workload),
        appType: "non_interactive",
        grantTypes: ["client_credentials"],
        metadata: { managed_by: "auth0-m2m-federation", tenant_id: tenant.id, workload: workload.name },
        authMethod: workload.authentication.method,
        credentials: [],
      });
      for (const g of workload.grants)
        grants.push({
          id: `${clientId}-${g.api}`,
          clientId,
          audience: identifiers.get(g.api) ?? "",
          scopes: g.scopes,
        });
    }
  const live: LiveTenant = {
    clients,
    grants,
    apis: env.apis.map((a) => ({
      id: a.key,
      identifier: a.identifier,
      name: a.name,
      scopes: a.scopes,
      signingAlg: a.signingAlg,
      tokenLifetime: a.tokenLifetime,
      tokenDialect: a.tokenDialect,
      ...apiSettings(a),
      isSystem: false,
    })),
    actions: [],
    bindings: [],
  };
  // Provisioned as the model says, the Action and its binding aside (a few findings, not one per workload).
  if (driftReport(env, live, { tenant: "bench", managementClientId: "none" }).findings.length > 3)
    throw new Error("the provisioned tenant drifts from its model: the figure would time findings");
  return { env, live };
}

export async function benchManagement(): Promise<boolean> {
  const projectDir = mkdtempSync(path.join(tmpdir(), "m2m-bench-management-"));
  writeFileSync(
    path.join(projectDir, "Pulumi.bench.yaml"),
    stringify({ config: { "m2m:environment": generatedRaw(WORKLOADS) } }),
  );
  const local = await startLocalEnvironment({ projectDir, stack: "bench", port: 0 });
  let readMet = false;
  const lines: string[] = [];
  try {
    local.tenant.management.limiter.limit = WIDE_OPEN;
    const management = readLocalState(local.stateDir)?.management;
    if (!management) throw new Error("the local environment has no management application");
    const domain = new URL(local.issuer).host;
    const client = new ManagementClient({
      domain,
      audience: localManagementAudience(local.issuer),
      clientId: management.clientId,
      clientSecret: management.clientSecret,
      fetch: new Pacer(WIDE_OPEN).fetch(localFetch(domain, local.issuer)),
      maxRetries: 0,
    });
    const token = await fetch(`${local.issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "client_credentials",
        client_id: management.clientId,
        client_secret: management.clientSecret,
        audience: localManagementAudience(local.issuer),
      }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    // Warm both paths (the client's token, JIT) before timing.
    const live = await readLiveTenant(client);
    const floorItems = await readWithFetch(local.issuer, token);
    const clientItems =
      live.clients.length +
      live.grants.length +
      live.apis.length +
      live.actions.length +
      live.bindings.length;
    if (clientItems !== floorItems)
      throw new Error(`the client read ${clientItems} objects, the floor ${floorItems}`);
    const withClient: number[] = [];
    const withFetch: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now();
      await readLiveTenant(client);
      withClient.push(performance.now() - start);
      start = performance.now();
      await readWithFetch(local.issuer, token);
      withFetch.push(performance.now() - start);
    }
    const ratio = median(withClient) / median(withFetch);
    readMet = ratio <= 1.5;
    lines.push(
      `Management API read (${WORKLOADS} workloads: ${live.clients.length} applications, ${live.grants.length} grants; ${ROUNDS} rounds alternating)`,
      `  ManagementClient + pacer: ${summary(withClient)} ms`,
      `  floor, plain fetch:       ${summary(withFetch)} ms`,
      `  client / floor = ${ratio.toFixed(2)} (target at most 1.5): ${readMet ? "met" : "not met"}`,
    );
  } finally {
    await local.close();
  }

  const small = provisioned(100);
  const large = provisioned(WORKLOADS);
  const options = { tenant: "bench", managementClientId: "none" };
  for (let i = 0; i < 20; i++) driftReport(small.env, small.live, options);
  driftReport(large.env, large.live, options);
  const perWorkload = { small: [] as number[], large: [] as number[] };
  // The same work in each sample: thirty reports of 100 workloads, or three of 1,000.
  const reports = 3;
  const repeat = (WORKLOADS / 100) * reports;
  for (let round = 0; round < DRIFT_ROUNDS; round++) {
    perWorkload.small.push(
      (timed(() => {
        for (let i = 0; i < repeat; i++) driftReport(small.env, small.live, options);
      }) *
        1000) /
        (WORKLOADS * reports),
    );
    perWorkload.large.push(
      (timed(() => {
        for (let i = 0; i < reports; i++) driftReport(large.env, large.live, options);
      }) *
        1000) /
        (WORKLOADS * reports),
    );
  }
  const growth = median(perWorkload.large) / median(perWorkload.small);
  const driftMet = growth <= 2;
  const us = (x: number) => x.toFixed(1);
  lines.push(
    `Drift comparison (${DRIFT_ROUNDS} rounds alternating 100 and ${WORKLOADS} workloads; µs per workload)`,
    `  100 workloads:   ${summary(perWorkload.small, us)} µs`,
    `  ${WORKLOADS} workloads: ${summary(perWorkload.large, us)} µs`,
    `  ${WORKLOADS} / 100 per workload = ${growth.toFixed(2)} (target at most 2): ${driftMet ? "met" : "not met"}`,
  );
  console.log(lines.join("\n"));
  return readMet && driftMet;
}
