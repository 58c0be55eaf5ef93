/**
 * Executions per second of the tenant-claims Action through the emulated runtime (a fresh,
 * faithful event and api every time: defaults, overrides, freezing, claim rules, the execution
 * deadline), once with plain overrides as a test writes them (console lines kept per execution)
 * and once as the local issuer loads and calls it (client, API and tenant event parts built and
 * frozen once; console lines printed as they come, src/issuer/local-action.ts);
 * beside them, the floor: the bare handler called with plain objects. ROUNDS rounds, the three
 * alternating (order rotated each round); medians and spreads (min–max). Then what a token
 * costs in each part of an execution (event build, freeze, run, claims), measured by the
 * runtime itself in a separate pass per round, so the clock reads do not slow the figures above.
 * Target: at least 20,000 executions/s through the runtime.
 */
import { performance } from "node:perf_hooks";
import type {
  CredentialsExchangeApi,
  CredentialsExchangeEvent,
} from "../actions/types/credentials-exchange.ts";
import { bundleAction } from "../src/bundle/action-bundle.ts";
import { localAction } from "../src/issuer/local-action.ts";
import type { ExecutionCosts, ExecutionRequest } from "../src/runtime/credentials-exchange.ts";
import { eventPart } from "../src/runtime/event.ts";
import { CredentialsExchangeRuntime, type LoadedAction, loadProjectAction } from "../src/runtime/index.ts";
import { median, summary } from "./median.ts";

const ROUNDS = 3;
const DURATION_MS = 1_500;
const TARGET_PER_SECOND = 20_000;
const constants = {
  claimNamespace: "https://claims.acme.example/",
  managementAudience: "https://acme-test.eu.auth0.com/api/v2/",
};
const metadata = { managed_by: "auth0-m2m-federation", tenant_id: "globex", workload: "billing" };
const ORDERS = "https://orders.api.acme.example";
const GRANTED = ["orders:read", "orders:write"];

async function perSecond(run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await run(i);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    for (let k = 0; k < 100; k++) await run(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

/** As a test writes it: plain overrides, copied and frozen by the runtime every time. */
const plainRequest = (i: number): ExecutionRequest => ({
  event: {
    client: { metadata, client_id: `client-${i % 8}` },
    transaction: { requested_scopes: ["orders:read"] },
  },
  grantedScopes: GRANTED,
});

/** As the local issuer calls it: each client's, the API's and the tenant's part built once. */
function issuerRequests(): (i: number) => ExecutionRequest {
  const clients = Array.from({ length: 8 }, (_, k) =>
    eventPart("client", { client_id: `client-${k}`, name: `m2m-bench-globex-billing-${k}`, metadata }),
  );
  const resourceServer = eventPart("resource_server", { identifier: ORDERS });
  const tenant = eventPart("tenant", { id: "acme-test" });
  const granted = new Set(GRANTED);
  return (i) => ({
    event: {
      client: clients[i % 8],
      resource_server: resourceServer,
      tenant,
      request: {
        ip: "127.0.0.1",
        method: "POST",
        hostname: "127.0.0.1:4321",
        user_agent: "autocannon",
        body: { grant_type: "client_credentials", client_id: `client-${i % 8}`, audience: ORDERS },
      },
      transaction: { requested_scopes: [] },
      accessToken: { customClaims: {}, scope: GRANTED },
    },
    grantedScopes: granted,
  });
}

function direct(action: LoadedAction) {
  return async (i: number) => {
    const claims: Record<string, unknown> = {};
    const api = {
      access: { deny: () => api },
      accessToken: {
        setCustomClaim: (name: string, value: unknown) => {
          claims[name] = value;
          return api;
        },
      },
    } as unknown as CredentialsExchangeApi;
    const event = {
      client: { client_id: `client-${i % 8}`, name: "x", metadata },
      resource_server: { identifier: ORDERS },
    } as unknown as CredentialsExchangeEvent;
    await action.handler(event, api);
  };
}

const rotated = <T>(items: readonly T[], r: number): T[] =>
  items.map((_, i) => items[(i + r) % items.length] as T);

export async function benchRuntime(): Promise<boolean> {
  const action = loadProjectAction("tenant-claims", constants);
  const asIssuer = localAction("tenant-claims", bundleAction("tenant-claims", constants).code);
  const runtime = new CredentialsExchangeRuntime();
  const issuerRequest = issuerRequests();
  let issued = 0;
  const count = (result: { outcome: string }) => {
    if (result.outcome === "issued") issued++;
  };
  const contestants = {
    plain: () => perSecond(async (i) => count(await runtime.execute([action], plainRequest(i)))),
    issuer: () => perSecond(async (i) => count(await runtime.execute([asIssuer], issuerRequest(i)))),
    direct: () => perSecond(direct(action)),
  };
  type Name = keyof typeof contestants;
  const runs: Record<Name, number[]> = { plain: [], issuer: [], direct: [] };
  const parts: Record<Exclude<keyof ExecutionCosts, "executions">, number[]> = {
    build: [],
    freeze: [],
    run: [],
    claims: [],
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of rotated(Object.keys(contestants) as Name[], r))
      runs[name].push(await contestants[name]());
    const costs: ExecutionCosts = { executions: 0, build: 0, freeze: 0, run: 0, claims: 0 };
    const measured = new CredentialsExchangeRuntime({ costs });
    for (let i = 0; i < 2_000; i++) await measured.execute([asIssuer], issuerRequest(i));
    Object.assign(costs, { executions: 0, build: 0, freeze: 0, run: 0, claims: 0 });
    await perSecond(async (i) => count(await measured.execute([asIssuer], issuerRequest(i))));
    for (const part of Object.keys(parts) as (keyof typeof parts)[]) {
      parts[part].push((costs[part] * 1000) / costs.executions);
    }
  }

  const ok =
    median(runs.plain) >= TARGET_PER_SECOND && median(runs.issuer) >= TARGET_PER_SECOND && issued > 0;
  const thousands = (x: number) => Math.round(x).toLocaleString("en");
  const micro = (x: number) => x.toFixed(2);
  const ratio = (name: Name) => runs[name].map((x, i) => x / (runs.direct[i] ?? 1));
  console.log(
    `## tenant-claims executions per second (${ROUNDS} rounds of ${DURATION_MS / 1000} s alternating, after a warm-up; median (min–max))`,
  );
  console.log(
    "through the runtime, plain overrides | through the runtime, as the issuer calls it | handler called directly",
  );
  console.log(
    `${summary(runs.plain, thousands)} | ${summary(runs.issuer, thousands)} | ${summary(runs.direct, thousands)}`,
  );
  console.log(
    `runtime / direct: plain ${summary(ratio("plain"), (x) => x.toFixed(3))}, as the issuer ${summary(ratio("issuer"), (x) => x.toFixed(3))}`,
  );
  const total = (Object.values(parts) as number[][]).reduce((sum, xs) => sum + median(xs), 0);
  console.log(
    `per token, as the issuer calls it (µs): event build ${summary(parts.build, micro)}, freeze ${summary(parts.freeze, micro)}, run ${summary(parts.run, micro)}, claims ${summary(parts.claims, micro)}; sum of medians ${micro(total)}`,
  );
  console.log(`target >= 20,000 executions/s through the runtime: ${ok ? "met" : "NOT met"}`);
  return ok;
}
