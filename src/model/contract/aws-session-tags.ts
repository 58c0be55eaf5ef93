// The AWS session-tags claim. Dependency-free: the tenant-claims Action inlines it, and the
// trust simulator reads tokens with it, so the claim's name and shape exist once.

/** The claim STS reads session tags from. */
export const AWS_TAGS_CLAIM = "https://aws.amazon.com/tags";

/** Session tag keys this tool sets. */
export const AWS_TAG_KEYS = { tenantId: "tenant_id", workload: "workload" } as const;

/** The value of the tags claim: one value per tag, as STS requires. */
export interface AwsTagsClaim {
  readonly principal_tags: Readonly<Record<string, readonly string[]>>;
  readonly transitive_tag_keys?: readonly string[];
}

/** The tags claim for a tenant workload; `transitive` lists the keys passed on to chained roles. */
export function awsTagsClaim(
  tenantId: string,
  workload: string,
  transitive: readonly string[],
): AwsTagsClaim {
  return {
    principal_tags: { [AWS_TAG_KEYS.tenantId]: [tenantId], [AWS_TAG_KEYS.workload]: [workload] },
    ...(transitive.length > 0 ? { transitive_tag_keys: [...transitive] } : {}),
  };
}
