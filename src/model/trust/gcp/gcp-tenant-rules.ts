/**
 * The rules that confine GCP access per tenant by construction: tenant resource patterns tell
 * tenants apart and make valid names; every grant targets one resource, the tenant's own or a
 * shared bucket whose partition keeps tenants apart, never the project; every role is known
 * (snapshot or declared permissions) and carries nothing that escapes (impersonation, keys,
 * pool administration, IAM policy changes); and the bindings fit GCP's policy limits.
 */

import type { EnvironmentIssue } from "../../environment/errors.ts";
import type { Rule, RuleCheck } from "../../environment/rule.ts";
import type { EnvironmentConfig } from "../../environment/schema.ts";
import { globsIntersect, overlappingTenantPatterns, tenantPatternProblems } from "../tenant-patterns.ts";
import { type GcpDeclaredGrant, gcpDeclaredGrants } from "./gcp-grants.ts";
import {
  GCP_KIND_SERVICE,
  GCP_NAME_RULES,
  GCP_RESOURCE_KINDS,
  GCP_TARGET_FIELD,
  gcpGrantTarget,
  gcpOwnership,
  gcpTenantPatterns,
} from "./gcp-resources.ts";
import { GCP_ROLE_PERMISSIONS } from "./gcp-role-snapshot.ts";
import { gcpGrantPermissions, gcpRoleProblems } from "./gcp-roles.ts";

/** Conditional role bindings one allow policy holds. */
export const GCP_CONDITIONAL_BINDINGS_PER_POLICY = 100;
/** Principals one allow policy holds. */
export const GCP_PRINCIPALS_PER_POLICY = 1500;

const patternsValid = (config: EnvironmentConfig) =>
  GCP_RESOURCE_KINDS.every((kind) =>
    (config.clouds.gcp?.tenantResources[kind] ?? []).every((p) => tenantPatternProblems(p).length === 0),
  );

const gcpTenantResources: RuleCheck = (config, envName) => {
  const gcp = config.clouds.gcp;
  if (!gcp) return [];
  const issues: EnvironmentIssue[] = [];
  for (const kind of GCP_RESOURCE_KINDS) {
    gcp.tenantResources[kind].forEach((pattern, i) => {
      for (const problem of tenantPatternProblems(pattern))
        issues.push({ path: `clouds.gcp.tenantResources.${kind}[${i}]`, message: problem });
    });
  }
  if (issues.length > 0) return issues;
  const entries = gcpTenantPatterns(config, envName);
  for (const entry of entries) {
    // A dataset id holds no '-': a tenant whose id has one owns no dataset (its grants' names
    // are refused by the schema), which isolates rather than breaks.
    if (entry.kind === "datasets" && entry.tenant.includes("-")) continue;
    const { pattern, rule } = GCP_NAME_RULES[entry.kind];
    if (!pattern.test(entry.pattern.replaceAll("*", "x")))
      issues.push({
        path: entry.at.split(" for ")[0] ?? "clouds.gcp.tenantResources",
        message: `${entry.pattern} (${entry.at}) is not a valid ${entry.kind.slice(0, -1)} name: ${rule}; change the pattern, or give the tenant an id that fits`,
      });
  }
  for (const kind of GCP_RESOURCE_KINDS) {
    for (const { a, b } of overlappingTenantPatterns(entries.filter((e) => e.kind === kind))) {
      issues.push({
        path: `clouds.gcp.tenantResources.${kind}`,
        message: `${a.pattern} (${a.at}) and ${b.pattern} (${b.at}) can name the same ${kind.slice(0, -1)}, so a grant on it would reach both tenants: make the literal text before {tenant} the same in every pattern, or rename a tenant`,
      });
    }
  }
  gcp.shared.forEach((entry, s) => {
    if (entry.partition === "none")
      issues.push({
        path: `clouds.gcp.shared[${s}].partition`,
        message: `shared entry ${entry.name} has no partition: every tenant granted on bucket ${entry.bucket} would reach every other tenant's objects in it (cross-tenant reach, whatever its reason says); use {objectPrefix: true}, which confines each tenant to objects under {tenant}/`,
      });
    const owner = entries.find((e) => e.kind === "buckets" && globsIntersect(e.pattern, entry.bucket));
    if (owner)
      issues.push({
        path: `clouds.gcp.shared[${s}].bucket`,
        message: `${entry.bucket} is ${owner.tenant}'s own bucket (${owner.pattern}): a tenant's resource is not shared; move it out of one or the other`,
      });
    entry.roles.forEach((role, r) => {
      const at = `clouds.gcp.shared[${s}].roles[${r}]`;
      for (const message of gcpRoleProblems({ role })) issues.push({ path: at, message });
      const permissions = GCP_ROLE_PERMISSIONS[role] ?? [];
      if (permissions.some((p) => p.startsWith("storage.buckets.")))
        issues.push({
          path: at,
          message: `${role} acts on the bucket itself (storage.buckets.*), which no object prefix partitions: share an object role such as roles/storage.objectViewer`,
        });
    });
  });
  return issues;
};

