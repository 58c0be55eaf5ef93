// Pins every name composed for the committed stacks. Renaming replaces what carries the name:
// protected IAM roles, service accounts and managed identities are destroyed and recreated, and
// every AWS_ROLE_ARN handed to a workload breaks. A change here must be deliberate.

import { describe, expect, it } from "vitest";
import { cloudsOf } from "../../../src/model/environment/clouds.ts";
import { type Environment, parseEnvironment } from "../../../src/model/environment/environment.ts";
import {
  gcpPoolId,
  gcpProviderId,
  grantResourceName,
  workloadNames,
  workloadResourceName,
} from "../../../src/model/environment/names.ts";
import { deployedActionName, PROJECT_ACTIONS } from "../../../src/model/environment/project-actions.ts";
import { readStackFile } from "../../../src/stack/stack-file.ts";

/** Every name the model composes for `env`, as "what: value", in model order. */
function composedNames(env: Environment): string[] {
  const names = env.tenants.flatMap((tenant) =>
    tenant.workloads.flatMap((workload) => [
      ...workloadNames(env.name, tenant.id, workload.name, cloudsOf(env, workload)).map(
        (name) => `${name.what}: ${name.value}`,
      ),
      `Pulumi workload name: ${workloadResourceName(tenant.id, workload.name)}`,
      ...workload.grants.map(
        (grant) => `Pulumi grant name: ${grantResourceName(tenant.id, workload.name, grant.api)}`,
      ),
    ]),
  );
  const gcp = env.clouds.gcp;
  const pool = gcp ? [gcpPoolId(env.name, gcp.poolId), gcpProviderId(gcp.providerId)] : [];
  return [
    ...new Set([
      ...names,
      ...pool.map((name) => `${name.what}: ${name.value}`),
      ...PROJECT_ACTIONS.map((action) => `Auth0 Action name: ${deployedActionName(action)}`),
    ]),
  ];
}

/** The names of a committed stack: the three stacks differ only by their name. */
const committed = (stack: string) => [
  `Auth0 application name: m2m-${stack}-globex-billing-sync`,
  `AWS IAM role name: m2m-${stack}-globex-billing-sync`,
  `AWS permissions boundary policy name: m2m-${stack}-globex-boundary`,
  "Pulumi workload name: globex-billing-sync",
  "Pulumi grant name: globex-billing-sync-orders",
  "Pulumi grant name: globex-billing-sync-aws",
  `Auth0 application name: m2m-${stack}-initech-order-api`,
  `Azure managed identity name: m2m-${stack}-initech`,
  "Azure federated credential name: auth0-order-api",
  "Pulumi workload name: initech-order-api",
  "Pulumi grant name: initech-order-api-orders",
  "Pulumi grant name: initech-order-api-azure",
  `Auth0 application name: m2m-${stack}-initech-report-export`,
  `GCP service account id: ${stack}-initech`,
  "Pulumi workload name: initech-report-export",
  "Pulumi grant name: initech-report-export-reports",
  "Pulumi grant name: initech-report-export-gcp",
  `Auth0 application name: m2m-${stack}-umbrella-analytics`,
  `AWS IAM role name: m2m-${stack}-umbrella-analytics`,
  `AWS permissions boundary policy name: m2m-${stack}-umbrella-boundary`,
  `GCP service account id: ${stack}-umbrella`,
  `Azure managed identity name: m2m-${stack}-umbrella`,
  "Azure federated credential name: auth0-analytics",
  "Pulumi workload name: umbrella-analytics",
  "Pulumi grant name: umbrella-analytics-orders",
  "Pulumi grant name: umbrella-analytics-reports",
  "Pulumi grant name: umbrella-analytics-aws",
  "Pulumi grant name: umbrella-analytics-gcp",
  "Pulumi grant name: umbrella-analytics-azure",
  `GCP workload identity pool id: m2m-${stack}`,
  "GCP pool provider id: auth0",
  "Auth0 Action name: m2m-tenant-claims",
];

describe("composed names of the committed stacks", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN Pulumi.${stack}.yaml WHEN its names are composed THEN they are exactly the names deployed so far`, () => {
      const env = parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);
      expect(composedNames(env)).toEqual(committed(stack));
    });
  }
});
