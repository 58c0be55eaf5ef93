/**
 * The rules that make AWS permissions confinable per tenant: every tenant resource pattern tells
 * tenants apart (as patterns, for every pair of declared tenants), every shared entry has a
 * partition and no tenant's own resource is shared, no user-given boundary (its content is
 * unknown, it cannot be merged, and IAM allows one), and the generated boundaries fit IAM.
 */

import { workloadsUsing } from "../../environment/clouds.ts";
import type { EnvironmentIssue } from "../../environment/errors.ts";
import type { Rule, RuleCheck } from "../../environment/rule.ts";
import {
  globsIntersect,
  instantiatePattern,
  overlappingTenantPatterns,
  tenantPatternProblems,
} from "../tenant-patterns.ts";
import {
  AWS_CUSTOMER_MANAGED_POLICIES,
  AWS_MANAGED_POLICY_MAX_CHARACTERS,
  awsBoundaryLength,
  awsPermissionsBoundary,
} from "./aws-boundary.ts";

const tenantsUsingAws = (config: Parameters<RuleCheck>[0]) => [
  ...new Set(workloadsUsing(config, "aws").map(({ tenant }) => tenant.id)),
];

const awsTenantResources: RuleCheck = (config, envName) => {
  const aws = config.clouds.aws;
  if (!aws) return [];
  const issues: EnvironmentIssue[] = [];
  aws.tenantResources.forEach((pattern, i) => {
    for (const problem of tenantPatternProblems(pattern))
      issues.push({ path: `clouds.aws.tenantResources[${i}]`, message: problem });
  });
  if (issues.length > 0) return issues;
  // {workload} stands for any of the tenant's workloads: as a pattern, any run of characters.
  const entries = config.tenants.flatMap((tenant, t) =>
    aws.tenantResources.map((pattern, i) => ({
      tenant: tenant.id,
      pattern: instantiatePattern(pattern.replaceAll("{workload}", "*"), { env: envName, tenant: tenant.id }),
      at: `clouds.aws.tenantResources[${i}] for tenants[${t}] (${tenant.id})`,
    })),
  );
  for (const { a, b } of overlappingTenantPatterns(entries)) {
    issues.push({
      path: "clouds.aws.tenantResources",
      message: `${a.pattern} (${a.at}) and ${b.pattern} (${b.at}) can name the same resource, so neither tenant's boundary would keep the other out: make the literal text before {tenant} the same in every pattern, or rename a tenant`,
    });
  }
  aws.shared.forEach((entry, s) => {
    if (entry.partition === "none") {
      issues.push({
        path: `clouds.aws.shared[${s}].partition`,
        message: `shared entry ${entry.name} has no partition: every tenant would reach every other tenant's data in it (cross-tenant reach, whatever its reason says); use s3Prefix, dynamodbLeadingKeys or kmsEncryptionContextKey`,
      });
    }
    entry.resources.forEach((resource, r) => {
      const owner = entries.find((e) => globsIntersect(e.pattern, resource));
      if (owner)
        issues.push({
          path: `clouds.aws.shared[${s}].resources[${r}]`,
          message: `${resource} overlaps ${owner.tenant}'s own resources (${owner.pattern}): a tenant's resource is not shared; move it out of one or the other`,
        });
    });
  });
  return issues;
};

const awsBoundaries: RuleCheck = (config, envName) => {
  const aws = config.clouds.aws;
  if (!aws) return [];
  const issues: EnvironmentIssue[] = [];
  config.tenants.forEach((tenant, t) => {
    tenant.workloads.forEach((workload, w) => {
      if (workload.aws?.permissionsBoundary)
        issues.push({
          path: `tenants[${t}].workloads[${w}].aws.permissionsBoundary`,
          message:
            "a permissions boundary is generated for every tenant (its own and shared resources, no escalation); a role takes one boundary and the content of yours is not known offline, so it cannot be merged: remove it and declare the resources under clouds.aws.tenantResources or shared",
        });
    });
  });
  const tenants = tenantsUsingAws(config);
  if (tenants.length > AWS_CUSTOMER_MANAGED_POLICIES)
    issues.push({
      path: "tenants",
      message: `${tenants.length} tenants use AWS, each with its own boundary policy, over the ${AWS_CUSTOMER_MANAGED_POLICIES} customer managed policies an account holds by default: shard tenants into stacks on separate accounts`,
    });
  if (aws.tenantResources.some((p) => tenantPatternProblems(p).length > 0)) return issues;
  for (const tenantId of tenants) {
    const length = awsBoundaryLength(awsPermissionsBoundary(config, envName, tenantId));
    if (length > AWS_MANAGED_POLICY_MAX_CHARACTERS)
      issues.push({
        path: "clouds.aws",
        message: `tenant ${tenantId}'s permissions boundary would be ${length} characters, over IAM's ${AWS_MANAGED_POLICY_MAX_CHARACTERS}: use fewer tenantResources patterns or shared entries`,
      });
  }
  return issues;
};

/** The AWS tenant rules, in the order their findings are reported. */
export const AWS_TENANT_RULES: readonly Rule[] = [
  { check: awsTenantResources, reads: ["clouds.aws", "tenants"] },
  { check: awsBoundaries, reads: ["clouds.aws", "tenants", "apis"] },
];
