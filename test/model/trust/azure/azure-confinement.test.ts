// Azure tenant confinement by construction: tenant scopes, shared scopes and role assignments
// as validation judges them, on the fixture and on the committed stacks.

import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { environmentWithClouds, FIXTURE_CLOUDS } from "../../../fixtures/environment.ts";
import { committedRaw, validationIssues } from "../../../support/validation.ts";

// biome-ignore lint/suspicious/noExplicitAny: the cases write into the raw, untyped shape
type Raw = any;

const SUB = FIXTURE_CLOUDS.azure.subscriptionId;
const BLOB_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const azureEnv = () => environmentWithClouds(["azure"]) as Raw;

const issuesOf = validationIssues;

describe("Azure confinement", () => {
  describe("GIVEN the committed stacks", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      it(`WHEN ${stack} is validated THEN it passes, initech's storage account lying in its own resource group`, () => {
        const env = parseEnvironment(committedRaw(stack), stack);
        expect(env.clouds.azure?.tenantScopes).toEqual([
          "/subscriptions/{subscriptionId}/resourceGroups/acme-{env}-{tenant}",
        ]);
        expect(env.tenants[1]?.azure?.roleAssignments[0]?.scope).toContain(
          `/resourceGroups/acme-${stack}-initech/providers/Microsoft.Storage/storageAccounts/`,
        );
      });
    }

    it("WHEN the OLD dev configuration (initech's storage account in m2m-dev, no tenant scopes) is validated THEN it is refused with the path, what it reaches and the fix", () => {
      const raw = committedRaw("dev");
      delete raw.clouds.azure.tenantScopes;
      raw.tenants[1].azure.roleAssignments[0].scope =
        "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/m2m-dev/providers/Microsoft.Storage/storageAccounts/acmedevinitech";
      const error = (() => {
        try {
          parseEnvironment(raw, "dev");
        } catch (e) {
          return e as Error;
        }
        throw new Error("the old configuration was accepted");
      })();
      expect(error.message).toBe(
        `The environment of stack "dev" (config key m2m:environment) has 1 problem; nothing was created or changed:
  - tenants[1].azure.roleAssignments[0].scope: Storage Blob Data Reader at /subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/m2m-dev/providers/Microsoft.Storage/storageAccounts/acmedevinitech lies in /subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/m2m-dev, the resource group that holds every tenant's managed identity, not in one of initech's own scopes, so nothing shows that what it reaches there is initech's: declare the tenant's own resource group under clouds.azure.tenantScopes (e.g. /subscriptions/{subscriptionId}/resourceGroups/acme-{env}-{tenant}) and move the resource into it`,
      );
    });
  });

  describe("GIVEN tenant scope patterns", () => {
    it.each([
      ["no {tenant}", "/subscriptions/{subscriptionId}/resourceGroups/acme-{env}", /has no \{tenant\}/],
      [
        "'-' after {tenant}",
        "/subscriptions/{subscriptionId}/resourceGroups/{env}-{tenant}-data",
        /"\{tenant\}" is followed by "-"/,
      ],
      [
        "{workload}",
        "/subscriptions/{subscriptionId}/resourceGroups/acme-{tenant}_{workload}",
        /shared by all its workloads, so \{workload\} cannot confine it/,
      ],
      [
        "another subscription",
        "/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/acme-{tenant}",
        /not a resource group or resource of the environment's subscription/,
      ],
    ])("WHEN one has %s THEN it is refused at its path", (_, pattern, message) => {
      const raw = azureEnv();
      raw.clouds.azure.tenantScopes = [pattern];
      const issues = issuesOf(raw).filter((i) => i.path === "clouds.azure.tenantScopes[0]");
      expect(issues.map((i) => i.message)).toContainEqual(expect.stringMatching(message));
    });

    it("WHEN a pattern holds the identities' resource group (the subscription's m2m-test) THEN it is refused for every tenant", () => {
      const raw = azureEnv();
      raw.clouds.azure.tenantScopes = ["/subscriptions/{subscriptionId}/resourceGroups/m2m-{env}*{tenant}"];
      const messages = issuesOf(raw).map((i) => i.message);
      expect(messages).toContainEqual(
        expect.stringMatching(/wildcard \(\* or \?\) before the first \{tenant\}/),
      );
      raw.clouds.azure.tenantScopes = [
        "/subscriptions/{subscriptionId}/resourceGroups/M2M-TEST/providers/Microsoft.Storage/storageAccounts/{tenant}",
      ];
      const issues = issuesOf(raw);
      expect(issues.map((i) => i.path)).toEqual([
        "clouds.azure.tenantScopes[0]",
        "clouds.azure.tenantScopes[0]",
        // initech's assignment now lies under none of its scopes
        "tenants[1].azure.roleAssignments[0].scope",
      ]);
      expect(issues[0]?.message).toBe(
        `/subscriptions/${SUB}/resourceGroups/M2M-TEST/providers/Microsoft.Storage/storageAccounts/globex (clouds.azure.tenantScopes[0] for tenants[0] (globex)) overlaps /subscriptions/${SUB}/resourceGroups/m2m-test, the resource group of every tenant's managed identity: a tenant's scope holding it, or lying in it, would sit with the identities whose federated credentials decide whose tokens act as each tenant; give tenants their own resource groups`,
      );
    });

    it("WHEN two patterns name the same resource group for two tenants, differing only in case THEN the overlap is refused", () => {
      const raw = azureEnv();
      raw.tenants[0].id = "dev-x";
      raw.tenants[1].id = "x";
      raw.tenants[1].azure.roleAssignments = [];
      raw.clouds.azure.tenantScopes = [
        "/subscriptions/{subscriptionId}/resourceGroups/acme-{tenant}",
        "/subscriptions/{subscriptionId}/RESOURCEGROUPS/ACME-DEV-{tenant}",
      ];
      const overlaps = issuesOf(raw).filter((i) => i.path === "clouds.azure.tenantScopes");
      expect(overlaps.map((i) => i.message)).toEqual([
        expect.stringMatching(
          /^\/subscriptions\/[0-9a-f-]+\/resourcegroups\/acme-dev-x \(clouds\.azure\.tenantScopes\[0\] for tenants\[0\] \(dev-x\)\) and \/subscriptions\/[0-9a-f-]+\/resourcegroups\/acme-dev-x \(clouds\.azure\.tenantScopes\[1\] for tenants\[1\] \(x\)\) can hold the same resource \(Azure compares ids case-insensitively\)/,
        ),
      ]);
    });
  });

  describe("GIVEN role assignments", () => {
    it("WHEN initech's assignment is at its own resource group or a resource below it, in any case THEN it is accepted", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments.push({
        roleDefinitionId: BLOB_READER,
        scope: `/subscriptions/${SUB}/resourcegroups/ACME-TEST-INITECH/providers/Microsoft.Storage/storageAccounts/x`,
      });
      expect(issuesOf(raw)).toEqual([]);
    });

    it("WHEN initech's assignment is at globex's resource group THEN it is refused, naming what it holds", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments[0].scope = `/subscriptions/${SUB}/resourceGroups/acme-test-globex`;
      expect(issuesOf(raw)).toEqual([
        {
          path: "tenants[1].azure.roleAssignments[0].scope",
          message: `Storage Blob Data Reader at /subscriptions/${SUB}/resourceGroups/acme-test-globex is under none of initech's declared scopes nor a shared scope allowing this role, and holds globex's /subscriptions/${SUB}/resourceGroups/acme-test-globex: declare the tenant's own resource group under clouds.azure.tenantScopes (e.g. /subscriptions/{subscriptionId}/resourceGroups/acme-{env}-{tenant}) and move the resource into it, or declare it under clouds.azure.shared with its partition`,
        },
      ]);
    });

    it("WHEN an assignment is at the subscription THEN it is refused: it holds the identities' resource group", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments[0].scope = `/subscriptions/${SUB}`;
      expect(issuesOf(raw).map((i) => i.message)).toEqual([
        expect.stringContaining(
          `holds /subscriptions/${SUB}/resourceGroups/m2m-test, so it reaches every tenant's managed identity`,
        ),
      ]);
    });

    it("WHEN an assignment's scope has an empty or '..' segment THEN it is refused", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments[0].scope = `/subscriptions/${SUB}/resourceGroups/acme-test-initech/../acme-test-globex`;
      expect(issuesOf(raw)).toContainEqual({
        path: "tenants[1].azure.roleAssignments[0].scope",
        message: `/subscriptions/${SUB}/resourceGroups/acme-test-initech/../acme-test-globex has an empty, "." or ".." segment: write the resource id as ARM returns it, one name per segment`,
      });
    });

    it("WHEN an assignment is in another subscription THEN only the subscription rule reports it, once", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments[0].scope =
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/x";
      expect(issuesOf(raw)).toEqual([
        {
          path: "tenants[1].azure.roleAssignments[0].scope",
          message:
            "scope /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/x is outside the environment's subscription 0b1f6471-1bf0-4dda-aec3-111122223333",
        },
      ]);
    });

    it.each([
      ["Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Microsoft.Authorization/roleAssignments/write"],
      [
        "User Access Administrator",
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        "Microsoft.Authorization/roleAssignments/write",
      ],
      [
        "Role Based Access Control Administrator",
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        "Microsoft.Authorization/roleAssignments/write",
      ],
      [
        "Managed Identity Contributor",
        "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
      ],
      [
        "Managed Identity Operator",
        "f1a07417-d97a-45cb-824c-7a7467783830",
        "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
      ],
      [
        "Storage Account Contributor",
        "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        "Microsoft.Storage/storageAccounts/listKeys/action",
      ],
      [
        "Reader and Data Access",
        "c12c1c16-33a1-487b-954d-41c89c60f349",
        "Microsoft.Storage/storageAccounts/ListAccountSas/action",
      ],
      [
        "Storage Account Key Operator Service Role",
        "81a9662b-bebf-436f-a333-f67b29880f12",
        "Microsoft.Storage/storageAccounts/regeneratekey/action",
      ],
      ["Key Vault Contributor", "f25e0fa2-a7c8-4377-a976-54943a77a395", "Microsoft.KeyVault/vaults/write"],
    ])(
      "WHEN the role is %s, even on its own resource group THEN it is refused for %s",
      (name, id, action) => {
        const raw = azureEnv();
        raw.tenants[1].azure.roleAssignments[0].roleDefinitionId = id;
        const messages = issuesOf(raw)
          .filter((i) => i.path === "tenants[1].azure.roleAssignments[0].roleDefinitionId")
          .map((i) => i.message);
        expect(messages).toContainEqual(expect.stringContaining(`${name} allows ${action}: `));
      },
    );

    it("WHEN the role is Contributor THEN listKeys, federated credentials and identity assignment are refused, but not role assignments (its NotActions)", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments[0].roleDefinitionId = "b24988ac-6180-42a0-ab88-20f7382dd24c";
      const actions = issuesOf(raw).map((i) => i.message.match(/^Contributor allows (\S+):/)?.[1]);
      expect(actions).toEqual([
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
        "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
        "Microsoft.Storage/storageAccounts/listKeys/action",
        "Microsoft.Storage/storageAccounts/ListAccountSas/action",
        "Microsoft.Storage/storageAccounts/regeneratekey/action",
        "Microsoft.KeyVault/vaults/write",
        "Microsoft.KeyVault/vaults/accessPolicies/write",
      ]);
    });

    it("WHEN a role is not in the snapshot THEN it is refused unless the assignment declares its actions, which are then judged", () => {
      const raw = azureEnv();
      raw.tenants[1].azure.roleAssignments[0].roleDefinitionId = "00000000-0000-4000-8000-000000000001";
      expect(issuesOf(raw)).toEqual([
        {
          path: "tenants[1].azure.roleAssignments[0].roleDefinitionId",
          message:
            "role 00000000-0000-4000-8000-000000000001 is not in the built-in roles snapshot, so what it lets initech's identity do is unknown: use a built-in role it lists, or declare the role's actions (and dataActions) on the assignment",
        },
      ]);
      raw.tenants[1].azure.roleAssignments[0].actions = ["Microsoft.Storage/storageAccounts/read"];
      expect(issuesOf(raw)).toEqual([]);
      raw.tenants[1].azure.roleAssignments[0].actions = ["Microsoft.Storage/*"];
      expect(issuesOf(raw).map((i) => i.message.split(":")[0])).toEqual([
        "role 00000000-0000-4000-8000-000000000001 allows Microsoft.Storage/storageAccounts/listKeys/action",
        "role 00000000-0000-4000-8000-000000000001 allows Microsoft.Storage/storageAccounts/ListAccountSas/action",
        "role 00000000-0000-4000-8000-000000000001 allows Microsoft.Storage/storageAccounts/regeneratekey/action",
      ]);
    });
  });

  describe("GIVEN shared scopes", () => {
    const shared = (partition: unknown, roles = [BLOB_READER]) => ({
      name: "exports",
      scopes: [
        "/subscriptions/{subscriptionId}/resourceGroups/acme-shared/providers/Microsoft.Storage/storageAccounts/acmeexports",
      ],
      roles,
      partition,
      reason: "one account for every tenant's exports",
    });
    const onShared = (raw: Raw) => {
      raw.tenants[1].azure.roleAssignments[0].scope = `/subscriptions/${SUB}/resourceGroups/acme-shared/providers/Microsoft.Storage/storageAccounts/acmeexports`;
      return raw;
    };

    it("WHEN an assignment is at a shared scope partitioned by blob container, with an allowed role THEN it is accepted", () => {
      const raw = onShared(azureEnv());
      raw.clouds.azure.shared = [shared({ blobContainerPerTenant: true })];
      expect(issuesOf(raw)).toEqual([]);
    });

    it("WHEN the role is not one the shared entry allows THEN the assignment is refused", () => {
      const raw = onShared(azureEnv());
      raw.clouds.azure.shared = [
        shared({ blobContainerPerTenant: true }, ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"]),
      ];
      expect(issuesOf(raw).map((i) => i.path)).toContain("tenants[1].azure.roleAssignments[0].scope");
    });

    it("WHEN the shared entry has no partition THEN it is reported as cross-tenant reach", () => {
      const raw = onShared(azureEnv());
      raw.clouds.azure.shared = [shared("none")];
      expect(issuesOf(raw)).toEqual([
        {
          path: "clouds.azure.shared[0].partition",
          message:
            "shared entry exports has no partition: every tenant would reach every other tenant's data in it (cross-tenant reach, whatever its reason says); use blobContainerPerTenant, or give each tenant its own resource under tenantScopes",
        },
      ]);
    });

    it("WHEN a blob-container partition allows Storage Blob Data Contributor THEN its container writes and deletes are refused: a condition does not confine control-plane actions", () => {
      const raw = azureEnv();
      raw.clouds.azure.shared = [
        shared({ blobContainerPerTenant: true }, ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"]),
      ];
      expect(issuesOf(raw).map((i) => i.message)).toEqual([
        expect.stringContaining(
          "allows the control-plane action Microsoft.Storage/storageAccounts/blobServices/containers/delete",
        ),
        expect.stringContaining(
          "allows the control-plane action Microsoft.Storage/storageAccounts/blobServices/containers/write",
        ),
      ]);
    });

    it("WHEN a tenant's id holds '--' THEN a blob-container partition has no container for it", () => {
      const raw = onShared(azureEnv());
      raw.tenants[0].id = "glo--bex";
      raw.clouds.azure.shared = [shared({ blobContainerPerTenant: true })];
      expect(issuesOf(raw)).toEqual([
        {
          path: "clouds.azure.shared[0].partition",
          message:
            'tenant glo--bex cannot have a blob container named after it (container names hold no "--"), so shared entry exports has no partition for it: rename the tenant',
        },
      ]);
    });

    it("WHEN a shared scope is a tenant's own resource group or the identities' THEN it is refused", () => {
      const raw = azureEnv();
      raw.clouds.azure.shared = [
        {
          ...shared({ blobContainerPerTenant: true }),
          scopes: [
            `/subscriptions/${SUB}/resourceGroups/acme-test-globex`,
            `/subscriptions/${SUB}/resourceGroups/m2m-test`,
          ],
        },
      ];
      expect(issuesOf(raw)).toEqual([
        {
          path: "clouds.azure.shared[0].scopes[0]",
          message: `/subscriptions/${SUB}/resourceGroups/acme-test-globex overlaps globex's own scope /subscriptions/${SUB}/resourceGroups/acme-test-globex: a tenant's resource is not shared; move it out of one or the other`,
        },
        {
          path: "clouds.azure.shared[0].scopes[1]",
          message: `/subscriptions/${SUB}/resourceGroups/m2m-test overlaps /subscriptions/${SUB}/resourceGroups/m2m-test, the resource group of every tenant's managed identity: shared resources live in a resource group of their own`,
        },
      ]);
    });
  });
});
