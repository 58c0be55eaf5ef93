// Azure scope containment: segment by segment, case-insensitive, never by string prefix.

import { describe, expect, it } from "vitest";
import { azureActionMatches } from "../../../../src/model/trust/azure/azure-roles.ts";
import { azureScopesOverlap, azureScopeUnder } from "../../../../src/model/trust/azure/azure-scopes.ts";

const RG = "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups";

describe("Azure scopes", () => {
  it("GIVEN a tenant's resource group WHEN scopes are compared THEN a resource below it, in any case, is under it and a group whose name extends it is not", () => {
    expect(azureScopeUnder(`${RG}/acme-test-initech`, `${RG}/acme-test-initech`)).toBe(true);
    expect(
      azureScopeUnder(
        `${RG.toUpperCase()}/ACME-TEST-INITECH/providers/Microsoft.Storage/storageAccounts/x`,
        `${RG}/acme-test-initech`,
      ),
    ).toBe(true);
    expect(azureScopeUnder(`${RG}/acme-test-initech2`, `${RG}/acme-test-initech`)).toBe(false);
    expect(azureScopeUnder(`${RG}`, `${RG}/acme-test-initech`)).toBe(false);
  });

  it("GIVEN two scopes WHEN overlap is asked THEN one holding the other overlaps, siblings sharing a name prefix do not", () => {
    expect(azureScopesOverlap("/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333", `${RG}/m2m-test`)).toBe(
      true,
    );
    expect(azureScopesOverlap(`${RG}/m2m-test/providers/x/y/z`, `${RG}/M2M-TEST`)).toBe(true);
    expect(azureScopesOverlap(`${RG}/m2m-test-x`, `${RG}/m2m-test`)).toBe(false);
  });

  it("GIVEN role action patterns WHEN matched against an action THEN case is ignored and a '*' segment may stand for no segment", () => {
    expect(
      azureActionMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/write"),
    ).toBe(true);
    expect(
      azureActionMatches(
        "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
        "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
      ),
    ).toBe(true);
    expect(azureActionMatches("*/read", "Microsoft.Storage/storageAccounts/listKeys/action")).toBe(false);
  });
});
