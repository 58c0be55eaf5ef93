/** The shape of the Azure parts of `m2m:environment`: role assignments and the `clouds.azure` section. */

import { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const azureRoleAssignment = z.strictObject({
  /** A role definition GUID (built-in or custom). */
  roleDefinitionId: z.string().regex(UUID, { error: "roleDefinitionId must be a role definition GUID" }),
  /** A resource id under the environment's subscription. */
  scope: z.string().regex(/^\/subscriptions\/[0-9a-f-]{36}(\/[^\s]+)?$/, {
    error: "scope must be a resource id such as /subscriptions/<id>/resourceGroups/<name>",
  }),
  /**
   * The role's actions, for a role the built-in snapshot does not list (custom roles): without
   * them such a role is refused, its reach being unknown.
   */
  actions: z.array(z.string().min(1)).optional(),
  dataActions: z.array(z.string().min(1)).optional(),
});

/**
 * How tenants are kept apart inside a shared Azure scope: a blob container per tenant, named
 * the tenant id, enforced by an ABAC condition on the role assignment. `none` is accepted only
 * to be reported: without a partition every tenant reaches every other's data in it.
 */
const azurePartition = z.union([
  z.strictObject({ blobContainerPerTenant: z.literal(true) }),
  z.literal("none"),
]);

/** A scope several tenants' identities are assigned roles on, the roles allowed, and its partition. */
const azureShared = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, { error: "a shared entry's name is 1 to 64 of a-z, 0-9 and '-'" }),
  /** Resource ids (`{subscriptionId}` allowed, no other placeholder or wildcard). */
  scopes: z
    .array(
      z.string().regex(/^\/subscriptions\/([0-9a-f-]{36}|\{subscriptionId\})\/[^\s*?{}]+$/, {
        error: "a shared scope is a resource id below a subscription, without wildcards",
      }),
    )
    .min(1),
  /** The role definition GUIDs tenants may hold on it. */
  roles: z.array(z.string().regex(UUID, { error: "a shared role is a role definition GUID" })).min(1),
  partition: azurePartition,
  /** Why it is shared: kept for review, never a reason to skip the partition. */
  reason: z.string().min(1),
});

export const azureCloud = z.strictObject({
  subscriptionId: z.string().regex(UUID, { error: "Azure subscriptionId must be a lowercase GUID" }),
  /** The Entra ID (directory) tenant id. */
  tenantId: z.string().regex(UUID, { error: "Azure tenantId must be a lowercase GUID" }),
  resourceGroup: z.string().regex(/^[-\w.()]{0,89}[-\w()]$/, {
    error: "resourceGroup must be 1 to 90 of letters, digits, -_.() not ending with '.'",
  }),
  location: z
    .string()
    .regex(/^[a-z0-9]{3,40}$/, { error: "location must be an Azure region name such as westeurope" }),
  /**
   * Scope patterns of each tenant's own resource groups or resources, with `{subscriptionId}`,
   * `{env}` and `{tenant}` (`/subscriptions/{subscriptionId}/resourceGroups/{env}_{tenant}`).
   * A tenant identity's role assignments must lie at or below its own scopes (or a shared one).
   */
  tenantScopes: z.array(z.string().min(1)).default([]),
  /** Scopes several tenants use, each with the roles allowed and the partition that keeps tenants apart. */
  shared: z.array(azureShared).default([]),
});
