import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drift } from "../../src/cli/drift.ts";
import type { DriftReport } from "../../src/management/drift.ts";
import { captured, type LocalTenantFixture, m2m, startManagedFixture } from "../management/local-tenant.ts";

let fixture: LocalTenantFixture;
beforeAll(async () => {
  fixture = await startManagedFixture();
});
afterAll(() => fixture.local.close());

const runDrift = (json = true) =>
  captured(() =>
    drift({ projectDir: fixture.local.projectDir, stack: "local", local: true, json, environment: {} }),
  );

async function clientNamed(name: string) {
  for await (const c of await fixture.management.clients.list({ per_page: 100 }))
    if (c.name === name) return c;
  throw new Error(`no client ${name}`);
}

describe("m2m drift against the local environment", () => {
  it("GIVEN a tenant just provisioned from the model WHEN drift runs THEN it finds none, exits 0, and lists the management application as information", async () => {
    const { result, out } = await runDrift(false);
    expect(result).toBe(0);
    expect(out).toContain("No drift: the tenant is as the model says.");
    expect(out).toMatch(/m2m local Management API \(\w+\): the application this command signed in as/);
  });

  it("GIVEN grants, metadata, API scopes, Action code and bindings changed through the Management API WHEN drift runs THEN each is named with what pulumi up --refresh does, and it exits 1", async () => {
    const { management } = fixture;
    const billing = await clientNamed("m2m-local-globex-billing");
    const billingId = billing.client_id ?? "";
    // Behind the model's back: a scope added to a grant, metadata edited, a grant to another API added.
    const [grant] = (await management.clientGrants.list({ client_id: billingId })).data;
    await management.clientGrants.update(grant?.id ?? "", {
      scope: [...(grant?.scope ?? []), "orders:delete"],
    });
    await management.clients.update(billingId, {
      client_metadata: { ...(billing.client_metadata as Record<string, string>), owner: "someone" },
    });
    await management.clientGrants.create({
      client_id: billingId,
      audience: "https://reports.api.acme.example",
      scope: ["reports:read"],
    });
    const reports = await management.resourceServers.get("https://reports.api.acme.example");
    await management.resourceServers.update(reports.id ?? "", { scopes: [], token_lifetime: 600 });
    const [action] = (await management.actions.list({ triggerId: "credentials-exchange" })).data;
    await management.actions.update(action?.id ?? "", {
      code: "exports.onExecuteCredentialsExchange = async () => {};",
    });
    await management.actions.deploy(action?.id ?? "");
    await management.actions.triggers.bindings.updateMany("credentials-exchange", { bindings: [] });
    // An application created by hand that claims to be managed.
    await management.clients.create({
      name: "rogue",
      app_type: "non_interactive",
      client_metadata: { managed_by: "auth0-m2m-federation", tenant_id: "globex", workload: "rogue" },
    });

    const { result, out } = await runDrift();
    expect(result).toBe(1);
    const report = JSON.parse(out) as DriftReport;
    const said = report.findings.map((f) => `${f.kind} ${f.subject}: ${f.detail} => ${f.refresh}`);
    expect(said).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^changed application m2m-local-globex-billing \(globex\/billing\): client_metadata\.owner is "someone"; the model has \(absent\) => removes client_metadata\.owner$/,
        ),
        expect.stringMatching(
          /^changed grant of globex\/billing to https:\/\/orders\.api\.acme\.example: scopes are .*orders:delete.* => sets the scopes back \(removes orders:delete\)$/,
        ),
        expect.stringMatching(
          /^extra grant of globex\/billing to https:\/\/reports\.api\.acme\.example: scopes reports:read, not in the model => Pulumi does not track it/,
        ),
        expect.stringMatching(
          /^changed API https:\/\/reports\.api\.acme\.example \(reports\): token_lifetime is 600; the model has 86400 => sets token_lifetime back to 86400$/,
        ),
        expect.stringMatching(
          /^changed API https:\/\/reports\.api\.acme\.example \(reports\): scopes are \(none\); the model has reports:read => ResourceServerScopes sets the whole list back/,
        ),
        expect.stringMatching(
          /^changed Action m2m-tenant-claims: deployed code has bundle hash [0-9a-f]{12}; the model's bundle is [0-9a-f]{12} => deploys the bundled code again$/,
        ),
        expect.stringMatching(
          /^changed credentials-exchange binding list: bound in order \(none\); the model binds m2m-tenant-claims => TriggerActions sets the whole list back/,
        ),
        expect.stringMatching(
          /^extra application rogue \(\w+\): marked as managed \(globex\/rogue\) but not in the model/,
        ),
      ]),
    );
    expect(report.findings).toHaveLength(8);
  });

  it("GIVEN an application deleted through the Management API WHEN drift runs THEN it is missing, and pulumi up --refresh creates it with a new client id", async () => {
    const exporter = await clientNamed("m2m-local-initech-exporter");
    await fixture.management.clients.delete(exporter.client_id ?? "");
    const { result, out } = await runDrift(false);
    expect(result).toBe(1);
    expect(out).toContain("missing  application m2m-local-initech-exporter (initech/exporter)");
    expect(out).toContain(
      "pulumi up --refresh: Pulumi sees it deleted and creates it again: a new client id and secret",
    );
    expect(out).toContain("a plain pulumi up ignores changes made outside Pulumi");
  });

  it("GIVEN the m2m command WHEN drift runs without --local and no credentials THEN it exits 2 naming M2M_AUTH0_CLIENT_ID, and AUTH0_* names are not read", async () => {
    const result = await m2m(["drift", "--stack", "local"], fixture.local.projectDir, {
      AUTH0_CLIENT_ID: "x",
      AUTH0_CLIENT_SECRET: "y",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("M2M_AUTH0_CLIENT_ID is not set");
    expect(result.stderr).toContain("AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not read");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("GIVEN the m2m command WHEN drift --local runs THEN it reaches the running environment and exits 1 on the drift made above", async () => {
    const result = await m2m(["drift", "--stack", "local", "--local"], fixture.local.projectDir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("Drift of the local environment at http://127.0.0.1:");
  });

  it("GIVEN M2M_AUTH0_* set to another application WHEN drift --local runs THEN they are ignored: the local management application is used", async () => {
    const result = await m2m(["drift", "--stack", "local", "--local", "--json"], fixture.local.projectDir, {
      M2M_AUTH0_CLIENT_ID: "someone-else",
      M2M_AUTH0_CLIENT_SECRET: "not-this-one",
    });
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).tenant).toMatch(/^the local environment at /);
  });

  it("GIVEN the management application lost a scope drift needs WHEN drift --local runs THEN it exits 2 with the tenant's refusal and what to grant, and no stack trace", async () => {
    const grants = fixture.local.tenant.management.listGrants({
      audience: fixture.local.tenant.management.audience,
    });
    const grant = grants[0];
    if (!grant) throw new Error("the management application has no grant");
    fixture.local.tenant.management.updateGrant(grant.id, {
      scope: grant.scope.filter((s) => s !== "read:client_grants"),
    });
    try {
      const result = await m2m(["drift", "--stack", "local", "--local"], fixture.local.projectDir);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /^m2m: the local environment at http:\/\/127\.0\.0\.1:\d+\/ refused a Management API call \(403\): Insufficient scope, expected any of: read:client_grants; authorize the application/,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      fixture.local.tenant.management.updateGrant(grant.id, { scope: grant.scope });
    }
  });

  it("GIVEN a tenant whose rate limit is tighter than its plan's WHEN drift --local runs THEN it paces itself by the headers, finishes, and says on stderr how long it waited", async () => {
    const limiter = fixture.local.tenant.management.limiter;
    limiter.limit = { burst: 3, perSecond: 5 };
    try {
      const result = await m2m(["drift", "--stack", "local", "--local", "--json"], fixture.local.projectDir);
      expect(result.status).toBe(1);
      expect(JSON.parse(result.stdout).findings.length).toBeGreaterThan(0);
      expect(result.stderr).toMatch(
        /^Management API: \d+ requests.*; \d+\.\d s spent waiting for the tenant's rate limit\n$/,
      );
    } finally {
      limiter.limit = { burst: 1_000, perSecond: 1_000 };
    }
  });

  it("GIVEN --state-dir without --local WHEN drift runs THEN it is a usage error", async () => {
    const result = await m2m(["drift", "--stack", "local", "--state-dir", "/tmp"], fixture.local.projectDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--state-dir goes with --local");
  });
});
