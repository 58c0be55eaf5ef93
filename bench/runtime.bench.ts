/**
 * Executions per second of the tenant-claims Action through the emulated runtime (a fresh,
 * faithful event and api every time: defaults, overrides, freezing, claim rules, console
 * capture, the execution deadline), and beside it the bare handler called with plain objects.
 * Target: at least 20,000 executions/s through the runtime.
 */
import { performance } from "node:perf_hooks";
import type {
  CredentialsExchangeApi,
  CredentialsExchangeEvent,
} from "../actions/types/credentials-exchange.ts";
import { CredentialsExchangeRuntime, loadProjectAction } from "../src/runtime/index.ts";

const DURATION_MS = 2_000;
const constants = {
  claimNamespace: "https://claims.acme.example/",
  managementAudience: "https://acme-test.eu.auth0.com/api/v2/",
};
const metadata = { managed_by: "auth0-m2m-federation", tenant_id: "globex", workload: "billing" };

async function perSecond(run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await run(i);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    for (let k = 0; k < 100; k++) await run(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

export async function benchRuntime(): Promise<boolean> {
  const action = loadProjectAction("tenant-claims", constants);
  const runtime = new CredentialsExchangeRuntime();
  let issued = 0;
  const throughRuntime = await perSecond(async (i) => {
    const result = await runtime.execute([action], {
      event: {
        client: { metadata, client_id: `client-${i}` },
        transaction: { requested_scopes: ["orders:read"] },
      },
      grantedScopes: ["orders:read", "orders:write"],
    });
    if (result.outcome === "issued") issued++;
  });
  const direct = await perSecond(async (i) => {
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
      client: { client_id: `client-${i}`, name: "x", metadata },
      resource_server: { identifier: "https://orders.api.acme.example" },
    } as unknown as CredentialsExchangeEvent;
    await action.handler(event, api);
  });
  const ok = throughRuntime >= 20_000 && issued > 0;
  console.log("## tenant-claims executions per second (2 s each, after a warm-up)");
  console.log("through the faithful runtime | handler called directly | runtime / direct");
  console.log(
    `${Math.round(throughRuntime).toLocaleString("en")} | ${Math.round(direct).toLocaleString("en")} | ${(throughRuntime / direct).toFixed(3)}`,
  );
  console.log(`target >= 20,000 executions/s through the runtime: ${ok ? "met" : "NOT met"}`);
  return ok;
}
