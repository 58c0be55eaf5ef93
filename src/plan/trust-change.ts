/**
 * Whether a change to a resource's trust widens it (more tokens obtain the identity), narrows
 * it, or both, read from the values that decide it: lists of what is admitted (audiences, client
 * ids, members) widen when they grow; AWS trust conditions widen when a key goes or a key's
 * values grow (values of one key are alternatives); a single value that changes (a subject, an
 * issuer, a CEL condition) both admits new tokens and stops admitting the old ones.
 */
import type { PlanResource } from "./plan.ts";

/** The direction of a trust change. */
export type TrustDirection = "widened" | "narrowed" | "changed";

/** The properties that decide who obtains each trust-carrying type, and how they read. */
const TRUST_PROPERTIES: Readonly<
  Record<string, Readonly<Record<string, "admits" | "single" | "aws-trust">>>
> = {
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { clientIdLists: "admits", url: "single" },
  "aws:iam/role:Role": { assumeRolePolicy: "aws-trust" },
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": {
    attributeCondition: "single",
    attributeMapping: "single",
    oidc: "single",
  },
  "azure-native:managedidentity:FederatedIdentityCredential": {
    issuer: "single",
    subject: "single",
    audiences: "admits",
  },
  "gcp:serviceaccount/iAMMember:IAMMember": { member: "single" },
  "gcp:storage/bucketIAMMember:BucketIAMMember": { member: "single" },
  "gcp:bigquery/datasetIamMember:DatasetIamMember": { member: "single" },
  "gcp:pubsub/topicIAMMember:TopicIAMMember": { member: "single" },
  "gcp:secretmanager/secretIamMember:SecretIamMember": { member: "single" },
};

/** The trust-deciding properties of a type; none when it carries no trust. */
export function trustProperties(type: string): readonly string[] {
  return Object.keys(TRUST_PROPERTIES[type] ?? {});
}

/** How the trust of `type` moved from `before` to `after` (same resource); undefined when it did not. */
export function trustDirection(
  type: string,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): TrustDirection | undefined {
  let widened = false;
  let narrowed = false;
  for (const [property, reading] of Object.entries(TRUST_PROPERTIES[type] ?? {})) {
    const a = before[property];
    const b = after[property];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (reading === "admits") {
      const was = new Set((a ?? []) as string[]);
      const now = new Set((b ?? []) as string[]);
      widened ||= [...now].some((x) => !was.has(x));
      narrowed ||= [...was].some((x) => !now.has(x));
    } else if (reading === "aws-trust") {
      const was = conditionValues(a);
      const now = conditionValues(b);
      for (const [key, values] of was) {
        const next = now.get(key);
        if (!next) widened = true;
        else {
          widened ||= [...next].some((v) => !values.has(v));
          narrowed ||= [...values].some((v) => !next.has(v));
        }
      }
      narrowed ||= [...now.keys()].some((k) => !was.has(k));
    } else {
      widened = true;
      narrowed = true;
    }
  }
  if (widened && narrowed) return "changed";
  return widened ? "widened" : narrowed ? "narrowed" : undefined;
}

/**
 * An AWS trust policy as `statement / effect / action / principal / operator / key` -> its values:
 * every part of a statement that decides whom it admits.
 */
function conditionValues(document: unknown): Map<string, Set<string>> {
  const parsed = typeof document === "string" ? safeParse(document) : document;
  const statements = ((parsed as { Statement?: unknown })?.Statement ?? []) as Record<string, unknown>[];
  const values = new Map<string, Set<string>>();
  for (const [i, s] of (Array.isArray(statements) ? statements : [statements]).entries()) {
    const at = `${i}/${String(s.Effect)}`;
    values.set(`${at}/Action`, new Set([s.Action].flat().map(String)));
    values.set(`${at}/Principal`, new Set([JSON.stringify(s.Principal)]));
    for (const [operator, keys] of Object.entries(
      (s.Condition ?? {}) as Record<string, Record<string, unknown>>,
    ))
      for (const [key, v] of Object.entries(keys))
        values.set(`${at}/${operator}/${key}`, new Set([v].flat().map(String)));
  }
  return values;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { Statement: [{ Raw: text }] };
  }
}

/** Whose trust a resource carries, as the diff names it. */
export function trustSubject(r: PlanResource): string {
  const owner = r.owner
    ? ` of ${r.owner.workload ? `${r.owner.tenantId}/${r.owner.workload}` : r.owner.tenantId}`
    : "";
  return `${r.type.split(":").at(-1)} ${r.name}${owner}`;
}
