import type { Environment } from "../../environment/environment.ts";
import type { AzureCloudConfig, TenantConfig } from "../../environment/schema.ts";
import { type AzureRolePermissions, azureRolePermissions } from "./azure-roles.ts";
import {
  type AzureAssignmentPlace,
  type AzureTenantScope,
  azureAssignmentPlace,
  azureTenantScopes,
} from "./azure-scopes.ts";
import { AZURE_CONDITION_VERSION, blobContainerCondition } from "./azure-shared.ts";

/**
 * The role assignments a tenant's identity is given, as the program creates them: each with
 * where its scope falls (own, shared, or refused by validation) and, on a shared scope
 * partitioned by blob container, the ABAC condition that confines it to the tenant's container.
 */
export interface AzureRoleAssignmentSpec {
  readonly roleDefinitionId: string;
  readonly scope: string;
  /** The role's name in the snapshot, or `role <guid>` for a declared one. */
  readonly roleName: string;
  /** What the role allows: the snapshot's, the declared actions, or undefined (unknown). */
  readonly role: AzureRolePermissions | undefined;
  readonly place: AzureAssignmentPlace;
  readonly condition?: string;
  readonly conditionVersion?: string;
}

/** Every tenant's scopes, once per environment (which never changes once parsed): the program asks per tenant. */
const TENANT_SCOPES = new WeakMap<Environment, readonly AzureTenantScope[]>();

function tenantScopesOf(env: Environment, azure: AzureCloudConfig): readonly AzureTenantScope[] {
  let scopes = TENANT_SCOPES.get(env);
  if (!scopes) {
    scopes = azureTenantScopes(env, env.name, azure);
    TENANT_SCOPES.set(env, scopes);
  }
  return scopes;
}

/**
 * The role assignments of `tenant`'s identity, in config order. `scopes`: every tenant's
 * instantiated scopes, when the caller has them already (one pass over many tenants).
 */
export function azureRoleAssignmentSpecs(
  env: Environment,
  tenant: TenantConfig,
  scopes?: readonly AzureTenantScope[],
): AzureRoleAssignmentSpec[] {
  const azure = env.clouds.azure;
  if (!azure) throw new Error("Azure is not on for this environment");
  const all = scopes ?? tenantScopesOf(env, azure);
  return (tenant.azure?.roleAssignments ?? []).map((a) => {
    const role = azureRolePermissions(a.roleDefinitionId, a);
    const place = azureAssignmentPlace(a.scope, a.roleDefinitionId, tenant.id, all, azure);
    const partitioned = place.kind === "shared" && place.entry.partition !== "none" && role !== undefined;
    return {
      roleDefinitionId: a.roleDefinitionId,
      scope: a.scope,
      roleName: role?.name ?? `role ${a.roleDefinitionId}`,
      role,
      place,
      ...(partitioned
        ? { condition: blobContainerCondition(role, tenant.id), conditionVersion: AZURE_CONDITION_VERSION }
        : {}),
    };
  });
}
