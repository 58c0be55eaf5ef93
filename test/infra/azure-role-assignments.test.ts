// The role assignments the program registers for tenant identities: on the tenant's own scope
// as declared, and on a shared scope partitioned by blob container with the ABAC condition that
// confines the tenant to its own container.

import { describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import { environmentWithClouds, FIXTURE_CLOUDS } from "../fixtures/environment.ts";
import { mockStack, settled, stackConfig } from "../support/mocked-stack.ts";

// biome-ignore lint/suspicious/noExplicitAny: the case writes into the raw, untyped shape
type Raw = any;

const SUB = FIXTURE_CLOUDS.azure.subscriptionId;
const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/acme-shared/providers/Microsoft.Storage/storageAccounts/acmeexports`;

async function assignments(raw: Raw) {
  const resources = await mockStack("test", stackConfig(raw), ["m2m:auth0ClientSecret"]);
  await program();
  await settled();
  return resources.filter((r) => r.type === "azure-native:authorization:RoleAssignment");
}

describe("Azure role assignments under mocks", () => {
  it("GIVEN initech's assignment on its own resource group and one on a shared account partitioned by container WHEN the program runs THEN the first carries no condition and the second only initech's container", async () => {
    const raw = environmentWithClouds(["azure"]) as Raw;
    raw.clouds.azure.shared = [
      {
        name: "exports",
        scopes: [ACCOUNT],
        roles: [BLOB_READER],
        partition: { blobContainerPerTenant: true },
        reason: "one account for every tenant's exports",
      },
    ];
    raw.tenants[1].azure.roleAssignments.push({ roleDefinitionId: BLOB_READER, scope: ACCOUNT });
    const registered = await assignments(raw);
    expect(registered.map((r) => [r.name, r.inputs])).toEqual([
      [
        "initech-role-0",
        {
          principalId: expect.anything(),
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_READER}`,
          scope: `/subscriptions/${SUB}/resourceGroups/acme-test-initech`,
        },
      ],
      [
        "initech-role-1",
        {
          principalId: expect.anything(),
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${BLOB_READER}`,
          scope: ACCOUNT,
          condition:
            "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'initech'))",
          conditionVersion: "2.0",
        },
      ],
    ]);
  });
});
