/**
 * What a GCP workload reaches, by resource containment: a binding on a resource reaches it and
 * what it contains (a bucket its objects, a dataset its tables); a binding on the project
 * reaches every resource of the project, every tenant's; a conditioned binding on a shared
 * bucket reaches its tenant's prefix only. A workload holds its subject principal's bindings
 * and, when it impersonates, its tenant service account's; a binding that mints credentials of
 * service accounts (on the project) reaches every tenant's service account and so its bindings.
 */

import { workloadsUsing } from "../../environment/clouds.ts";
import type { Environment } from "../../environment/environment.ts";
import type { ReachEntry, ReachFinding } from "../reach.ts";
import { type GcpDeclaredGrant, gcpGrantsOf } from "./gcp-grants.ts";
import {
  GCP_TARGET_FIELD,
  gcpGrantTarget,
  gcpOwnership,
  gcpResourceName,
  gcpTenantPatterns,
} from "./gcp-resources.ts";
import { gcpGrantPermissions } from "./gcp-roles.ts";
import { gcpServiceAccountEmail } from "./gcp-trust.ts";

/** Permissions that let a holder act as a service account it is granted them on. */
const IMPERSONATES =
  /^iam\.serviceAccounts\.(actAs|getAccessToken|getOpenIdToken|implicitDelegation|signBlob|signJwt)$/;

/** One thing reached by one binding, with whose it is. */
interface Reached {
  readonly resource: string;
  readonly access: string;
  /** The tenants whose data it holds: the owner, or all for a project or unpartitioned bucket. */
  readonly of: readonly string[];
  readonly shared?: string;
}

function bindingReach(env: Environment, declared: GcpDeclaredGrant, via: string): Reached[] {
  const gcp = env.clouds.gcp;
  if (!gcp) return [];
  const { grant, tenantId } = declared;
  const access = `${grant.role}${via}`;
  const target = gcpGrantTarget(grant);
  const everyone = () => env.tenants.map((t) => t.id);
  if (!("name" in target)) {
    return [
      ...gcpTenantPatterns(env, env.name).map((p) => ({
        resource: `${GCP_TARGET_FIELD[p.kind]} ${p.pattern} (every resource of project ${gcp.projectId})`,
        access,
        of: [p.tenant],
      })),
      ...gcp.shared.map((e) => ({
        resource: `projects/_/buckets/${e.bucket} (every resource of project ${gcp.projectId})`,
        access,
        of: everyone(),
        shared: e.name,
      })),
    ];
  }
  const name = gcpResourceName(gcp, target.kind, target.name);
  const { owners, shared } = gcpOwnership(env, env.name, target.kind, target.name);
  if (shared)
    return shared.partition === "none"
      ? [{ resource: `${name}/objects/`, access, of: everyone(), shared: shared.name }]
      : [{ resource: `${name}/objects/${tenantId}/`, access, of: [tenantId], shared: shared.name }];
  return [{ resource: name, access, of: owners.length > 0 ? [...new Set(owners.map((o) => o.tenant))] : [] }];
}

/** The grants a workload holds: its subject's, then each service account it can act as. */
function heldGrants(env: Environment, tenantId: string, workload: string, impersonates: boolean) {
  const held: { declared: GcpDeclaredGrant; via: string }[] = gcpGrantsOf(env, tenantId, workload).map(
    (declared) => ({ declared, via: "" }),
  );
  const accounts: string[] = impersonates ? [tenantId] : [];
  // Following impersonation: a project-level binding that mints credentials reaches every account.
  for (let i = 0; i < held.length + accounts.length && i < 1000; i++) {
    for (const { declared } of held) {
      const target = gcpGrantTarget(declared.grant);
      const mints = (gcpGrantPermissions(declared.grant) ?? []).some((p) => IMPERSONATES.test(p));
      if (mints && !("name" in target))
        for (const t of env.tenants) if (!accounts.includes(t.id)) accounts.push(t.id);
    }
    for (const account of accounts) {
      const via = ` via service account ${env.clouds.gcp ? gcpServiceAccountEmail(env, account) : account}`;
      for (const declared of gcpGrantsOf(env, account, undefined))
        if (!held.some((h) => h.declared === declared)) held.push({ declared, via });
    }
  }
  return held;
}

/** Everything each GCP workload reaches, own and shared, for the plan and the README. */
export function gcpWorkloadReach(env: Environment): ReachEntry[] {
  return workloadsUsing(env, "gcp").flatMap(({ tenant, workload }) =>
    heldGrants(env, tenant.id, workload.name, workload.gcp?.impersonateServiceAccount ?? false).flatMap(
      ({ declared, via }) =>
        bindingReach(env, declared, via).map((r) => ({
          cloud: "gcp" as const,
          tenantId: tenant.id,
          workload: workload.name,
          resource: r.resource,
          access: r.access,
          ...(r.shared ? { shared: r.shared } : {}),
        })),
    ),
  );
}

/**
 * No GCP workload reaches another tenant's declared resources (or every tenant's objects of an
 * unpartitioned shared bucket); each workload's reach of its own resources is shown, or reported
 * `own-reach-unproven` when none of its bindings reaches a resource of its own tenant.
 */
export function gcpReachFindings(env: Environment): ReachFinding[] {
  const findings: ReachFinding[] = [];
  for (const { tenant, workload } of workloadsUsing(env, "gcp")) {
    const subject = `gcp principal of ${tenant.id}/${workload.name}`;
    const held = heldGrants(env, tenant.id, workload.name, workload.gcp?.impersonateServiceAccount ?? false);
    let ownReach = false;
    for (const { declared, via } of held) {
      for (const reached of bindingReach(env, declared, via)) {
        const others = reached.of.filter((t) => t !== tenant.id);
        if (reached.of.includes(tenant.id)) ownReach = true;
        if (others.length > 0)
          findings.push({
            kind: "tenant-reach",
            subject,
            message: `reaches ${reached.resource} of ${others.join(", ")} (${reached.access}${reached.shared ? `, shared entry ${reached.shared} without a partition` : ""})`,
          });
      }
    }
    if (!ownReach)
      findings.push({
        kind: "own-reach-unproven",
        subject,
        message:
          held.length === 0
            ? "it holds no GCP binding, so it reaches none of its tenant's resources"
            : "none of its bindings reaches a resource its tenant declares (clouds.gcp.tenantResources) or its partition of a shared bucket",
      });
  }
  return findings;
}
