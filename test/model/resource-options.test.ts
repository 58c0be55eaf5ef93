import { describe, expect, it } from "vitest";
import { type ResourceKind, resourceOptions } from "../../src/model/resource-options.ts";

const KINDS: ResourceKind[] = [
  "api",
  "apiScopes",
  "client",
  "clientGrant",
  "clientCredentials",
  "action",
  "triggerBinding",
];

describe("resourceOptions", () => {
  it("GIVEN production WHEN asked for each kind THEN every kind is protected, the Action and its binding too", () => {
    const protectedKinds = KINDS.filter((k) => resourceOptions(k, { production: true }).protect);
    expect(protectedKinds).toEqual(KINDS);
  });

  it("GIVEN a non-production environment WHEN asked for each kind THEN nothing is protected", () => {
    expect(KINDS.filter((k) => resourceOptions(k, { production: false }).protect)).toEqual([]);
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
