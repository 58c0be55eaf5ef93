import type { Violation } from "../../src/model/trust/invariants.ts";
import type { PreviewResource } from "./preview-value.ts";
import { recordProp, stringProp, UNKNOWN } from "./preview-value.ts";
import { byClass, type StackTrust, type Unchecked, unchecked } from "./stack-artifacts.ts";

/**
 * Who may act as another tenant in Azure through grants the program does not generate: a role
 * assignment to a tenant's identity whose scope holds another tenant's identity, whose
 * federated credentials decide whose tokens act as it.
 */
export function azureEscalationViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
): { readonly violations: Violation[]; readonly unchecked: Unchecked[] } {
  const of = byClass(resources);
  const violations: Violation[] = [];
  const notKnown: Unchecked[] = [];
  const found = (subject: string, message: string) =>
    violations.push({ invariant: "tenant-isolation", subject, message });
  // A role assignment to a tenant's identity at a scope that holds another tenant's identity.
  const identities = of("azure-identity").flatMap((r) => {
    const tags = recordProp(r, "tags");
    const tenant = tags === UNKNOWN ? undefined : trust.identityTenants.get(`urn:${r.urn}`);
    const group = stringProp(r, "resourceGroupName");
    const name = stringProp(r, "resourceName") ?? stringProp(r, "name");
    return tenant && typeof group === "string" && typeof name === "string"
      ? [
          {
            tenant,
            path: [
              "resourcegroups",
              group,
              "providers",
              "microsoft.managedidentity",
              "userassignedidentities",
              name,
            ].map((s) => s.toLowerCase()),
          },
        ]
      : [];
  });
  for (const r of of("azure-role-assignment")) {
    const principal = stringProp(r, "principalId");
    const holder =
      typeof principal === "string"
        ? trust.identityTenants.get(principal.toLowerCase())
        : (r.dependsOn.principalId ?? []).map((d) => trust.identityTenants.get(`urn:${d.urn}`)).find(Boolean);
    const scope = stringProp(r, "scope");
    if (!holder) continue;
    if (typeof scope !== "string") {
      notKnown.push(unchecked(r, ["scope"], "the scope of a role assignment to a tenant identity"));
      continue;
    }
    const segments = scope.toLowerCase().split("/").filter(Boolean);
    // Above a subscription (management groups, the root) every identity is in scope.
    const rest = segments[0] === "subscriptions" ? segments.slice(2) : undefined;
    for (const other of identities.filter((i) => i.tenant !== holder)) {
      const covers = rest === undefined || rest.every((s, i) => other.path[i] === s);
      if (covers)
        found(
          `azure ${r.name} for ${holder}`,
          `its scope ${scope} holds the identity of ${other.tenant}, whose federated credentials decide whose tokens act as it`,
        );
    }
  }
  return { violations, unchecked: notKnown };
}
