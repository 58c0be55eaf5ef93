/**
 * What tenants' AWS roles reach, read from a preview: every tenant role carries a permissions
 * boundary that is its own tenant's policy in the stack; the tenants' own resources, as their
 * boundaries declare them (`TenantResources`), do not overlap; and no role reaches another
 * tenant's resources through its policies (AWS managed ones taken as allowing everything) under
 * its boundary.
 */

import { AWS_ROLE_TAG_KEYS } from "../../src/model/environment/tenant-labels.ts";
import { awsReachFindings, representativeArn } from "../../src/model/trust/aws/aws-reach.ts";
import type { Violation } from "../../src/model/trust/invariants.ts";
import { overlappingTenantPatterns } from "../../src/model/trust/tenant-patterns.ts";
import { awsAccountOf, rolePolicies, tenantRoles } from "./aws-escalation.ts";
import { type PreviewResource, recordProp, stringProp, UNKNOWN } from "./preview-value.ts";
import { byClass, type StackTrust, type Unchecked } from "./stack-artifacts.ts";

/** The resources of a boundary's Allow statements whose Sid passes `sid`. */
function allowedBy(document: unknown, sid: (sid: string) => boolean): string[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  return (Array.isArray(statements) ? statements : [])
    .filter((s) => typeof s?.Sid === "string" && sid(s.Sid) && s?.Effect === "Allow")
    .flatMap((s) => [s.Resource].flat().filter((r): r is string => typeof r === "string"));
}

/** The resources a tenant's boundary declares as its own. */
const ownResources = (document: unknown) => allowedBy(document, (sid) => sid === "TenantResources");

/** The resources a tenant's boundary opens to it from shared entries (its partition of each). */
const sharedResources = (document: unknown) => allowedBy(document, (sid) => /^Shared\d+$/.test(sid));

/** Each tenant's resources as its boundary in the stack declares them. */
export interface TenantResourcePatterns {
  /** Its own resources' patterns, by tenant. */
  readonly owned: ReadonlyMap<string, readonly string[]>;
  /** The shared resources (partitions filled in) open to it, by tenant. */
  readonly shared: ReadonlyMap<string, readonly string[]>;
}

export function awsTenantReachViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
): { readonly violations: Violation[]; readonly unchecked: Unchecked[] } & TenantResourcePatterns {
  const of = byClass(resources);
  const violations: Violation[] = [];
  const notKnown: Unchecked[] = [];
  const owned = new Map<string, string[]>();
  const shared = new Map<string, string[]>();
  const roles = tenantRoles(of, trust);
  if (roles.length === 0) return { violations, unchecked: notKnown, owned, shared };
  const { boundaries } = rolePolicies(of, roles, notKnown);
  const account = awsAccountOf(trust);

  const boundaryOf = new Map<string, unknown>();
  for (const role of roles) {
    const who = `aws role of ${role.tenantId}/${role.workload}`;
    const boundary = boundaries.get(role.name);
    const policy = boundary?.policy;
    const tags = policy ? recordProp(policy, "tags") : undefined;
    const tenant = tags === undefined || tags === UNKNOWN ? undefined : tags[AWS_ROLE_TAG_KEYS.tenantId];
    const text = policy ? stringProp(policy, "policy") : undefined;
    if (!policy || tenant !== role.tenantId) {
      violations.push({
        invariant: "tenant-reach",
        subject: who,
        message: boundary
          ? `its permissions boundary ${boundary.arn} is not a policy of tenant ${role.tenantId} in this stack: its permissions are not confined to its tenant`
          : `it carries no permissions boundary: its policies are confined to nothing; give it its tenant's generated boundary`,
      });
      continue;
    }
    if (text === UNKNOWN || typeof text !== "string") continue;
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      continue;
    }
    boundaryOf.set(role.name, document);
    owned.set(role.tenantId, ownResources(document));
    shared.set(role.tenantId, sharedResources(document));
  }

  // Each tenant's own resources, as its boundary says: no two tenants may claim the same.
  const entries = [...owned].flatMap(([tenant, patterns]) =>
    patterns.map((pattern) => ({ tenant, pattern, at: `the boundary of ${tenant}` })),
  );
  for (const { a, b } of overlappingTenantPatterns(entries)) {
    violations.push({
      invariant: "tenant-reach",
      subject: `aws boundaries of ${a.tenant} and ${b.tenant}`,
      message: `${a.pattern} and ${b.pattern} can name the same resource: each tenant's boundary lets it reach the other's`,
    });
  }
  const targets = entries.map((e) => ({ tenantId: e.tenant, arn: representativeArn(e.pattern) }));
  // Whatever is attached (AWS managed policies' content is not known offline) is taken to allow
  // everything: the boundary alone must confine the role. The model's indexed check, so the
  // pack stays linear in tenants; own reach is not the pack's to prove.
  const input = {
    account,
    targets,
    roles: roles.flatMap((role) => {
      const boundary = boundaryOf.get(role.name);
      return boundary === undefined
        ? []
        : [
            {
              tenantId: role.tenantId,
              workload: role.workload,
              arn: role.arn,
              policies: [],
              managedPolicyArns: ["(any)"],
              boundary,
            },
          ];
    }),
  };
  for (const finding of awsReachFindings(input).filter((f) => f.kind === "tenant-reach"))
    violations.push({
      invariant: "tenant-reach",
      subject: finding.subject,
      message: `${finding.message} under its boundary`,
    });
  return { violations, unchecked: notKnown, owned, shared };
}
