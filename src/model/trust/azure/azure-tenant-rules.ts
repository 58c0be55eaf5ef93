/**
 * The rules that confine each tenant's Azure identity by construction: every tenant scope
 * pattern tells tenants apart and stays clear of the identities' resource group, no two
 * tenants' scopes overlap, shared scopes are partitioned and hold no tenant's own scope, and
 * each role assignment lies at or below its tenant's scopes (or a shared scope allowing its
 * role) with a role whose actions are known and cannot widen the identity's reach.
 */

import type { EnvironmentIssue } from "../../environment/errors.ts";
import type { Rule, RuleCheck } from "../../environment/rule.ts";
import { overlappingTenantPatterns, tenantPatternProblems } from "../tenant-patterns.ts";
import { azureEscalations, azureRolePermissions } from "./azure-roles.ts";
import {
  azureAssignmentPlace,
  azureIdentitiesScope,
  azureScopesOverlap,
  azureScopeUnder,
  azureTenantScopes,
  withSubscription,
} from "./azure-scopes.ts";
import { blobContainerPartitionProblems } from "./azure-shared.ts";

const FIX_SCOPES =
  "declare the tenant's own resource group under clouds.azure.tenantScopes (e.g. /subscriptions/{subscriptionId}/resourceGroups/acme-{env}-{tenant}) and move the resource into it";

type AzureConfig = NonNullable<Parameters<RuleCheck>[0]["clouds"]["azure"]>;

/** Why a tenant scope pattern cannot confine a tenant's identity; empty when it can. */
function tenantScopeProblems(pattern: string, azure: AzureConfig): string[] {
  const written = withSubscription(pattern, azure);
  const problems = tenantPatternProblems(written);
  if (written.includes("{workload}"))
    problems.push(
      "a tenant's Azure identity is shared by all its workloads, so {workload} cannot confine it: remove {workload}",
    );
  if (!written.toLowerCase().startsWith(`/subscriptions/${azure.subscriptionId}/resourcegroups/`))
    problems.push(
      `"${pattern}" is not a resource group or resource of the environment's subscription: start it with /subscriptions/{subscriptionId}/resourceGroups/`,
    );
  return problems;
}

const azureTenantScopeRules: RuleCheck = (config, envName) => {
  const azure = config.clouds.azure;
  if (!azure) return [];
  const issues: EnvironmentIssue[] = [];
  const identities = azureIdentitiesScope(azure);
  azure.tenantScopes.forEach((pattern, i) => {
    for (const message of tenantScopeProblems(pattern, azure))
      issues.push({ path: `clouds.azure.tenantScopes[${i}]`, message });
  });
  if (issues.length > 0) return issues;
  const scopes = azureTenantScopes(config, envName, azure);
  for (const s of scopes.filter((s) => azureScopesOverlap(s.pattern, identities)))
    issues.push({
      path: s.at.split(" ")[0] ?? "clouds.azure.tenantScopes",
      message: `${s.pattern} (${s.at}) overlaps ${identities}, the resource group of every tenant's managed identity: a tenant's scope holding it, or lying in it, would sit with the identities whose federated credentials decide whose tokens act as each tenant; give tenants their own resource groups`,
    });
  const lowered = scopes.map((s) => ({ ...s, pattern: `${s.pattern.toLowerCase()}/*` }));
  for (const { a, b } of overlappingTenantPatterns(lowered))
    issues.push({
      path: "clouds.azure.tenantScopes",
      message: `${a.pattern.slice(0, -2)} (${a.at}) and ${b.pattern.slice(0, -2)} (${b.at}) can hold the same resource (Azure compares ids case-insensitively), so a role on one reaches the other tenant: make the literal text before {tenant} the same in every pattern, or rename a tenant`,
    });
  azure.shared.forEach((entry, e) => {
    const at = `clouds.azure.shared[${e}]`;
    if (entry.partition === "none")
      issues.push({
        path: `${at}.partition`,
        message: `shared entry ${entry.name} has no partition: every tenant would reach every other tenant's data in it (cross-tenant reach, whatever its reason says); use blobContainerPerTenant, or give each tenant its own resource under tenantScopes`,
      });
    if (entry.partition !== "none")
      for (const tenant of config.tenants.filter((x) => x.id.includes("--")))
        issues.push({
          path: `${at}.partition`,
          message: `tenant ${tenant.id} cannot have a blob container named after it (container names hold no "--"), so shared entry ${entry.name} has no partition for it: rename the tenant`,
        });
    entry.scopes.forEach((raw, k) => {
      const scope = withSubscription(raw, azure);
      if (azureScopesOverlap(scope, identities))
        issues.push({
          path: `${at}.scopes[${k}]`,
          message: `${scope} overlaps ${identities}, the resource group of every tenant's managed identity: shared resources live in a resource group of their own`,
        });
      const owner = scopes.find((s) => azureScopesOverlap(scope, s.pattern));
      if (owner)
        issues.push({
          path: `${at}.scopes[${k}]`,
          message: `${scope} overlaps ${owner.tenant}'s own scope ${owner.pattern}: a tenant's resource is not shared; move it out of one or the other`,
        });
    });
    entry.roles.forEach((roleId, r) => {
      const role = azureRolePermissions(roleId);
      const path = `${at}.roles[${r}]`;
      if (!role)
        issues.push({
          path,
          message: `role ${roleId} is not in the built-in roles snapshot, so what it allows on a shared scope is unknown: use a built-in role the snapshot lists`,
        });
      else if (entry.partition !== "none" && "blobContainerPerTenant" in entry.partition)
        for (const message of blobContainerPartitionProblems(role)) issues.push({ path, message });
    });
  });
  return issues;
};

