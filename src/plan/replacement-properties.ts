// The input properties whose change makes Pulumi replace a resource (delete and create) rather
// than update it, per resource type the program registers. Mocks cannot show replacements, so
// this one table is where the plan and `m2m diff` read them. Each row names its source: the
// provider's documentation of the argument ("Forces new resource", ForceNew in the bridged
// Terraform schema), or, for azure-native, the resource id's path segments (the provider replaces
// a resource whose id changes). A property left out is an update.

/** One row: the properties and where that they replace is documented. */
export interface ReplacementRow {
  readonly properties: readonly string[];
  readonly source: string;
}

/** Type token -> the properties that force its replacement. */
export const REPLACEMENT_PROPERTIES: Readonly<Record<string, ReplacementRow>> = {
  "auth0:index/resourceServer:ResourceServer": {
    properties: ["identifier"],
    source:
      "@pulumi/auth0 ResourceServer.identifier: 'Cannot be changed once set' (resourceServer.d.ts); registry.terraform.io/providers/auth0/auth0/latest/docs/resources/resource_server",
  },
  "auth0:index/client:Client": {
    properties: [],
    source:
      "registry.terraform.io/providers/auth0/auth0/latest/docs/resources/client (no argument forces a new client)",
  },
  "auth0:index/action:Action": {
    properties: [],
    source:
      "registry.terraform.io/providers/auth0/auth0/latest/docs/resources/action (code changes deploy a new version in place)",
  },
  "auth0:index/resourceServerScopes:ResourceServerScopes": {
    properties: ["resourceServerIdentifier"],
    source: "registry.terraform.io/providers/auth0/auth0/latest/docs/resources/resource_server_scopes",
  },
  "auth0:index/clientGrant:ClientGrant": {
    properties: ["clientId", "audience"],
    source: "registry.terraform.io/providers/auth0/auth0/latest/docs/resources/client_grant",
  },
  "auth0:index/clientCredentials:ClientCredentials": {
    properties: ["clientId"],
    source: "registry.terraform.io/providers/auth0/auth0/latest/docs/resources/client_credentials",
  },
  "auth0:index/triggerActions:TriggerActions": {
    properties: ["trigger"],
    source: "registry.terraform.io/providers/auth0/auth0/latest/docs/resources/trigger_actions",
  },
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
    properties: ["url"],
    source:
      "registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_openid_connect_provider (url: Forces new resource)",
  },
  "aws:iam/role:Role": {
    properties: ["name", "namePrefix", "path"],
    source:
      "registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role (name, name_prefix, path: Forces new resource)",
  },
  "aws:iam/policy:Policy": {
    properties: ["name", "namePrefix", "path", "description"],
    source:
      "registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_policy (name, name_prefix, path, description: Forces new resource)",
  },
  "aws:iam/rolePolicy:RolePolicy": {
    properties: ["name", "namePrefix", "role"],
    source: "registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy",
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    properties: ["role", "policyArn"],
    source: "registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role_policy_attachment",
  },
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": {
    properties: ["workloadIdentityPoolId", "project"],
    source:
      "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/iam_workload_identity_pool (workload_identity_pool_id, project: immutable)",
  },
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": {
    properties: ["workloadIdentityPoolId", "workloadIdentityPoolProviderId", "project"],
    source:
      "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/iam_workload_identity_pool_provider",
  },
  "gcp:serviceaccount/account:Account": {
    properties: ["accountId", "project"],
    source:
      "@pulumi/gcp serviceaccount.Account.accountId: 'Changing this forces a new service account to be created' (account.d.ts)",
  },
  "gcp:serviceaccount/iAMMember:IAMMember": {
    properties: ["serviceAccountId", "role", "member", "condition"],
    source:
      "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/google_service_account_iam (every argument of _iam_member is immutable)",
  },
  "gcp:storage/bucketIAMMember:BucketIAMMember": {
    properties: ["bucket", "role", "member", "condition"],
    source: "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/storage_bucket_iam",
  },
  "gcp:bigquery/datasetIamMember:DatasetIamMember": {
    properties: ["datasetId", "project", "role", "member", "condition"],
    source: "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/bigquery_dataset_iam",
  },
  "gcp:pubsub/topicIAMMember:TopicIAMMember": {
    properties: ["topic", "project", "role", "member", "condition"],
    source: "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/pubsub_topic_iam",
  },
  "gcp:secretmanager/secretIamMember:SecretIamMember": {
    properties: ["secretId", "project", "role", "member", "condition"],
    source:
      "registry.terraform.io/providers/hashicorp/google/latest/docs/resources/secret_manager_secret_iam",
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    properties: ["resourceGroupName", "resourceName"],
    source:
      "azure-native: path segments of the id /subscriptions/{}/resourceGroups/{resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
  },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    properties: ["resourceGroupName", "resourceName", "federatedIdentityCredentialResourceName"],
    source:
      "azure-native: path segments of the id .../userAssignedIdentities/{resourceName}/federatedIdentityCredentials/{federatedIdentityCredentialResourceName}",
  },
  "azure-native:authorization:RoleAssignment": {
    properties: ["scope", "roleAssignmentName"],
    source:
      "azure-native: path segments of the id {scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
  },
};

/** The properties of a `type` whose change replaces it; none for a type the table lacks. */
export function replacingProperties(type: string): readonly string[] {
  return REPLACEMENT_PROPERTIES[type]?.properties ?? [];
}
