/**
 * Roles judged by their permissions: from the dated snapshot of predefined roles, or from what a
 * grant declares for a role outside it (a custom role). A role is refused when its permissions
 * are unknown, or when one of them lets a tenant escape its confinement: act as or mint
 * credentials for a service account, create keys, administer workload identity pools, or change
 * any IAM policy.
 */

import { GCP_ROLE_PERMISSIONS, GCP_ROLE_SNAPSHOT_DATE } from "./gcp-role-snapshot.ts";

/** Basic roles: project-wide by nature, refused whatever the target. */
export const GCP_BASIC_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);

/** Why each escaping permission is refused; `*.setIamPolicy` is matched by suffix. */
const ESCAPES: readonly [RegExp, string][] = [
  [/\.setIamPolicy$/, "changes an IAM policy, so it can grant anyone anything on the resource"],
  [/^iam\.serviceAccounts\.actAs$/, "acts as service accounts (attaches them to resources it runs)"],
  [
    /^iam\.serviceAccounts\.(getAccessToken|getOpenIdToken|implicitDelegation|signBlob|signJwt)$/,
    "mints a service account's credentials; impersonation is only of the tenant's own account, through impersonateServiceAccount",
  ],
  [/^iam\.serviceAccountKeys\.create$/, "creates service account keys (long-lived credentials)"],
  [/^storage\.hmacKeys\.create$/, "creates HMAC keys for service accounts (long-lived credentials)"],
  [
    // GCP publishes these with the service's host (iam.googleapis.com/workloadIdentityPools.create:
    // https://cloud.google.com/iam/docs/manage-workload-identity-pools-providers); the short form
    // is matched too, as a custom role may be declared either way.
    /^iam(\.googleapis\.com\/|\.)workloadIdentityPool(s|Providers|ProviderKeys)\.(create|update|delete|undelete|createPolicyBinding|updatePolicyBinding|deletePolicyBinding)$/,
    "administers workload identity pools, which decide whose tokens become GCP identities",
  ],
];

/** The permissions a grant carries, or undefined when neither the snapshot nor the grant says. */
export function gcpGrantPermissions(grant: {
  readonly role: string;
  readonly permissions?: readonly string[] | undefined;
}): readonly string[] | undefined {
  return grant.permissions ?? GCP_ROLE_PERMISSIONS[grant.role];
}

/** What makes a role unacceptable for a tenant's identity, one sentence each; empty when fine. */
export function gcpRoleProblems(grant: {
  readonly role: string;
  readonly permissions?: readonly string[] | undefined;
}): string[] {
  if (GCP_BASIC_ROLES.has(grant.role)) return []; // reported by gcpLimits (cloud-rules.ts)
  const permissions = gcpGrantPermissions(grant);
  if (!permissions)
    return [
      `${grant.role} is not in the snapshot of predefined roles (${GCP_ROLE_SNAPSHOT_DATE}), so what it reaches is unknown: declare its permissions on the grant (permissions: [storage.objects.get, ...]) or use a predefined role the snapshot lists`,
    ];
  // One sentence per reason, naming every permission that gives it.
  return ESCAPES.flatMap(([pattern, why]) => {
    const carried = permissions.filter((p) => pattern.test(p));
    return carried.length === 0
      ? []
      : [
          `${grant.role} carries ${carried.join(", ")}, which ${why}: it is never granted to a tenant's identity; use a role without ${carried.length === 1 ? "it" : "them"}`,
        ];
  });
}
