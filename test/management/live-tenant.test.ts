import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { connect } from "../../src/management/connection.ts";
import { readLiveTenant } from "../../src/management/live-tenant.ts";
import { localFixtureEnvironment, startFixture } from "../fixtures/local-project.ts";

let local: LocalEnvironment & { projectDir: string };
beforeAll(async () => {
  local = await startFixture();
});
afterAll(() => local.close());

describe("reading the local tenant through auth0's ManagementClient", () => {
  it("GIVEN the running local environment WHEN read with --local THEN every workload, grant, API, Action and the binding list come back", async () => {
    const connection = await connect({
      projectDir: local.projectDir,
      stack: "local",
      raw: localFixtureEnvironment(),
      local: true,
      environment: {},
    });
    const live = await readLiveTenant(connection.client);
    const workloads = live.clients.filter((c) => c.metadata.managed_by === "auth0-m2m-federation");
    expect(workloads.map((c) => c.name).sort()).toEqual([
      "m2m-local-globex-billing",
      "m2m-local-initech-analytics",
      "m2m-local-initech-exporter",
    ]);
    expect(live.clients.some((c) => c.clientId === connection.managementClientId)).toBe(true);
    const analytics = workloads.find((c) => c.name === "m2m-local-initech-analytics");
    expect(analytics?.authMethod).toBe("private_key_jwt");
    expect(analytics?.credentials.map((k) => k.name)).toEqual(["analytics-1"]);
    expect(live.apis.filter((a) => !a.isSystem).length).toBeGreaterThan(1);
    expect(live.actions.map((a) => a.name)).toEqual(["m2m-tenant-claims"]);
    expect(live.bindings.map((b) => b.displayName)).toEqual(["m2m-tenant-claims"]);
    expect(connection.pacer.stats.requests).toBeGreaterThanOrEqual(6);
  });

  it("GIVEN the local environment serving HTTPS with its self-signed certificate WHEN read with --local THEN the client trusts that certificate and reads it", async () => {
    const secure = await startFixture({ https: true });
    try {
      const connection = await connect({
        projectDir: secure.projectDir,
        stack: "local",
        raw: localFixtureEnvironment(),
        local: true,
        environment: {},
      });
      const live = await readLiveTenant(connection.client);
      expect(connection.said).toMatch(/^the local environment at https:\/\/localhost:\d+\/$/);
      expect(live.clients.filter((c) => c.metadata.managed_by === "auth0-m2m-federation")).toHaveLength(3);
    } finally {
      await secure.close();
    }
  });
});
