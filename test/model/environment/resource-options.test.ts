import { describe, expect, it } from "vitest";
import { type ResourceKind, resourceOptions } from "../../../src/model/environment/resource-options.ts";

const KINDS: ResourceKind[] = [
  "api",
  "apiScopes",
  "client",
  "clientGrant",
  "clientCredentials",
  "action",
  "triggerBinding",
  "awsOidcProvider",
  "awsRole",
  "awsRolePolicy",
  "gcpPool",
  "gcpPoolProvider",
  "gcpServiceAccount",
  "gcpIamMember",
  "azureIdentity",
  "azureFederatedCredential",
  "azureRoleAssignment",
];

describe("resourceOptions", () => {
  it("GIVEN production WHEN asked for each kind THEN every kind is protected, the Action and its binding too", () => {
    const protectedKinds = KINDS.filter((k) => resourceOptions(k, { production: true }).protect);
    expect(protectedKinds).toEqual(KINDS);
  });

  it("GIVEN a non-production environment WHEN asked for each kind THEN nothing is protected", () => {
    expect(KINDS.filter((k) => resourceOptions(k, { production: false }).protect)).toEqual([]);
  });

  it("GIVEN production WHEN asked THEN only GCP pools and providers are retained on delete (their ids stay taken 30 days)", () => {
    expect(KINDS.filter((k) => resourceOptions(k, { production: true }).retainOnDelete)).toEqual([
      "gcpPool",
      "gcpPoolProvider",
    ]);
    expect(KINDS.filter((k) => resourceOptions(k, { production: false }).retainOnDelete)).toEqual([]);
  });

  it("GIVEN a decommissioned tenant in production WHEN asked THEN its own resources lose protection, shared ones keep it", () => {
    const released = KINDS.filter(
      (k) => !resourceOptions(k, { production: true, decommissioned: true }).protect,
    );
    expect(released).toEqual([
      "client",
      "clientGrant",
      "clientCredentials",
      "awsRole",
      "awsRolePolicy",
      "gcpServiceAccount",
      "gcpIamMember",
      "azureIdentity",
      "azureFederatedCredential",
      "azureRoleAssignment",
    ]);
  });

  it("GIVEN a grant WHEN ordered THEN it waits for its API's scopes and for the Action binding", () => {
    expect(resourceOptions("clientGrant", { production: false }).dependsOn).toEqual([
      "apiScopes",
      "triggerBinding",
    ]);
    expect(resourceOptions("triggerBinding", { production: false }).dependsOn).toEqual(["action"]);
    expect(resourceOptions("apiScopes", { production: false }).dependsOn).toEqual(["api"]);
  });

  it("GIVEN any kind WHEN ordered THEN the dependencies never form a cycle", () => {
    const visit = (kind: ResourceKind, path: ResourceKind[]): void => {
      expect(path).not.toContain(kind);
      for (const next of resourceOptions(kind, { production: true }).dependsOn) visit(next, [...path, kind]);
    };
    for (const kind of KINDS) visit(kind, []);
  });
});
