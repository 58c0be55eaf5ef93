// What a tenant's cloud identities reach, and whether that crosses tenants: the shape every
// cloud's reach check reports in, so the invariants, the policy pack and the offline plan read
// one list whichever cloud it comes from.

/** A reach that crosses tenants (a violation), or an own reach that could not be shown (a finding). */
export interface ReachFinding {
  readonly kind: "tenant-reach" | "own-reach-unproven";
  /** Whose identity: `aws role of globex/billing-sync`, `gcp principal of initech/report-export`. */
  readonly subject: string;
  /** What it reaches, of whom, and through what; or why its own reach is unproven. */
  readonly message: string;
}

/** One thing a workload's identity reaches, for the plan and the README. */
export interface ReachEntry {
  readonly cloud: "aws" | "gcp" | "azure";
  readonly tenantId: string;
  readonly workload: string;
  /** The resource, resource pattern or scope reached. */
  readonly resource: string;
  /** The actions or role by which. */
  readonly access: string;
  /** The shared entry it comes through, when it is shared. */
  readonly shared?: string;
  /**
   * An upper bound, not a reach shown: what the identity may reach at most (AWS: a managed
   * policy whose content is not known offline, bounded only by the permissions boundary).
   */
  readonly atMost?: true;
}

/** How every face (plan, diff, verify) marks an upper bound before the reach it bounds. */
export const AT_MOST = "at most ";

/** `at most ` for an upper bound, nothing for a reach shown. */
export const reachBound = (r: { readonly atMost?: true }): string => (r.atMost ? AT_MOST : "");
