/**
 * The blob-container-per-tenant partition of a shared storage scope: the role assignment
 * carries an ABAC condition that lets its data actions touch only the container named after
 * the tenant. Conditions confine data actions only: control-plane actions (create or delete a
 * container, read keys) are not confined, so a role with any beyond reads is refused here.
 * Whether a user delegation SAS made with generateUserDelegationKey is held to the condition
 * is UNCONFIRMED: the SAS is still checked against the identity's roles, and the reach lists it.
 */

import type { AzureRoleDefinition } from "./azure-built-in-roles.ts";
import { azureActionMatches } from "./azure-roles.ts";

/** The data actions a container condition can confine: those on blobs of a container. */
const BLOB_DATA = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/";

/** Control-plane actions a container partition tolerates: reads, and the user delegation key. */
const TOLERATED = (action: string) =>
  action.toLowerCase().endsWith("/read") ||
  azureActionMatches(
    "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    action,
  );

/** Why `role` cannot be confined by a blob container condition; empty when it can. */
export function blobContainerPartitionProblems(role: AzureRoleDefinition): string[] {
  const problems: string[] = [];
  for (const action of role.actions.filter((a) => !TOLERATED(a)))
    problems.push(
      `${role.name} allows the control-plane action ${action}, which a container condition does not confine, so it reaches other tenants' containers in the shared scope: use a role with data actions only, such as Storage Blob Data Reader`,
    );
  for (const action of role.dataActions.filter((a) => !a.toLowerCase().startsWith(BLOB_DATA.toLowerCase())))
    problems.push(
      `${role.name} allows the data action ${action}, which is not on blobs of a container, so the container condition does not confine it: use a blob data role`,
    );
  if (role.dataActions.length === 0)
    problems.push(
      `${role.name} has no blob data actions, so a container partition gives it nothing to confine`,
    );
  return problems;
}

/**
 * The ABAC condition (version 2.0) confining `role`'s blob data actions to the container named
 * `tenantId`: each data action is allowed only when the container's name equals the tenant id.
 */
export function blobContainerCondition(role: AzureRoleDefinition, tenantId: string): string {
  const actions = role.dataActions.map((a) => `!(ActionMatches{'${a}'})`).join(" AND ");
  return `((${actions}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${tenantId}'))`;
}

/** The condition version Azure requires for the condition above. */
export const AZURE_CONDITION_VERSION = "2.0";
