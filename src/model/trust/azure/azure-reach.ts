/**
 * What each tenant's Azure identity reaches: a role assignment reaches everything under its
 * scope (subscription > resource group > resource), so the check is on scopes, compared
 * case-insensitively segment by segment. Proven directly from each assignment's scope, not from
 * how validation classified it: none may hold or lie in another tenant's declared scopes or the
 * identities' resource group, none may use a shared scope without partition, none may carry a
 * role that widens its own reach; and each identity's reach of its own scopes is shown.
 */

import { usesCloud, workloadsUsing } from "../../environment/clouds.ts";
import type { Environment } from "../../environment/environment.ts";
import type { ReachEntry, ReachFinding } from "../reach.ts";
import { overlappingTenantPatterns } from "../tenant-patterns.ts";
import { type AzureRoleAssignmentSpec, azureRoleAssignmentSpecs } from "./azure-assignments.ts";
import { azureEscalations } from "./azure-roles.ts";
import {
  type AzureTenantScope,
  azureIdentitiesScope,
  azureScopeKey,
  azureScopesOverlap,
  azureTenantScopes,
} from "./azure-scopes.ts";

/** An assignment's scope, or a tenant's declared scope, as the overlap scan compares them. */
type ScanEntry =
  | {
      readonly tenant: string;
      readonly pattern: string;
      readonly at: string;
      readonly scope: AzureTenantScope;
    }
  | {
      readonly tenant: string;
      readonly pattern: string;
      readonly at: string;
      readonly spec: AzureRoleAssignmentSpec;
    };

/**
 * Each assignment's scope with the other tenants' declared scopes it overlaps, found by one
 * literal-prefix scan (overlappingTenantPatterns) rather than every assignment against every
 * tenant's scopes: near-linear when tenants' scopes have distinct prefixes.
 */
function othersReached(
  specs: ReadonlyMap<string, readonly AzureRoleAssignmentSpec[]>,
  scopes: readonly AzureTenantScope[],
): Map<AzureRoleAssignmentSpec, AzureTenantScope[]> {
  const under = (scope: string) => `${azureScopeKey(scope)}/*`;
  const entries: ScanEntry[] = [
    ...scopes.map((scope) => ({ tenant: scope.tenant, pattern: under(scope.pattern), at: scope.at, scope })),
    ...[...specs].flatMap(([tenant, list]) =>
      list.map((spec) => ({ tenant, pattern: under(spec.scope), at: spec.scope, spec })),
    ),
  ];
  const reached = new Map<AzureRoleAssignmentSpec, AzureTenantScope[]>();
  for (const { a, b } of overlappingTenantPatterns(entries)) {
    const [assignment, declared] = "spec" in a ? [a, b] : [b, a];
    if (!("spec" in assignment) || !("scope" in declared)) continue;
    reached.set(assignment.spec, [...(reached.get(assignment.spec) ?? []), declared.scope]);
  }
  return reached;
}

/** What one assignment reaches beyond its tenant, one message each. */
function assignmentFindings(
  identities: string,
  spec: AzureRoleAssignmentSpec,
  others: readonly AzureTenantScope[],
): string[] {
  const through = `through ${spec.roleName} at ${spec.scope}`;
  const messages: string[] = [];
  if (azureScopesOverlap(spec.scope, identities))
    messages.push(`reaches into ${identities}, where every tenant's managed identity lives, ${through}`);
  for (const other of others) messages.push(`reaches ${other.pattern} of ${other.tenant} ${through}`);
  if (spec.place.kind === "shared" && spec.place.entry.partition === "none")
    messages.push(
      `reaches every tenant's data in shared entry ${spec.place.entry.name} (${spec.place.scope}), which has no partition, ${through}`,
    );
  if (spec.place.kind === "outside" && spec.place.others.length === 0)
    messages.push(
      `reaches ${spec.scope}, under none of its own or shared scopes, so whose resources lie there is unproven, ${through}`,
    );
  for (const { action, why } of spec.role ? azureEscalations(spec.role) : [])
    messages.push(`can widen its own reach ${through}: ${spec.roleName} allows ${action} (${why})`);
  if (!spec.role)
    messages.push(`holds role ${spec.roleDefinitionId}, whose actions are unknown, at ${spec.scope}`);
  return messages;
}

/**
 * The cross-tenant reach of every tenant identity (one per tenant with an Azure workload), and
 * each identity whose reach of its tenant's declared scopes is not shown (no assignment at or
 * below them). Empty when Azure is off.
 */
export function azureReachFindings(env: Environment): ReachFinding[] {
  const azure = env.clouds.azure;
  if (!azure) return [];
  const scopes = azureTenantScopes(env, env.name, azure);
  const identities = azureIdentitiesScope(azure);
  const tenants = env.tenants.filter((t) => t.workloads.some((w) => usesCloud(env, w, "azure")));
  const specs = new Map(tenants.map((t) => [t.id, azureRoleAssignmentSpecs(env, t, scopes)]));
  const reached = othersReached(specs, scopes);
  const own = new Map<string, AzureTenantScope[]>();
  for (const s of scopes) own.set(s.tenant, [...(own.get(s.tenant) ?? []), s]);
  const findings: ReachFinding[] = [];
  for (const [tenant, list] of specs) {
    const subject = `azure identity of ${tenant}`;
    for (const spec of list)
      for (const message of assignmentFindings(identities, spec, reached.get(spec) ?? []))
        findings.push({ kind: "tenant-reach", subject, message });
    const mine = own.get(tenant) ?? [];
    if (mine.length > 0 && !list.some((s) => s.place.kind === "own"))
      findings.push({
        kind: "own-reach-unproven",
        subject,
        message: `none of its role assignments lies at or below its own scopes (${mine.map((s) => s.pattern).join(", ")})`,
      });
  }
  return findings;
}

/** What each Azure workload reaches through its tenant identity's role assignments, shared access marked. */
export function azureWorkloadReach(env: Environment): ReachEntry[] {
  if (!env.clouds.azure) return [];
  const scopes = azureTenantScopes(env, env.name, env.clouds.azure);
  const specs = new Map(env.tenants.map((t) => [t.id, azureRoleAssignmentSpecs(env, t, scopes)]));
  return workloadsUsing(env, "azure").flatMap(({ tenant, workload }) =>
    (specs.get(tenant.id) ?? []).map(
      (spec): ReachEntry => ({
        cloud: "azure",
        tenantId: tenant.id,
        workload: workload.name,
        resource: spec.scope,
        access: spec.condition
          ? `${spec.roleName}, blob data only in container '${tenant.id}' (ABAC condition; control-plane reads not confined)`
          : spec.roleName,
        ...(spec.place.kind === "shared" ? { shared: spec.place.entry.name } : {}),
      }),
    ),
  );
}
