/**
 * Who may act as another tenant in GCP through grants the program does not generate: a
 * tenant's identity (its workloads' subject principals, its service account) granted on another
 * tenant's service account, or an impersonation or IAM-admin role over a whole project, folder
 * or organisation (which holds every tenant's service account), or one resource granted to the
 * identities of two tenants.
 */

import { clientIdOf } from "../../src/model/contract/subject.ts";
import { parseGcpFederatedMember } from "../../src/model/trust/gcp/gcp-principal.ts";
import { serviceAccountKey } from "../../src/model/trust/gcp/gcp-service-account.ts";
import type { Violation } from "../../src/model/trust/invariants.ts";
import { type PreviewResource, stringProp, UNKNOWN } from "./preview-value.ts";
import { byClass, gcpMembers, type StackTrust } from "./stack-artifacts.ts";

/** Roles that, over a project, folder or organisation, act as or re-grant any service account in it. */
const IMPERSONATION_ROLES = new Set([
  "roles/owner",
  "roles/editor",
  "roles/iam.serviceAccountTokenCreator",
  "roles/iam.serviceAccountUser",
  "roles/iam.serviceAccountOpenIdTokenCreator",
  "roles/iam.workloadIdentityUser",
  "roles/iam.serviceAccountAdmin",
  "roles/iam.serviceAccountKeyAdmin",
  "roles/iam.securityAdmin",
  "roles/iam.workloadIdentityPoolAdmin",
  "roles/resourcemanager.projectIamAdmin",
  "roles/resourcemanager.folderIamAdmin",
  "roles/resourcemanager.organizationAdmin",
]);

/** Modules whose IAM resources grant over a whole container. */
const CONTAINERS = new Set(["projects", "folder", "organizations"]);

/** The roles a GCP IAM resource grants (`role`, or the roles of `policyData`'s bindings). */
function rolesOf(r: PreviewResource): readonly string[] {
  const role = stringProp(r, "role");
  if (typeof role === "string") return [role];
  const policyData = stringProp(r, "policyData");
  if (typeof policyData !== "string") return [];
  try {
    const bindings = (JSON.parse(policyData) as { bindings?: { role?: unknown }[] }).bindings ?? [];
    return bindings.map((b) => String(b.role ?? ""));
  } catch {
    return [];
  }
}

/** What an IAM resource is granted on: its module and the props that name the resource. */
function grantTarget(r: PreviewResource): string {
  const module = r.type.split(":")[1]?.split("/")[0] ?? "";
  const naming = Object.entries(r.props)
    .filter(
      ([k, v]) =>
        typeof v === "string" &&
        !["member", "members", "role", "policyData", "etag", "id", "urn"].includes(k),
    )
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort();
  return `${module} ${naming.join(" ")}`;
}

