// The environments the program bench runs: `tenants` tenants of one workload each, the workload
// granted the AWS, GCP and Azure APIs and using each (an AWS role with a managed and an inline
// policy under its tenant's boundary, a GCP binding on its tenant's own bucket, an Azure
// federated credential on its tenant's identity with one role assignment on its tenant's own
// resource group). One tenant in ten of the first 1,000 also has a GCP service account of its
// own, with a role on its own dataset, which its workload impersonates.
//
// Shaped to stay inside the validated ceilings at their defaults: the AWS API uses the rfc9068
// dialect, so the IAM OIDC provider lists only its identifier (not one client id per workload,
// 100 at most); at most 1,000 AWS workloads (IAM roles per account) and 100 tenant service
// accounts (per GCP project); tenant ids of letters and digits (BigQuery dataset ids take no '-').

/** The most tenants that may use AWS in one stack: the account's IAM role quota (1,000 by default). */
export const AWS_TENANTS_PER_ACCOUNT = 1_000;

/** The AWS account of the bench stacks, whose ARNs the mocks make up. */
export const BENCH_AWS_ACCOUNT = "123456789012";

const SUBSCRIPTION = "11111111-1111-4111-8111-111111111111";

/**
 * A raw `m2m:environment` of `tenants` tenants. Every tenant uses GCP and Azure; the first
 * `awsTenants` also use AWS (all of them by default).
 */
export function benchEnvironment(tenants: number, awsTenants = tenants): Record<string, unknown> {
  return {
    auth0: { domain: "acme-bench.eu.auth0.com", plan: "enterprise" },
    claimNamespace: "https://claims.acme.example/",
    apis: [
      {
        key: "orders",
        identifier: "https://orders.api.acme.example",
        name: "Orders API",
        scopes: [{ value: "orders:read", description: "Read orders" }],
      },
      {
        key: "aws",
        identifier: "https://aws.m2m.acme.example",
        name: "AWS",
        tokenLifetime: 3600,
        tokenDialect: "rfc9068_profile",
        cloud: "aws",
        scopes: [{ value: "aws:federate" }],
      },
      {
        key: "gcp",
        identifier: "https://gcp.m2m.acme.example",
        name: "GCP",
        tokenLifetime: 3600,
        cloud: "gcp",
        scopes: [{ value: "gcp:federate" }],
      },
      {
        key: "azure",
        identifier: "api://AzureADTokenExchange",
        name: "Azure",
        tokenLifetime: 3600,
        cloud: "azure",
        scopes: [{ value: "azure:federate" }],
      },
    ],
    clouds: {
      aws: {
        accountId: BENCH_AWS_ACCOUNT,
        region: "eu-west-1",
        transitiveTagKeys: ["tenant_id"],
        tenantResources: ["arn:aws:s3:::acme-{env}-{tenant}", "arn:aws:s3:::acme-{env}-{tenant}/*"],
      },
      gcp: {
        projectId: "acme-m2m-bench",
        projectNumber: "123456789011",
        tenantResources: { buckets: ["acme-{env}-{tenant}_*"], datasets: ["{env}_{tenant}"] },
      },
      azure: {
        subscriptionId: SUBSCRIPTION,
        tenantId: "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
        resourceGroup: "m2m-bench",
        location: "westeurope",
        tenantScopes: ["/subscriptions/{subscriptionId}/resourceGroups/acme-{env}-{tenant}"],
      },
    },
    tenants: Array.from({ length: tenants }, (_, i) => benchTenant(i, i < awsTenants)),
    credentialsExchange: { bindings: [{ action: "tenant-claims" }] },
  };
}

function benchTenant(i: number, aws: boolean): Record<string, unknown> {
  const id = `tenant${i}`;
  // 100 service accounts at most: the project's default quota.
  const impersonates = i < 1_000 && i % 10 === 0;
  return {
    id,
    ...(impersonates
      ? { gcp: { serviceAccountRoles: [{ role: "roles/bigquery.dataViewer", dataset: `bench_${id}` }] } }
      : {}),
    azure: {
      roleAssignments: [
        {
          // Storage Blob Data Reader, on the tenant's own resource group
          roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
          scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/acme-bench-${id}`,
        },
      ],
    },
    workloads: [
      {
        name: "app",
        grants: [
          { api: "orders", scopes: ["orders:read"] },
          ...(aws ? [{ api: "aws", scopes: ["aws:federate"] }] : []),
          { api: "gcp", scopes: ["gcp:federate"] },
          { api: "azure", scopes: ["azure:federate"] },
        ],
        ...(aws
          ? {
              aws: {
                managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
                inlinePolicy: {
                  Version: "2012-10-17",
                  Statement: [
                    {
                      Effect: "Allow",
                      Action: ["s3:GetObject"],
                      Resource: `arn:aws:s3:::acme-bench-${id}/*`,
                    },
                  ],
                },
              },
            }
          : {}),
        gcp: {
          roles: [{ role: "roles/storage.objectViewer", bucket: `acme-bench-${id}_data` }],
          ...(impersonates ? { impersonateServiceAccount: true } : {}),
        },
      },
    ],
  };
}
