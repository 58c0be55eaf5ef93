import type { ResourceKind } from "../model/environment/resource-options.ts";

/**
 * The model's kind of each resource type the program registers: the key to its options
 * (resource-options.ts), which Pulumi's mocks cannot show. Providers and components have none.
 */
export const KIND_OF_TYPE: Readonly<Record<string, ResourceKind>> = {
  "auth0:index/resourceServer:ResourceServer": "api",
  "auth0:index/resourceServerScopes:ResourceServerScopes": "apiScopes",
  "auth0:index/client:Client": "client",
  "auth0:index/clientGrant:ClientGrant": "clientGrant",
  "auth0:index/clientCredentials:ClientCredentials": "clientCredentials",
  "auth0:index/action:Action": "action",
  "auth0:index/triggerActions:TriggerActions": "triggerBinding",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "awsOidcProvider",
  "aws:iam/role:Role": "awsRole",
  "aws:iam/rolePolicy:RolePolicy": "awsRolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "awsRolePolicy",
  "aws:iam/policy:Policy": "awsBoundary",
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": "gcpPool",
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": "gcpPoolProvider",
  "gcp:serviceaccount/account:Account": "gcpServiceAccount",
  "gcp:serviceaccount/iAMMember:IAMMember": "gcpIamMember",
  "gcp:storage/bucketIAMMember:BucketIAMMember": "gcpIamMember",
  "gcp:bigquery/datasetIamMember:DatasetIamMember": "gcpIamMember",
  "gcp:pubsub/topicIAMMember:TopicIAMMember": "gcpIamMember",
  "gcp:secretmanager/secretIamMember:SecretIamMember": "gcpIamMember",
  "azure-native:managedidentity:UserAssignedIdentity": "azureIdentity",
  "azure-native:managedidentity:FederatedIdentityCredential": "azureFederatedCredential",
  "azure-native:authorization:RoleAssignment": "azureRoleAssignment",
};

/** Kinds that carry trust: which token obtains which cloud identity. */
export const TRUST_KINDS: ReadonlySet<ResourceKind> = new Set([
  "awsOidcProvider",
  "awsRole",
  "gcpPool",
  "gcpPoolProvider",
  "azureFederatedCredential",
]);

/** Kinds that carry permissions: what an identity or client may do once it has it. */
export const PERMISSION_KINDS: ReadonlySet<ResourceKind> = new Set([
  "clientGrant",
  "awsRolePolicy",
  "awsBoundary",
  "gcpIamMember",
  "azureRoleAssignment",
]);
