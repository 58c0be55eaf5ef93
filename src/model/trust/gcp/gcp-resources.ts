/**
 * The GCP resources a grant can target, named as IAM names them: a tenant's own buckets,
 * BigQuery datasets, Pub/Sub topics and secrets (declared as patterns in
 * `clouds.gcp.tenantResources`), a shared bucket, or the project. Ownership of a target is
 * decided here, once, for the rules, the reach check and the Pulumi program.
 */

import type {
  EnvironmentConfig,
  GcpCloudConfig,
  GcpGrant,
  GcpSharedConfig,
} from "../../environment/schema.ts";
import { globsIntersect, instantiatePattern } from "../tenant-patterns.ts";

/** The kinds of a tenant's own resources, as `clouds.gcp.tenantResources` keys them. */
export const GCP_RESOURCE_KINDS = ["buckets", "datasets", "topics", "secrets"] as const;
export type GcpResourceKind = (typeof GCP_RESOURCE_KINDS)[number];

/** The grant field that names a resource of each kind. */
export const GCP_TARGET_FIELD = {
  buckets: "bucket",
  datasets: "dataset",
  topics: "topic",
  secrets: "secret",
} as const satisfies Record<GcpResourceKind, keyof GcpGrant>;

/** The service whose permissions act on each kind: a role without any grants nothing there. */
export const GCP_KIND_SERVICE: Record<GcpResourceKind, string> = {
  buckets: "storage",
  datasets: "bigquery",
  topics: "pubsub",
  secrets: "secretmanager",
};

/**
 * Each service's rule for a resource name, checked on every tenant's instantiation (a `*` of a
 * pattern stands for valid characters): the rule in words, for the message.
 */
export const GCP_NAME_RULES: Record<GcpResourceKind, { readonly pattern: RegExp; readonly rule: string }> = {
  buckets: {
    pattern: /^(?!goog)(?!.*google)[a-z0-9][a-z0-9_.-]{1,61}[a-z0-9]$/,
    rule: "3 to 63 of a-z, 0-9, '-', '_' and '.', starting and ending with a letter or digit, not starting with goog nor containing google",
  },
  datasets: { pattern: /^\w{1,1024}$/, rule: "letters, digits and '_' only (no '-'), at most 1,024" },
  topics: {
    pattern: /^(?!goog)[A-Za-z][\w.~+%-]{2,254}$/,
    rule: "3 to 255 of letters, digits and -_.~+%, starting with a letter and not with goog",
  },
  secrets: { pattern: /^[\w-]{1,255}$/, rule: "1 to 255 of letters, digits, '-' and '_'" },
};

/** What one grant targets, read from its fields. */
export type GcpTarget =
  | { readonly kind: GcpResourceKind; readonly name: string }
  | { readonly kind: "project" }
  | { readonly kind: "none" }
  | { readonly kind: "several"; readonly fields: readonly string[] };

/** The target of a grant: exactly one of bucket, dataset, topic, secret, project. */
export function gcpGrantTarget(grant: GcpGrant): GcpTarget {
  const named = GCP_RESOURCE_KINDS.filter((kind) => grant[GCP_TARGET_FIELD[kind]] !== undefined);
  const fields = [...named.map((k) => GCP_TARGET_FIELD[k]), ...(grant.project ? ["project"] : [])];
  if (fields.length > 1) return { kind: "several", fields };
  const [kind] = named;
  if (kind) return { kind, name: grant[GCP_TARGET_FIELD[kind]] as string };
  return grant.project ? { kind: "project" } : { kind: "none" };
}

/** The IAM full resource name of a resource: what conditions test and reach reports. */
export function gcpResourceName(gcp: Pick<GcpCloudConfig, "projectId">, kind: GcpResourceKind, name: string) {
  switch (kind) {
    case "buckets":
      return `projects/_/buckets/${name}`;
    case "datasets":
      return `projects/${gcp.projectId}/datasets/${name}`;
    case "topics":
      return `projects/${gcp.projectId}/topics/${name}`;
    case "secrets":
      return `projects/${gcp.projectId}/secrets/${name}`;
  }
}

/** One tenant's instantiated pattern of one kind, with where it is declared. */
export interface GcpTenantPattern {
  readonly tenant: string;
  readonly kind: GcpResourceKind;
  readonly pattern: string;
  readonly at: string;
}

