/**
 * Azure scopes as the model reasons about them. A role assignment reaches everything under its
 * scope (subscription > resource group > resource), and ARM compares resource ids
 * case-insensitively (it returns `resourcegroups`), so every comparison here is on lower-cased
 * ids, segment by segment: a scope is under another when the other's segments are a prefix of
 * its own. Tenant scopes are patterns (`/subscriptions/{subscriptionId}/resourceGroups/{env}_{tenant}`);
 * what lies under a pattern `P` is what matches `P` or `P/*`.
 */

import type { AzureCloudConfig, EnvironmentConfig } from "../../environment/schema.ts";
import { globsIntersect, instantiatePattern } from "../tenant-patterns.ts";

type AzureConfig = Pick<AzureCloudConfig, "subscriptionId" | "resourceGroup" | "tenantScopes" | "shared">;

/** A scope or scope pattern as compared: lower case, no trailing '/'. */
export function azureScopeKey(scope: string): string {
  return scope.toLowerCase().replace(/\/+$/, "");
}

/** Whether something lies under both scopes or patterns: one holds the other, or they overlap. */
export function azureScopesOverlap(a: string, b: string): boolean {
  const x = azureScopeKey(a);
  const y = azureScopeKey(b);
  // Two literal ids: one holds the other exactly when its segments are a prefix of the other's.
  if (!/[*?]/.test(x + y)) return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
  return globsIntersect(`${x}/*`, `${y}/*`);
}

/** Whether the literal `scope` is at or below `pattern`: some leading run of its segments matches it. */
export function azureScopeUnder(scope: string, pattern: string): boolean {
  const id = azureScopeKey(scope);
  const key = azureScopeKey(pattern);
  const wildcard = key.search(/[*?]/);
  // Most patterns are literal once instantiated: a prefix of whole segments, no glob needed.
  if (wildcard < 0) return id === key || id.startsWith(`${key}/`);
  if (!id.startsWith(key.slice(0, wildcard))) return false;
  const segments = id.split("/");
  return segments.some((_, i) => i > 0 && globsIntersect(key, segments.slice(0, i + 1).join("/")));
}

/** The resource group where every tenant's managed identity lives. */
export function azureIdentitiesScope(
  azure: Pick<AzureCloudConfig, "subscriptionId" | "resourceGroup">,
): string {
  return `/subscriptions/${azure.subscriptionId}/resourceGroups/${azure.resourceGroup}`;
}

/** A scope written with `{subscriptionId}`, with the stack's subscription in its place. */
export function withSubscription(scope: string, azure: Pick<AzureCloudConfig, "subscriptionId">): string {
  return scope.replaceAll("{subscriptionId}", azure.subscriptionId);
}

/** One tenant's instantiated scope pattern, with where it is declared. */
export interface AzureTenantScope {
  readonly tenant: string;
  readonly pattern: string;
  readonly at: string;
}

/** Every tenant's instantiated scopes, in config order. */
export function azureTenantScopes(
  config: Pick<EnvironmentConfig, "tenants">,
  envName: string,
  azure: AzureConfig,
): AzureTenantScope[] {
  return config.tenants.flatMap((tenant, t) =>
    azure.tenantScopes.map((pattern, i) => ({
      tenant: tenant.id,
      pattern: instantiatePattern(withSubscription(pattern, azure), { env: envName, tenant: tenant.id }),
      at: `clouds.azure.tenantScopes[${i}] for tenants[${t}] (${tenant.id})`,
    })),
  );
}

/** Where a role assignment's scope falls, which decides whether it is allowed. */
export type AzureAssignmentPlace =
  /** At, above or inside the identities' resource group. */
  | { readonly kind: "identities" }
  /** At or below one of its tenant's own scopes. */
  | { readonly kind: "own"; readonly pattern: string }
  /** At or below a shared entry's scope that allows its role. */
  | { readonly kind: "shared"; readonly entry: AzureConfig["shared"][number]; readonly scope: string }
  /** Anywhere else: what else lies under it, for the message. */
  | { readonly kind: "outside"; readonly others: readonly AzureTenantScope[] };

/** Where the assignment of `roleDefinitionId` at `scope` to tenant `tenantId`'s identity falls. */
export function azureAssignmentPlace(
  scope: string,
  roleDefinitionId: string,
  tenantId: string,
  scopes: readonly AzureTenantScope[],
  azure: AzureConfig,
): AzureAssignmentPlace {
  if (azureScopesOverlap(scope, azureIdentitiesScope(azure))) return { kind: "identities" };
  const own = scopes.find((s) => s.tenant === tenantId && azureScopeUnder(scope, s.pattern));
  if (own) return { kind: "own", pattern: own.pattern };
  for (const entry of azure.shared) {
    if (!entry.roles.some((r) => r.toLowerCase() === roleDefinitionId.toLowerCase())) continue;
    const at = entry.scopes.map((s) => withSubscription(s, azure)).find((s) => azureScopeUnder(scope, s));
    if (at) return { kind: "shared", entry, scope: at };
  }
  return {
    kind: "outside",
    others: scopes.filter((s) => s.tenant !== tenantId && azureScopesOverlap(scope, s.pattern)),
  };
}
