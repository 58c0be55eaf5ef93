import { type Environment, parseEnvironment } from "../src/model/environment/environment.ts";

const SUBSCRIPTION = "11111111-1111-4111-8111-111111111111";

/**
 * A valid environment of `count` tenants with AWS, GCP and Azure on, as written in a stack file:
 * every tenant with one workload in each cloud (an AWS inline policy on its own bucket and an AWS
 * managed policy; a GCP binding on its own bucket and, for one tenant in ten (a project holds 100
 * service accounts by default), one on its own dataset through its impersonated service account;
 * an Azure assignment on its own resource group), its own resource patterns, and AWS shared
 * entries (an S3 prefix, DynamoDB leading keys). Resource names follow the stack `env`.
 */
export function generatedRaw(count: number, env = "bench") {
  return {
    auth0: { domain: "acme-bench.eu.auth0.com", plan: "enterprise" },
    claimNamespace: "https://claims.acme.example/",
    apis: [
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
        accountId: "123456789012",
        region: "eu-west-1",
        tenantResources: ["arn:aws:s3:::acme-{env}-{tenant}", "arn:aws:s3:::acme-{env}-{tenant}/*"],
        shared: [
          {
            name: "exports",
            resources: ["arn:aws:s3:::acme-shared-exports"],
            actions: ["s3:GetObject", "s3:PutObject"],
            partition: { s3Prefix: true },
            reason: "one bucket for every tenant's exports",
          },
          {
            name: "orders",
            resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"],
            actions: ["dynamodb:GetItem", "dynamodb:Query"],
            partition: { dynamodbLeadingKeys: true },
            reason: "one table keyed by tenant",
          },
        ],
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
    tenants: Array.from({ length: count }, (_, i) => ({
      // Letters and digits only: BigQuery dataset ids take no '-'.
      id: `tenant${i}`,
      // One tenant in ten impersonates its own service account: a project holds 100 by default.
      ...(i % 10 === 0
        ? {
            gcp: {
              serviceAccountRoles: [{ role: "roles/bigquery.dataViewer", dataset: `${env}_tenant${i}` }],
            },
          }
        : {}),
      azure: {
        roleAssignments: [
          {
            // Storage Blob Data Reader
            roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/acme-${env}-tenant${i}`,
          },
        ],
      },
      workloads: [
        {
          name: "app",
          grants: [
            { api: "aws", scopes: ["aws:federate"] },
            { api: "gcp", scopes: ["gcp:federate"] },
            { api: "azure", scopes: ["azure:federate"] },
          ],
          aws: {
            managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            inlinePolicy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["s3:GetObject"],
                  Resource: `arn:aws:s3:::acme-${env}-tenant${i}/*`,
                },
              ],
            },
          },
          gcp: {
            roles: [{ role: "roles/storage.objectViewer", bucket: `acme-${env}-tenant${i}_data` }],
            impersonateServiceAccount: i % 10 === 0,
          },
        },
      ],
    })),
    credentialsExchange: { bindings: [{ action: "tenant-claims" }] },
  };
}

/** The same environment, parsed. */
export function generated(count: number): Environment {
  return parseEnvironment(generatedRaw(count), "bench");
}