const azureRoleAssignmentRules: RuleCheck = (config, envName) => {
  const azure = config.clouds.azure;
  if (!azure) return [];
  const issues: EnvironmentIssue[] = [];
  const patternsOk = azure.tenantScopes.every((p) => tenantScopeProblems(p, azure).length === 0);
  const scopes = patternsOk ? azureTenantScopes(config, envName, azure) : [];
  const identities = azureIdentitiesScope(azure);
  config.tenants.forEach((tenant, t) => {
    tenant.azure?.roleAssignments.forEach((assignment, r) => {
      const at = `tenants[${t}].azure.roleAssignments[${r}]`;
      if (
        assignment.scope
          .split("/")
          .slice(1)
          .some((segment) => segment === "" || segment === "." || segment === "..")
      )
        issues.push({
          path: `${at}.scope`,
          message: `${assignment.scope} has an empty, "." or ".." segment: write the resource id as ARM returns it, one name per segment`,
        });
      const role = azureRolePermissions(assignment.roleDefinitionId, assignment);
      if (!role)
        issues.push({
          path: `${at}.roleDefinitionId`,
          message: `role ${assignment.roleDefinitionId} is not in the built-in roles snapshot, so what it lets ${tenant.id}'s identity do is unknown: use a built-in role it lists, or declare the role's actions (and dataActions) on the assignment`,
        });
      else
        for (const { action, why } of azureEscalations(role))
          issues.push({
            path: `${at}.roleDefinitionId`,
            message: `${role.name} allows ${action}: ${why}; a tenant's identity never holds it. Use a role without it, e.g. Storage Blob Data Reader (2a2b9908-6ea1-4ae2-8e65-a410df84e7d1)`,
          });
      // Outside the subscription: azureLimits (cloud-rules.ts) reports it.
      const inSubscription = assignment.scope
        .toLowerCase()
        .startsWith(`/subscriptions/${azure.subscriptionId}`);
      if (!patternsOk || !inSubscription) return;
      const place = azureAssignmentPlace(
        assignment.scope,
        assignment.roleDefinitionId,
        tenant.id,
        scopes,
        azure,
      );
      const what = `${role?.name ?? `role ${assignment.roleDefinitionId}`} at ${assignment.scope}`;
      if (place.kind === "identities")
        issues.push({
          path: `${at}.scope`,
          message: azureScopeUnder(assignment.scope, identities)
            ? `${what} lies in ${identities}, the resource group that holds every tenant's managed identity, not in one of ${tenant.id}'s own scopes, so nothing shows that what it reaches there is ${tenant.id}'s: ${FIX_SCOPES}`
            : `${what} holds ${identities}, so it reaches every tenant's managed identity (whose federated credentials decide whose tokens act as each tenant): ${FIX_SCOPES}`,
        });
      else if (place.kind === "outside") {
        const reach =
          place.others.length > 0
            ? `holds ${place.others.map((o) => `${o.tenant}'s ${o.pattern}`).join(", ")}`
            : "reaches resources no tenant owns";
        issues.push({
          path: `${at}.scope`,
          message: `${what} is under none of ${tenant.id}'s declared scopes nor a shared scope allowing this role, and ${reach}: ${FIX_SCOPES}, or declare it under clouds.azure.shared with its partition`,
        });
      }
    });
  });
  return issues;
};

/** The Azure tenant rules, in the order their findings are reported. */
export const AZURE_TENANT_RULES: readonly Rule[] = [
  { check: azureTenantScopeRules, reads: ["clouds.azure", "tenants"] },
  { check: azureRoleAssignmentRules, reads: ["clouds.azure", "tenants"] },
];