/**
 * Every declared tenant's patterns, instantiated; `{workload}` stands for any of the tenant's
 * workloads, so it becomes `*`.
 */
export function gcpTenantPatterns(config: Pick<EnvironmentConfig, "tenants" | "clouds">, envName: string) {
  const gcp = config.clouds.gcp;
  if (!gcp) return [];
  return config.tenants.flatMap((tenant, t) =>
    GCP_RESOURCE_KINDS.flatMap((kind) =>
      gcp.tenantResources[kind].map(
        (pattern, i): GcpTenantPattern => ({
          tenant: tenant.id,
          kind,
          pattern: instantiatePattern(pattern.replaceAll("{workload}", "*"), {
            env: envName,
            tenant: tenant.id,
          }),
          at: `clouds.gcp.tenantResources.${kind}[${i}] for tenants[${t}] (${tenant.id})`,
        }),
      ),
    ),
  );
}

/** Who a named resource belongs to: tenants whose patterns match it, and the shared entry naming it. */
export interface GcpOwnership {
  readonly owners: readonly GcpTenantPattern[];
  readonly shared?: GcpSharedConfig;
}

/** The owners of `name` of `kind`, and the shared entry when it is a shared bucket. */
export function gcpOwnership(
  config: Pick<EnvironmentConfig, "tenants" | "clouds">,
  envName: string,
  kind: GcpResourceKind,
  name: string,
): GcpOwnership {
  const owners = ownerIndex(config, envName)
    .get(kind)
    ?.candidates(name)
    .filter((p) => globsIntersect(p.pattern, name));
  const shared =
    kind === "buckets" ? config.clouds.gcp?.shared.find((entry) => entry.bucket === name) : undefined;
  return { owners: owners ?? [], ...(shared ? { shared } : {}) };
}

/**
 * The tenants' patterns of each kind by their literal prefix (the text before the first
 * wildcard), built once per environment: a name can match only patterns whose prefix starts it,
 * so an owner look-up tries the name's prefixes, not every tenant's pattern.
 */
interface PrefixIndex {
  candidates(name: string): GcpTenantPattern[];
}

const ownerIndexes = new WeakMap<object, Map<string, Map<GcpResourceKind, PrefixIndex>>>();

function ownerIndex(
  config: Pick<EnvironmentConfig, "tenants" | "clouds">,
  envName: string,
): Map<GcpResourceKind, PrefixIndex> {
  const byEnv = ownerIndexes.get(config) ?? new Map<string, Map<GcpResourceKind, PrefixIndex>>();
  ownerIndexes.set(config, byEnv);
  const cached = byEnv.get(envName);
  if (cached) return cached;
  const byKind = new Map<GcpResourceKind, Map<string, GcpTenantPattern[]>>();
  for (const p of gcpTenantPatterns(config, envName)) {
    const prefixes = byKind.get(p.kind) ?? new Map<string, GcpTenantPattern[]>();
    byKind.set(p.kind, prefixes);
    const prefix = p.pattern.split(/[*?]/)[0] ?? "";
    prefixes.set(prefix, [...(prefixes.get(prefix) ?? []), p]);
  }
  const index = new Map(
    [...byKind].map(([kind, prefixes]): [GcpResourceKind, PrefixIndex] => [
      kind,
      {
        candidates: (name) => {
          const found: GcpTenantPattern[] = [];
          for (let end = 0; end <= name.length; end++)
            found.push(...(prefixes.get(name.slice(0, end)) ?? []));
          return found;
        },
      },
    ]),
  );
  byEnv.set(envName, index);
  return index;
}

/** The IAM condition that confines a binding on a shared bucket to a tenant's object prefix. */
export function gcpObjectPrefixCondition(bucket: string, tenantId: string) {
  return {
    title: `tenant ${tenantId} objects only`,
    description: `Objects of ${bucket} under ${tenantId}/: the tenant's partition of a shared bucket`,
    expression: `resource.name.startsWith('projects/_/buckets/${bucket}/objects/${tenantId}/')`,
  };
}

/** A grant's target in a few words: `bucket X`, `dataset X`, `topic X`, `secret X` or `project P`. */
export function gcpTargetLabel(grant: GcpGrant, projectId: string): string {
  const target = gcpGrantTarget(grant);
  return "name" in target ? `${GCP_TARGET_FIELD[target.kind]} ${target.name}` : `project ${projectId}`;
}
