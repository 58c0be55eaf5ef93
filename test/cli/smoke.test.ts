import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smoke } from "../../src/cli/smoke.ts";
import type { SmokeReport } from "../../src/management/smoke.ts";
import { ANALYTICS_KEY, localFixtureEnvironment } from "../fixtures/local-project.ts";
import { captured, type LocalTenantFixture, m2m, startManagedFixture } from "../management/local-tenant.ts";

/** The fixture, its private_key_jwt workload finding its key in ANALYTICS_PRIVATE_KEY. */
function environment() {
  const env = localFixtureEnvironment();
  const analytics = (env.tenants[1]?.workloads[1] ?? {}) as Record<string, unknown>;
  analytics.tokenCredential = { env: "ANALYTICS_PRIVATE_KEY" };
  return env;
}

let fixture: LocalTenantFixture;
beforeAll(async () => {
  fixture = await startManagedFixture(environment());
});
afterAll(() => fixture.local.close());

const runSmoke = (variables: Record<string, string> = { ANALYTICS_PRIVATE_KEY: ANALYTICS_KEY.privateKey }) =>
  captured(() =>
    smoke({
      projectDir: fixture.local.projectDir,
      stack: "local",
      local: true,
      json: true,
      environment: variables,
    }),
  );

const rowsOf = (report: SmokeReport) =>
  report.workloads.flatMap((w) => w.rows.map((r) => `${w.workload} ${r.api} ${r.outcome}: ${r.detail}`));

describe("m2m smoke against the local environment", () => {
  it("GIVEN the tenant as provisioned WHEN smoke runs THEN every workload gets a token per granted API, with the promised claims, accepted by its own cloud targets only, and it exits 0", async () => {
    const { result, out } = await runSmoke();
    const report = JSON.parse(out) as SmokeReport;
    expect(rowsOf(report).filter((r) => !/ ok: /.test(r))).toEqual([]);
    expect(result).toBe(0);
    expect(report.workloads.map((w) => w.workload)).toEqual([
      "globex/billing",
      "initech/exporter",
      "initech/analytics",
    ]);
    const analytics = report.workloads.find((w) => w.workload === "initech/analytics");
    expect(analytics?.rows.map((r) => r.api)).toEqual(["reports", "aws", "gcp", "azure"]);
    expect(rowsOf(report)).toContain(
      "initech/analytics aws ok: claims as promised; aws accepts it at its own target only",
    );
    expect(report.checks).toEqual([
      { check: "Action m2m-tenant-claims", outcome: "ok", detail: "bound to credentials-exchange" },
    ]);
    expect(out).not.toContain(ANALYTICS_KEY.privateKey.slice(40, 80));
    // The secrets it read through the Management API to request tokens are never printed.
    for (const client of fixture.local.tenant.clients.values())
      if (client.clientSecret) expect(out).not.toContain(client.clientSecret);
  });

  it("GIVEN the private_key_jwt workload's key is not available WHEN smoke runs THEN its rows are skipped, not missed, and it still exits 0", async () => {
    const { result, out } = await runSmoke({});
    const report = JSON.parse(out) as SmokeReport;
    const analytics = report.workloads.find((w) => w.workload === "initech/analytics");
    expect(analytics?.rows.every((r) => r.outcome === "skipped")).toBe(true);
    expect(analytics?.rows[0]?.detail).toMatch(/^private_key_jwt: no private key/);
    expect(result).toBe(0);
  });

  it("GIVEN a grant's scopes narrowed and the Action unbound through the Management API WHEN smoke runs THEN the tokens miss the promised claims, the rows say which, and it exits 1", async () => {
    const { management } = fixture;
    let billingId = "";
    for await (const c of await management.clients.list({ per_page: 100 }))
      if (c.name === "m2m-local-globex-billing") billingId = c.client_id ?? "";
    const grants = (await management.clientGrants.list({ client_id: billingId })).data;
    const orders = grants.find((g) => g.audience === "https://orders.api.acme.example");
    await management.clientGrants.update(orders?.id ?? "", { scope: ["orders:read"] });
    await management.actions.triggers.bindings.updateMany("credentials-exchange", { bindings: [] });

    const { result, out } = await runSmoke();
    expect(result).toBe(1);
    const report = JSON.parse(out) as SmokeReport;
    expect(report.checks[0]?.outcome).toBe("miss");
    const billing = rowsOf(report).find((r) => r.startsWith("globex/billing orders "));
    expect(billing).toMatch(
      /^globex\/billing orders miss: scope is "orders:read", the model promises "orders:read orders:write"/,
    );
    expect(billing).toContain('https://claims.acme.example/tenant_id is absent, the model promises "globex"');
  });

  it("GIVEN the m2m command WHEN smoke --local runs THEN it prints a table per workload and exits 1 on the misses above", async () => {
    const result = await m2m(["smoke", "--stack", "local", "--local"], fixture.local.projectDir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^Smoke test of the local environment at http:\/\/127\.0\.0\.1:\d+\//);
    expect(result.stdout).toMatch(
      /\nglobex\/billing {2}client_id \w+\n {2}API +result +detail\n {2}orders +miss /,
    );
    expect(result.stdout).toMatch(/\d+ ok, \d+ missed, 4 skipped/);
  });
});
