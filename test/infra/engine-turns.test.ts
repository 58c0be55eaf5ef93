import { describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import { environmentWithTenants } from "../fixtures/environment.ts";
import { mockStack, settled, stackConfig } from "../support/mocked-stack.ts";

describe("the program hands the engine one tenant at a time", () => {
  it("GIVEN three tenants WHEN the program runs THEN each tenant's application, grant and credentials reach the engine before the next tenant's application is constructed", async () => {
    const resources = await mockStack("test", stackConfig(environmentWithTenants(3)));
    await program();
    await settled();
    const tenants = resources
      .filter((r) => r.type.startsWith("auth0:index/client") || r.type === "m2m:auth0:WorkloadClient")
      .map((r) => /tenant-(\d+)/.exec(r.name)?.[1]);
    // WorkloadClient, Client, ClientGrant and ClientCredentials of tenant 0, then of 1, then of 2;
    // constructed all at once, every tenant's component would reach the engine before any client.
    expect(tenants).toEqual([
      "00000",
      "00000",
      "00000",
      "00000",
      "00001",
      "00001",
      "00001",
      "00001",
      "00002",
      "00002",
      "00002",
      "00002",
    ]);
  });
});
