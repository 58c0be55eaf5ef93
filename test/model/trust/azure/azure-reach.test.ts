// What each tenant's Azure identity reaches, proven from its role assignments' scopes: the
// committed stacks reach no other tenant, and every way of crossing tenants is found.

import { describe, expect, it } from "vitest";
import { type Environment, parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { azureReachFindings, azureWorkloadReach } from "../../../../src/model/trust/azure/azure-reach.ts";
import { readStackFile } from "../../../../src/stack/stack-file.ts";
import { environmentWithClouds, FIXTURE_CLOUDS } from "../../../fixtures/environment.ts";

// biome-ignore lint/suspicious/noExplicitAny: the cases write into the raw, untyped shape
type Raw = any;

const SUB = FIXTURE_CLOUDS.azure.subscriptionId;
const RG = (name: string) => `/subscriptions/${SUB}/resourceGroups/${name}`;
const committed = (stack: string) =>
  parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);
const fixture = () => parseEnvironment(environmentWithClouds(["azure"]), "test");
/** The fixture with initech's assignment changed as validation would refuse: the reach check must still see it. */
const unvalidated = (change: (env: Raw) => void): Environment => {
  const env = structuredClone(fixture()) as Raw;
  change(env);
  return env;
};
const tenantReach = (env: Environment) =>
  azureReachFindings(env)
    .filter((f) => f.kind === "tenant-reach")
    .map((f) => `${f.subject}: ${f.message}`);