/** What a project-wide binding would reach: the other tenants' declared resources, named. */
function otherTenantsResources(config: EnvironmentConfig, envName: string, tenantId: string): string {
  const others = gcpTenantPatterns(config, envName).filter((p) => p.tenant !== tenantId);
  const byTenant = new Map<string, string[]>();
  for (const p of others)
    byTenant.set(p.tenant, [...(byTenant.get(p.tenant) ?? []), `${p.kind.slice(0, -1)} ${p.pattern}`]);
  const listed = [...byTenant].map(([t, rs]) => `${t}: ${rs.join(", ")}`).join("; ");
  return listed ? `every other tenant's (${listed})` : "every other tenant's, whatever they are";
}

/** The tenant's own resources, as a hint for the fix. */
function ownResources(config: EnvironmentConfig, envName: string, tenantId: string): string {
  const own = gcpTenantPatterns(config, envName).filter((p) => p.tenant === tenantId);
  return own.length > 0
    ? `one of ${tenantId}'s own (${own.map((p) => `${GCP_TARGET_FIELD[p.kind]}: ${p.pattern}`).join(", ")})`
    : `one of ${tenantId}'s own, once declared under clouds.gcp.tenantResources`;
}

function grantIssues(
  config: EnvironmentConfig,
  envName: string,
  declared: GcpDeclaredGrant,
): EnvironmentIssue[] {
  const { grant, path, holder, tenantId } = declared;
  const projectId = config.clouds.gcp?.projectId ?? "";
  const target = gcpGrantTarget(grant);
  const issues: EnvironmentIssue[] = [];
  if (target.kind === "several")
    return [
      {
        path,
        message: `names ${target.fields.join(" and ")}: a grant has exactly one target; split it into one grant per target`,
      },
    ];
  if (target.kind === "none" || target.kind === "project") {
    const what =
      target.kind === "none" ? "names no target, which means the whole project" : "is on the whole project";
    return [
      {
        path,
        message: `${grant.role} for ${holder} ${what} ${projectId}: a project binding reaches every resource of the project, ${otherTenantsResources(config, envName, tenantId)}, and GCP has no tenant partition for it. Grant it on ${ownResources(config, envName, tenantId)}, or on a bucket declared under clouds.gcp.shared with partition {objectPrefix: true}`,
      },
    ];
  }
  const field = GCP_TARGET_FIELD[target.kind];
  const { owners, shared } = gcpOwnership(config, envName, target.kind, target.name);
  const foreign = owners.find((o) => o.tenant !== tenantId);
  if (foreign)
    issues.push({
      path: `${path}.${field}`,
      message: `${field} ${target.name} is ${foreign.tenant}'s (${foreign.pattern}, ${foreign.at}): ${holder} would reach another tenant's resource; grant on ${ownResources(config, envName, tenantId)}`,
    });
  else if (owners.length === 0 && !shared)
    issues.push({
      path: `${path}.${field}`,
      message: `${field} ${target.name} is neither ${tenantId}'s own (it matches no clouds.gcp.tenantResources.${target.kind} pattern) nor a shared bucket, so nothing proves no other tenant uses it: grant on ${ownResources(config, envName, tenantId)}, add a pattern that names it, or declare it under clouds.gcp.shared with a partition`,
    });
  if (shared && !shared.roles.includes(grant.role))
    issues.push({
      path: `${path}.role`,
      message: `${grant.role} is not among the roles shared entry ${shared.name} allows on ${shared.bucket} (${shared.roles.join(", ")}): add it there or use one of them`,
    });
  if (grant.permissions && GCP_ROLE_PERMISSIONS[grant.role])
    issues.push({
      path: `${path}.permissions`,
      message: `${grant.role} is in the snapshot of predefined roles, which says what it carries: remove permissions (they describe custom roles only)`,
    });
  for (const message of gcpRoleProblems(grant)) issues.push({ path: `${path}.role`, message });
  const permissions = gcpGrantPermissions(grant);
  const service = GCP_KIND_SERVICE[target.kind];
  if (permissions && !permissions.some((p) => p.startsWith(`${service}.`)))
    issues.push({
      path: `${path}.role`,
      message: `${grant.role} has no ${service}.* permission, so on ${field} ${target.name} it grants nothing: use a ${service} role`,
    });
  return issues;
}

