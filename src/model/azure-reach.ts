import { type AzureRoleAssignmentSpec, azureRoleAssignmentSpecs } from "./azure-assignments.ts";
import { azureEscalations, azureRolePermissions } from "./azure-roles.ts";
import { azureIdentitiesScope, azureScopesOverlap, azureTenantScopes } from "./azure-scopes.ts";
import { usesCloud, workloadsUsing } from "./clouds.ts";
import type { Environment } from "./environment.ts";
import type { ReachEntry, ReachFinding } from "./reach.ts";

/**
 * What each tenant's Azure identity reaches: a role assignment reaches everything under its
 * scope (subscription > resource group > resource), so the check is on scopes, compared
 * case-insensitively segment by segment. Proven directly from each assignment's scope, not from
 * how validation classified it: none may hold or lie in another tenant's declared scopes or the
 * identities' resource group, none may use a shared scope without partition, none may carry a
 * role that widens its own reach; and each identity's reach of its own scopes is shown.
 */

function assignmentFindings(
  env: Environment,
  tenantId: string,
  spec: AzureRoleAssignmentSpec,
  scopes: ReturnType<typeof azureTenantScopes>,
): string[] {
  const azure = env.clouds.azure;
  if (!azure) return [];
  const through = `through ${spec.roleName} at ${spec.scope}`;
  const messages: string[] = [];
  const identities = azureIdentitiesScope(azure);
  if (azureScopesOverlap(spec.scope, identities))
    messages.push(`reaches into ${identities}, where every tenant's managed identity lives, ${through}`);
  for (const other of scopes.filter(
    (s) => s.tenant !== tenantId && azureScopesOverlap(spec.scope, s.pattern),
  ))
    messages.push(`reaches ${other.pattern} of ${other.tenant} ${through}`);
  if (spec.place.kind === "shared" && spec.place.entry.partition === "none")
    messages.push(
      `reaches every tenant's data in shared entry ${spec.place.entry.name} (${spec.place.scope}), which has no partition, ${through}`,
    );
  if (spec.place.kind === "outside" && spec.place.others.length === 0)
    messages.push(
      `reaches ${spec.scope}, under none of its own or shared scopes, so whose resources lie there is unproven, ${through}`,
    );
  const role = azureRolePermissions(spec.roleDefinitionId, declaredOf(env, tenantId, spec));
  for (const { action, why } of role ? azureEscalations(role) : [])
    messages.push(`can widen its own reach ${through}: ${role?.name} allows ${action} (${why})`);
  if (!role)
    messages.push(`holds role ${spec.roleDefinitionId}, whose actions are unknown, at ${spec.scope}`);
  return messages;
}

/** The actions a stack declares on the assignment behind `spec`, for roles outside the snapshot. */
function declaredOf(env: Environment, tenantId: string, spec: AzureRoleAssignmentSpec) {
  const tenant = env.tenants.find((t) => t.id === tenantId);
  return tenant?.azure?.roleAssignments.find(
    (a) => a.roleDefinitionId === spec.roleDefinitionId && a.scope === spec.scope,
  );
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
  const findings: ReachFinding[] = [];
  for (const tenant of env.tenants.filter((t) => t.workloads.some((w) => usesCloud(env, w, "azure")))) {
    const subject = `azure identity of ${tenant.id}`;
    const specs = azureRoleAssignmentSpecs(env, tenant);
    for (const spec of specs)
      for (const message of assignmentFindings(env, tenant.id, spec, scopes))
        findings.push({ kind: "tenant-reach", subject, message });
    const own = scopes.filter((s) => s.tenant === tenant.id);
    if (own.length > 0 && !specs.some((s) => s.place.kind === "own"))
      findings.push({
        kind: "own-reach-unproven",
        subject,
        message: `none of its role assignments lies at or below its own scopes (${own.map((s) => s.pattern).join(", ")})`,
      });
  }
  return findings;
}

/** What each Azure workload reaches through its tenant identity's role assignments, shared access marked. */
export function azureWorkloadReach(env: Environment): ReachEntry[] {
  if (!env.clouds.azure) return [];
  const specs = new Map(env.tenants.map((t) => [t.id, azureRoleAssignmentSpecs(env, t)]));
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
