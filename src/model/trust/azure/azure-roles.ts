/**
 * What a role lets a tenant's identity do, judged from the dated snapshot of built-in roles or,
 * for any other role, from the actions the stack declares on the assignment. A role is refused
 * when it lets the identity widen its own reach or act as someone else: write role assignments,
 * write federated credentials (whose tokens act as an identity), assign an identity to a
 * resource it controls, read storage account keys (full access beyond any role or condition),
 * or rewrite a vault's access policies.
 */

import { globsIntersect } from "../tenant-patterns.ts";
import { AZURE_BUILT_IN_ROLES, type AzureRoleDefinition } from "./azure-built-in-roles.ts";

/** The actions of a role that let its holder escape its role assignments, and why. */
export const AZURE_ESCALATING_ACTIONS: readonly { readonly action: string; readonly why: string }[] = [
  {
    action: "Microsoft.Authorization/roleAssignments/write",
    why: "it writes role assignments, so it can grant itself any role anywhere its scope reaches",
  },
  {
    action: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
    why: "it writes federated credentials, which decide whose tokens act as an identity",
  },
  {
    action: "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action",
    why: "it assigns identities to resources it controls, and so acts as them",
  },
  {
    action: "Microsoft.Storage/storageAccounts/listKeys/action",
    why: "it reads storage account keys, which give full access to the account's data past any role or condition",
  },
  {
    action: "Microsoft.Storage/storageAccounts/ListAccountSas/action",
    why: "it makes account SAS tokens signed with the account key, which give access past any role or condition",
  },
  {
    action: "Microsoft.Storage/storageAccounts/regeneratekey/action",
    why: "it regenerates storage account keys and receives them, which give full access to the account's data",
  },
  {
    action: "Microsoft.KeyVault/vaults/write",
    why: "on a vault using access policies it lets the identity grant itself any key, secret or certificate",
  },
  {
    action: "Microsoft.KeyVault/vaults/accessPolicies/write",
    why: "on a vault using access policies it lets the identity grant itself any key, secret or certificate",
  },
];

/** The permissions an assignment is judged by, and where they come from. */
export interface AzureRolePermissions extends AzureRoleDefinition {
  /** `snapshot` (built-in, from the dated snapshot) or `declared` (from the stack). */
  readonly source: "snapshot" | "declared";
}

/** The snapshot's roles as permissions, one object per role (so what is judged of it is kept). */
const SNAPSHOT = new Map(
  Object.entries(AZURE_BUILT_IN_ROLES).map(([id, r]): [string, AzureRolePermissions] => [
    id,
    { ...r, source: "snapshot" },
  ]),
);

/**
 * The permissions of `roleDefinitionId`: the snapshot's for a built-in role it lists, else the
 * actions declared on the assignment, else undefined (unknown: refused).
 */
export function azureRolePermissions(
  roleDefinitionId: string,
  declared?: { readonly actions?: readonly string[]; readonly dataActions?: readonly string[] },
): AzureRolePermissions | undefined {
  const known = SNAPSHOT.get(roleDefinitionId.toLowerCase());
  if (known) return known;
  if (declared?.actions === undefined && declared?.dataActions === undefined) return undefined;
  return {
    name: `role ${roleDefinitionId}`,
    actions: declared.actions ?? [],
    notActions: [],
    dataActions: declared.dataActions ?? [],
    notDataActions: [],
    source: "declared",
  };
}

/**
 * Whether an Azure action pattern matches an action: case-insensitive, `*` any run; a segment
 * that is only `*` may also match no segment (Managed Identity Operator grants
 * `userAssignedIdentities/assign/action` through `userAssignedIdentities/STAR/assign/action`).
 * Errs towards matching.
 */
export function azureActionMatches(pattern: string, action: string): boolean {
  const p = pattern.toLowerCase();
  const a = action.toLowerCase();
  return globsIntersect(p, a) || (p.includes("/*/") && globsIntersect(p.replaceAll("/*/", "/"), a));
}

/** Whether a role's actions allow `action`: some action matches it and no NotAction does. */
export function azureRoleAllows(role: AzureRoleDefinition, action: string): boolean {
  return (
    role.actions.some((p) => azureActionMatches(p, action)) &&
    !role.notActions.some((p) => azureActionMatches(p, action))
  );
}

/** Escalations already found, by role object: the snapshot's roles are judged once. */
const judged = new WeakMap<AzureRoleDefinition, readonly { action: string; why: string }[]>();

/** The escalating actions a role allows, each with why it is refused; empty when none. */
export function azureEscalations(role: AzureRoleDefinition): readonly { action: string; why: string }[] {
  const known = judged.get(role);
  if (known) return known;
  const found = AZURE_ESCALATING_ACTIONS.filter((e) => azureRoleAllows(role, e.action));
  judged.set(role, found);
  return found;
}
