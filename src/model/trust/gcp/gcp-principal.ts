// GCP's federated principal identifiers, written and read in one place: the Pulumi program
// binds them, the evaluator forms them from a token, and the policy pack parses them from a
// preview.
// https://cloud.google.com/iam/docs/principal-identifiers

const HOST = "iam.googleapis.com";

/** `projects/NUM/locations/global/workloadIdentityPools/POOL`. */
export function gcpPoolResourceName(projectNumber: string, poolId: string): string {
  return `projects/${projectNumber}/locations/global/workloadIdentityPools/${poolId}`;
}

/** The provider's full resource name: the STS audience when allowedAudiences is empty. */
export function gcpProviderResourceName(poolResource: string, providerId: string): string {
  return `//${HOST}/${poolResource}/providers/${providerId}`;
}

/** One federated identity: `principal://iam.googleapis.com/{pool}/subject/{subject}`. */
export function gcpSubjectPrincipalOf(poolResource: string, subject: string): string {
  return `principal://${HOST}/${poolResource}/subject/${subject}`;
}

/** Every identity of the pool with an attribute value, or (no attribute) the whole pool. */
export function gcpPrincipalSetOf(poolResource: string, attribute?: { name: string; value: string }): string {
  return attribute
    ? `principalSet://${HOST}/${poolResource}/${attribute.name}/${attribute.value}`
    : `principalSet://${HOST}/${poolResource}/*`;
}

/** A federated member read back: which pool, and the one subject or the set it names. */
export type GcpFederatedMember =
  | { readonly kind: "subject"; readonly poolResource: string; readonly subject: string }
  | { readonly kind: "set"; readonly poolResource: string; readonly selector: string };

const FEDERATED =
  /^(principal|principalSet):\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\/(.+)$/;

/** Parses a federated member; undefined for any other member (`serviceAccount:`, `user:`, ...). */
export function parseGcpFederatedMember(member: string): GcpFederatedMember | undefined {
  const match = FEDERATED.exec(member);
  if (!match) return undefined;
  const [, scheme, poolResource = "", rest = ""] = match;
  if (scheme === "principal" && rest.startsWith("subject/"))
    return { kind: "subject", poolResource, subject: rest.slice("subject/".length) };
  return { kind: "set", poolResource, selector: rest };
}