const gcpGrants: RuleCheck = (config, envName) => {
  if (!config.clouds.gcp || !patternsValid(config)) return [];
  return gcpDeclaredGrants(config).flatMap((declared) => grantIssues(config, envName, declared));
};

/**
 * GCP's allow-policy limits on the bindings this program writes: each resource's policy holds
 * at most 1,500 principals, and a shared bucket's at most 100 conditional bindings (one per
 * tenant and role, each with its own prefix condition). The project's policy gets none.
 */
const gcpPolicyLimits: RuleCheck = (config) => {
  if (!config.clouds.gcp) return [];
  const issues: EnvironmentIssue[] = [];
  const principals = new Map<string, Set<string>>();
  const conditional = new Map<string, Set<string>>();
  for (const { grant, holder, tenantId } of gcpDeclaredGrants(config)) {
    const target = gcpGrantTarget(grant);
    if (!("name" in target)) continue;
    const key = `${GCP_TARGET_FIELD[target.kind]} ${target.name}`;
    principals.set(key, (principals.get(key) ?? new Set()).add(holder));
    if (target.kind === "buckets" && config.clouds.gcp.shared.some((e) => e.bucket === target.name))
      conditional.set(key, (conditional.get(key) ?? new Set()).add(`${grant.role} ${tenantId}`));
  }
  for (const [key, members] of principals)
    if (members.size > GCP_PRINCIPALS_PER_POLICY)
      issues.push({
        path: "tenants",
        message: `${members.size} identities are granted on ${key}, over the ${GCP_PRINCIPALS_PER_POLICY} principals one IAM policy holds: shard tenants into stacks`,
      });
  for (const [key, bindings] of conditional)
    if (bindings.size > GCP_CONDITIONAL_BINDINGS_PER_POLICY)
      issues.push({
        path: "clouds.gcp.shared",
        message: `${key} would hold ${bindings.size} conditional bindings (one per tenant and role), over the ${GCP_CONDITIONAL_BINDINGS_PER_POLICY} one IAM policy holds: share it with fewer tenants or roles, or give tenants their own buckets`,
      });
  return issues;
};

/** The GCP tenant rules, in the order their findings are reported. */
export const GCP_TENANT_RULES: readonly Rule[] = [
  { check: gcpTenantResources, reads: ["clouds.gcp", "tenants"] },
  { check: gcpGrants, reads: ["clouds.gcp", "tenants"] },
  { check: gcpPolicyLimits, reads: ["clouds.gcp", "tenants"] },
];