/** The GCP escalations in a preview's resources (see above), each a tenant-isolation violation. */
export function gcpEscalationViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
): Violation[] {
  const violations: Violation[] = [];
  const found = (subject: string, message: string) =>
    violations.push({ invariant: "tenant-isolation", subject, message });
  const of = byClass(resources);
  /**
   * Service accounts that act as a tenant without being its own: any account a tenant's
   * identity may impersonate, followed through chains to a fixed point (umbrella impersonates
   * `helper`, so `helper` acts as umbrella, and so does whatever `helper` may impersonate).
   */
  const actsAs = new Map<string, Set<string>>();
  const tenantsOfMember = (member: string): Set<string> => {
    const federated = parseGcpFederatedMember(member);
    if (federated?.kind === "subject") {
      const tenant = trust.workloads.get(clientIdOf(federated.subject) ?? "")?.tenantId;
      return new Set(tenant ? [tenant] : []);
    }
    const key = serviceAccountKey(member);
    const own = key ? trust.serviceAccountTenants.get(key) : undefined;
    return new Set([...(own ? [own] : []), ...(key ? (actsAs.get(key) ?? []) : [])]);
  };
  const impersonations = of("gcp-iam").flatMap((r) => {
    if (!r.type.toLowerCase().startsWith("gcp:serviceaccount/")) return [];
    const members = gcpMembers(r);
    const id = stringProp(r, "serviceAccountId");
    const account = typeof id === "string" ? serviceAccountKey(id) : undefined;
    if (members === UNKNOWN || !account || !rolesOf(r).some((role) => IMPERSONATION_ROLES.has(role)))
      return [];
    return [{ r, account, members }];
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const { account, members } of impersonations) {
      for (const tenant of members.flatMap((m) => [...tenantsOfMember(m)])) {
        const set = actsAs.get(account) ?? new Set<string>();
        if (!set.has(tenant) && trust.serviceAccountTenants.get(account) !== tenant) {
          set.add(tenant);
          actsAs.set(account, set);
          changed = true;
        }
      }
    }
  }
  for (const [account, tenants] of actsAs) {
    const own = trust.serviceAccountTenants.get(account);
    const all = new Set([...(own ? [own] : []), ...tenants]);
    if (all.size > 1)
      found(
        `gcp service account ${account}`,
        `identities of ${[...all].sort().join(" and ")} may act as it (directly or through a chain of impersonation): each can act as the other`,
      );
  }
  /** The tenant a member is an identity of (the first, when a chain makes it several). */
  const tenantOfMember = (member: string): string | undefined => [...tenantsOfMember(member)][0];
  const grantees = new Map<string, Map<string, string>>();
  for (const r of [...of("gcp-iam"), ...of("gcp-embedded-access")]) {
    const members = gcpMembers(r);
    if (members === UNKNOWN) continue;
    const module = (r.type.split(":")[1]?.split("/")[0] ?? "").toLowerCase();
    const roles = rolesOf(r);
    // A grant on a tenant's service account to another tenant's identity impersonates it.
    if (module === "serviceaccount") {
      const id = stringProp(r, "serviceAccountId");
      const target =
        typeof id === "string"
          ? trust.serviceAccountTenants.get(serviceAccountKey(id) ?? "")
          : (r.dependsOn.serviceAccountId ?? [])
              .map((d) => trust.serviceAccountTenants.get(`urn:${d.urn}`))
              .find(Boolean);
      for (const member of members) {
        const holder = tenantOfMember(member);
        if (target && holder && holder !== target && serviceAccountKey(member))
          found(
            `gcp ${r.name} on the service account of ${target}`,
            `${member}, the service account of ${holder}, is granted on it`,
          );
      }
      continue;
    }
    for (const member of members) {
      const holder = tenantOfMember(member);
      if (!holder) continue;
      // Custom roles hold what their definition says, which the preview does not show.
      const wide = roles.filter(
        (role) => IMPERSONATION_ROLES.has(role) || /^(projects|organizations)\//.test(role),
      );
      if (CONTAINERS.has(module) && wide.length > 0) {
        found(
          `gcp ${r.name} for ${holder}`,
          `${wide.join(", ")} over the whole ${module === "projects" ? "project" : module} lets ${member} act as every service account in it, other tenants' included`,
        );
      }
      // Any role on the workload identity pool or its providers lets a tenant rewrite the trust.
      if (module === "iam" && /^workloadidentitypool/i.test(r.type.split(":")[2] ?? "") && roles.length > 0) {
        found(
          `gcp ${r.name} for ${holder}`,
          `${roles.join(", ")} on the workload identity pool lets ${member} change which tokens become whose principal`,
        );
      }
      if (!CONTAINERS.has(module)) {
        const target = grantTarget(r);
        const holders = grantees.get(target) ?? new Map<string, string>();
        holders.set(holder, r.name);
        grantees.set(target, holders);
      }
    }
  }
  // One resource granted to two tenants' identities reaches across them.
  for (const [target, holders] of grantees) {
    if (holders.size > 1)
      found(
        `gcp ${target}`,
        `it is granted to identities of ${[...holders.keys()].join(" and ")} (${[...holders.values()].join(", ")}): a tenant's resource is granted to that tenant alone`,
      );
  }
  return violations;
}