describe("Azure reach", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN the committed ${stack} stack WHEN every identity's reach is evaluated THEN none reaches another tenant, initech reaches its storage account and umbrella's own reach is unproven (it has no role assignment)`, () => {
      const env = committed(stack);
      const sub = env.clouds.azure?.subscriptionId;
      expect(azureReachFindings(env)).toEqual([
        {
          kind: "own-reach-unproven",
          subject: "azure identity of umbrella",
          message: `none of its role assignments lies at or below its own scopes (/subscriptions/${sub}/resourceGroups/acme-${stack}-umbrella)`,
        },
      ]);
      expect(azureWorkloadReach(env)).toEqual([
        {
          cloud: "azure",
          tenantId: "initech",
          workload: "order-api",
          resource: `/subscriptions/${sub}/resourceGroups/acme-${stack}-initech/providers/Microsoft.Storage/storageAccounts/acme${stack}initech`,
          access: "Storage Blob Data Reader",
        },
      ]);
    });
  }

  it("GIVEN initech's OLD assignment, a storage account in the identities' resource group WHEN its reach is evaluated THEN it is found reaching into that group", () => {
    const env = unvalidated((e) => {
      e.tenants[1].azure.roleAssignments[0].scope = `${RG("m2m-test")}/providers/Microsoft.Storage/storageAccounts/acmetestinitech`;
    });
    expect(tenantReach(env)).toEqual([
      `azure identity of initech: reaches into ${RG("m2m-test")}, where every tenant's managed identity lives, through Storage Blob Data Reader at ${RG("m2m-test")}/providers/Microsoft.Storage/storageAccounts/acmetestinitech`,
    ]);
  });

  it("GIVEN initech's assignment at the subscription WHEN evaluated THEN it reaches the identities and globex's scope", () => {
    const env = unvalidated((e) => {
      e.tenants[1].azure.roleAssignments[0].scope = `/subscriptions/${SUB}`;
    });
    expect(tenantReach(env)).toEqual([
      `azure identity of initech: reaches into ${RG("m2m-test")}, where every tenant's managed identity lives, through Storage Blob Data Reader at /subscriptions/${SUB}`,
      `azure identity of initech: reaches ${RG("acme-test-globex")} of globex through Storage Blob Data Reader at /subscriptions/${SUB}`,
    ]);
  });

  it("GIVEN initech's assignment on a resource inside globex's group, written in another case WHEN evaluated THEN it reaches globex", () => {
    const env = unvalidated((e) => {
      e.tenants[1].azure.roleAssignments[0].scope = `/SUBSCRIPTIONS/${SUB}/resourcegroups/ACME-TEST-GLOBEX/providers/Microsoft.Storage/storageAccounts/x`;
    });
    expect(tenantReach(env)).toEqual([
      expect.stringMatching(
        /^azure identity of initech: reaches \S+acme-test-globex of globex through Storage Blob Data Reader/,
      ),
    ]);
  });

  it("GIVEN a role that writes role assignments on initech's own group WHEN evaluated THEN it is found widening its reach", () => {
    const env = unvalidated((e) => {
      e.tenants[1].azure.roleAssignments[0].roleDefinitionId = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
    });
    expect(tenantReach(env)).toEqual([
      `azure identity of initech: can widen its own reach through Role Based Access Control Administrator at ${RG("acme-test-initech")}: Role Based Access Control Administrator allows Microsoft.Authorization/roleAssignments/write (it writes role assignments, so it can grant itself any role anywhere its scope reaches)`,
    ]);
  });

  describe("GIVEN a shared storage account", () => {
    const account = `${RG("acme-shared")}/providers/Microsoft.Storage/storageAccounts/acmeexports`;
    const withShared = (partition: unknown) =>
      unvalidated((e) => {
        e.clouds.azure.shared = [
          {
            name: "exports",
            scopes: [account],
            roles: ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"],
            partition,
            reason: "r",
          },
        ];
        e.tenants[1].azure.roleAssignments.push({
          roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
          scope: account,
        });
      });

    it("WHEN it is partitioned by blob container THEN no tenant reach is found and the workloads' reach marks it shared, confined to their container", () => {
      const env = withShared({ blobContainerPerTenant: true });
      expect(tenantReach(env)).toEqual([]);
      expect(azureWorkloadReach(env).filter((r) => r.shared)).toEqual(
        ["exporter", "analytics"].map((workload) => ({
          cloud: "azure",
          tenantId: "initech",
          workload,
          resource: account,
          access:
            "Storage Blob Data Reader, blob data only in container 'initech' (ABAC condition; control-plane reads not confined)",
          shared: "exports",
        })),
      );
    });

    it("WHEN it has no partition THEN initech's access is found reaching every tenant's data", () => {
      expect(tenantReach(withShared("none"))).toEqual([
        `azure identity of initech: reaches every tenant's data in shared entry exports (${account}), which has no partition, through Storage Blob Data Reader at ${account}`,
      ]);
    });
  });

  it("GIVEN 300 tenants each on its own resource group and one assignment sent to another's WHEN evaluated THEN exactly that breach is found", () => {
    const raw = environmentWithClouds(["azure"]) as Raw;
    raw.auth0 = { domain: "acme-test.eu.auth0.com", plan: "enterprise" };
    const id = (i: number) => `tenant-${String(i).padStart(4, "0")}`;
    raw.tenants = Array.from({ length: 300 }, (_, i) => ({
      id: id(i),
      azure: {
        roleAssignments: [
          { roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", scope: RG(`acme-test-${id(i)}`) },
        ],
      },
      workloads: [{ name: "worker", grants: [{ api: "azure", scopes: ["azure:federate"] }] }],
    }));
    const env = structuredClone(parseEnvironment(raw, "test")) as Raw;
    expect(azureReachFindings(env)).toEqual([]);
    env.tenants[7].azure.roleAssignments[0].scope = `${RG("acme-test-tenant-0123")}/providers/Microsoft.Storage/storageAccounts/x`;
    expect(tenantReach(env)).toEqual([
      `azure identity of tenant-0007: reaches ${RG("acme-test-tenant-0123")} of tenant-0123 through Storage Blob Data Reader at ${RG("acme-test-tenant-0123")}/providers/Microsoft.Storage/storageAccounts/x`,
    ]);
  });

  it("GIVEN the fixture WHEN own reach is evaluated THEN initech's is shown and globex's (no assignment) is unproven; without initech's assignment, initech's is unproven too", () => {
    const unproven = (env: Environment) =>
      azureReachFindings(env)
        .filter((f) => f.kind === "own-reach-unproven")
        .map((f) => f.subject);
    expect(unproven(fixture())).toEqual(["azure identity of globex"]);
    expect(unproven(unvalidated((e) => (e.tenants[1].azure.roleAssignments = [])))).toEqual([
      "azure identity of globex",
      "azure identity of initech",
    ]);
  });
});
