// A dated snapshot of the Azure built-in roles this project judges: the ones the stacks,
// fixtures and tests assign, and the dangerous ones it must recognise to refuse. Role contents
// are not known offline and Microsoft changes them, so the snapshot says when and where it was
// taken; a role not listed here (custom roles included) is judged only from the actions the
// stack declares on its assignment (azure-roles.ts).
//
// Data only: refresh by copying `permissions[0]` of each role from the source's JSON blocks.

/** Where the snapshot was taken from. */
export const AZURE_BUILT_IN_ROLES_SOURCE =
  "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles";
// Generated from https://github.com/MicrosoftDocs/azure-docs/tree/main/articles/role-based-access-control/built-in-roles

/**
 * The pages' own date (ms.date of the generated built-in-roles pages) and the day they were read.
 * Every role was checked against the English pages' JSON in MicrosoftDocs/azure-docs
 * (articles/role-based-access-control/built-in-roles/{privileged,general,identity,storage,
 * security}.md): Privileged, Identity and Storage carry ms.date 07/01/2026; the copies of General
 * (Reader) and Security (Key Vault Contributor) read were an earlier revision (General 02/23/2026),
 * and those two roles are unchanged since.
 */
export const AZURE_BUILT_IN_ROLES_DATE = { published: "2026-07-01", retrieved: "2026-11-28" } as const;

/** One built-in role's permissions, as the role definition's JSON states them. */
export interface AzureRoleDefinition {
  readonly name: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly dataActions: readonly string[];
  readonly notDataActions: readonly string[];
}

const role = (
  name: string,
  actions: readonly string[],
  notActions: readonly string[] = [],
  dataActions: readonly string[] = [],
  notDataActions: readonly string[] = [],
): AzureRoleDefinition => ({ name, actions, notActions, dataActions, notDataActions });

/** The snapshot, by role definition GUID (the same in every Azure cloud). */
export const AZURE_BUILT_IN_ROLES: Readonly<Record<string, AzureRoleDefinition>> = {
  // General / Privileged
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": role("Owner", ["*"]),
  "b24988ac-6180-42a0-ab88-20f7382dd24c": role(
    "Contributor",
    ["*"],
    [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write",
      "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action",
      "Microsoft.Purview/consents/write",
      "Microsoft.Purview/consents/delete",
      "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
      "Microsoft.Subscription/cancel/action",
      "Microsoft.Subscription/enable/action",
    ],
  ),
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": role("Reader", ["*/read"]),
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": role("User Access Administrator", [
    "*/read",
    "Microsoft.Authorization/*",
    "Microsoft.Support/*",
  ]),
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": role("Role Based Access Control Administrator", [
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "*/read",
    "Microsoft.Support/*",
  ]),
  // Identity
  "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59": role("Managed Identity Contributor", [
    "Microsoft.ManagedIdentity/userAssignedIdentities/read",
    "Microsoft.ManagedIdentity/userAssignedIdentities/write",
    "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/read",
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
    "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete",
    "Microsoft.ManagedIdentity/userAssignedIdentities/revokeTokens/action",
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Support/*",
  ]),
  "f1a07417-d97a-45cb-824c-7a7467783830": role("Managed Identity Operator", [
    "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
    "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Support/*",
  ]),
  // Storage
  "17d1049b-9a84-46fb-8f53-869881c3d3ab": role("Storage Account Contributor", [
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Insights/diagnosticSettings/*",
    "Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action",
    "Microsoft.ResourceHealth/availabilityStatuses/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Storage/storageAccounts/*",
    "Microsoft.Support/*",
  ]),
  "c12c1c16-33a1-487b-954d-41c89c60f349": role("Reader and Data Access", [
    "Microsoft.Storage/storageAccounts/listKeys/action",
    "Microsoft.Storage/storageAccounts/ListAccountSas/action",
    "Microsoft.Storage/storageAccounts/read",
  ]),
  "81a9662b-bebf-436f-a333-f67b29880f12": role("Storage Account Key Operator Service Role", [
    "Microsoft.Storage/storageAccounts/listkeys/action",
    "Microsoft.Storage/storageAccounts/regeneratekey/action",
  ]),
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": role(
    "Storage Blob Data Owner",
    [
      "Microsoft.Storage/storageAccounts/blobServices/containers/*",
      "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ],
    [],
    ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
  ),
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": role(
    "Storage Blob Data Contributor",
    [
      "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/write",
      "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ],
    [],
    [
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
      // Appending blob content; on the English page of 07/01/2026, not on older localized copies.
      "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
    ],
  ),
  "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": role(
    "Storage Blob Data Reader",
    [
      "Microsoft.Storage/storageAccounts/blobServices/containers/read",
      "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ],
    [],
    ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
  ),
  // Security
  "f25e0fa2-a7c8-4377-a976-54943a77a395": role(
    "Key Vault Contributor",
    [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.KeyVault/*",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
    ],
    [
      "Microsoft.KeyVault/locations/deletedVaults/purge/action",
      "Microsoft.KeyVault/hsmPools/*",
      "Microsoft.KeyVault/managedHsms/*",
    ],
  ),
};
