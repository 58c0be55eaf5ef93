// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${...} in plain strings

/**
 * What an AWS workload role reaches: its identity policies intersected with its permissions
 * boundary, evaluated with the one IAM evaluator against representative resources of every
 * tenant. AWS managed policies' content is not known offline, so one counts as allowing
 * everything (the boundary is what confines it). Condition keys the check cannot know may hold
 * either way: an Allow that depends on them counts, a Deny does not.
 */

import { AWS_TAG_KEYS } from "../../contract/aws-session-tags.ts";
import { workloadsUsing } from "../../environment/clouds.ts";
import type { Environment } from "../../environment/environment.ts";
import { requestContext } from "../evaluate/iam-condition.ts";
import { hasIamWildcard } from "../evaluate/iam-pattern.ts";
import { evaluatePolicy, type IamPolicy, mayAllowAction, parsePolicy } from "../evaluate/iam-policy.ts";
import { substituteVariables } from "../evaluate/iam-variables.ts";
import type { ReachEntry, ReachFinding } from "../reach.ts";
import { instantiatePattern } from "../tenant-patterns.ts";
import { awsPermissionsBoundary, awsTenantResources } from "./aws-boundary.ts";
import { awsRoleArn } from "./aws-role.ts";

/** A workload role's permissions, as the reach check reads them. */
export interface AwsRolePermissions {
  readonly tenantId: string;
  readonly workload: string;
  readonly arn: string;
  /** Identity policy documents whose content is known (inline, customer managed). */
  readonly policies: readonly unknown[];
  /** AWS managed policies: content unknown offline, taken as allowing everything. */
  readonly managedPolicyArns: readonly string[];
  /** The permissions boundary document, when the role has one. */
  readonly boundary?: unknown;
}

/** A resource a probe tries: an ARN, and the request keys that place the request in a partition. */
export interface ReachTarget {
  readonly tenantId: string;
  readonly arn: string;
  readonly keys?: Readonly<Record<string, string | readonly string[]>>;
}

/** A concrete resource standing for a pattern: each `*` and `?` filled with ordinary text. */
export function representativeArn(pattern: string): string {
  return pattern.replaceAll("*", "probe").replaceAll("?", "p");
}

const ALLOW_EVERYTHING = parsePolicy(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  "identity",
);

/** The actions to try on a resource: each action an Allow names, made concrete, and a generic one. */
export function candidateActions(policies: readonly IamPolicy[], service: string): string[] {
  const named = policies.flatMap((p) =>
    p.statements.filter((s) => s.effect === "Allow").flatMap((s) => s.action ?? []),
  );
  const concrete = named.map((a) =>
    hasIamWildcard(a) ? a.replaceAll("*", "Probe").replaceAll("?", "P") : a,
  );
  return [
    ...new Set([...concrete.filter((a) => a.toLowerCase().startsWith(`${service}:`)), `${service}:Probe`]),
  ];
}

/** The request keys IAM knows of a tenant role's session: its ARN and its tenant and workload tags. */
export function roleSessionKeys(role: Pick<AwsRolePermissions, "arn" | "tenantId" | "workload">) {
  return {
    "aws:PrincipalArn": role.arn,
    [`aws:PrincipalTag/${AWS_TAG_KEYS.tenantId}`]: role.tenantId,
    [`aws:PrincipalTag/${AWS_TAG_KEYS.workload}`]: role.workload,
  };
}

/** What a role's reach is evaluated with, prepared once however many targets it is tried against. */
interface PreparedRole {
  readonly identity: IamPolicy[];
  readonly boundary: IamPolicy | undefined;
  /** The request keys of the role's session (ARN, tenant and workload tags). */
  readonly keys: Readonly<Record<string, string>>;
  /** The actions to try, by service. */
  readonly actions: Map<string, string[]>;
}

const prepared = new WeakMap<AwsRolePermissions, PreparedRole>();

/** Boundary documents read once however many roles carry the same one (a tenant's workloads). */
const boundaries = new WeakMap<object, IamPolicy>();

function parsedBoundary(document: unknown): IamPolicy {
  if (typeof document !== "object" || document === null) return parsePolicy(document, "identity");
  const cached = boundaries.get(document);
  if (cached) return cached;
  const policy = parsePolicy(document, "identity");
  boundaries.set(document, policy);
  return policy;
}

function prepare(role: AwsRolePermissions): PreparedRole {
  const cached = prepared.get(role);
  if (cached) return cached;
  const identity = [
    ...role.policies.map((d) => parsePolicy(d, "identity")),
    ...(role.managedPolicyArns.length > 0 ? [ALLOW_EVERYTHING] : []),
  ];
  const boundary = role.boundary === undefined ? undefined : parsedBoundary(role.boundary);
  const ready: PreparedRole = {
    identity,
    boundary,
    keys: roleSessionKeys(role),
    actions: new Map(),
  };
  prepared.set(role, ready);
  return ready;
}

/** The actions by which `role` reaches `target`, none when it does not. */
export function awsReaches(role: AwsRolePermissions, target: ReachTarget, account: string): string[] {
  const { identity, boundary, keys, actions } = prepare(role);
  const service = target.arn.split(":")[2] ?? "";
  let candidates = actions.get(service);
  if (!candidates) {
    candidates = candidateActions([...identity, ...(boundary ? [boundary] : [])], service);
    actions.set(service, candidates);
  }
  const context = requestContext({ ...keys, "aws:PrincipalAccount": account, ...target.keys });
  const decide = (policies: readonly IamPolicy[], action: string) => {
    const decisions = policies.map(
      (p) => evaluatePolicy(p, { action, resource: target.arn, context, unknownKeys: "may-hold" }).decision,
    );
    return !decisions.includes("explicit-deny") && decisions.includes("allow");
  };
  // The boundary first: it refuses most cross-tenant targets at once.
  return candidates.filter(
    (action) => (boundary === undefined || decide([boundary], action)) && decide(identity, action),
  );
}

/**
 * The actions by which `role` reaches `target`, named as its policies name them: each Allow's
 * action pattern (`s3:Get*`, `dynamodb:GetItem`) tried as a concrete action, and `{service}:*`
 * when an action no policy names gets through (an Allow of `*`, or NotAction, on both sides).
 * Its identity policies are decided first: for a role's own resources the boundary allows
 * nearly everything, and what the identity policies do not allow need not be tried against it.
 */
function reachedActionPatterns(role: AwsRolePermissions, target: ReachTarget, account: string): string[] {
  const { identity, boundary, keys } = prepare(role);
  const service = target.arn.split(":")[2] ?? "";
  const tries = actionTries(role, service);
  if (tries.length === 0) return [];
  const context = requestContext({ ...keys, "aws:PrincipalAccount": account, ...target.keys });
  const decide = (policies: readonly IamPolicy[], action: string) => {
    const decisions = policies.map(
      (p) => evaluatePolicy(p, { action, resource: target.arn, context, unknownKeys: "may-hold" }).decision,
    );
    return !decisions.includes("explicit-deny") && decisions.includes("allow");
  };
  const reached = tries.filter(
    ({ action }) => decide(identity, action) && (boundary === undefined || decide([boundary], action)),
  );
  // Any action of the service gets through: the named ones say nothing more.
  if (reached[0]?.label === `${service}:*`) return [`${service}:*`];
  return reached.map((r) => r.label);
}

const triesOf = new WeakMap<AwsRolePermissions, Map<string, { label: string; action: string }[]>>();

/**
 * The actions reachedActionPatterns tries for a role on a service's resources, each with the
 * pattern it stands for; only those an Allow of its identity policies and of its boundary can
 * cover at all (mayAllowAction), so most are never evaluated against a resource.
 */
function actionTries(role: AwsRolePermissions, service: string): { label: string; action: string }[] {
  const byService = triesOf.get(role) ?? new Map<string, { label: string; action: string }[]>();
  triesOf.set(role, byService);
  const cached = byService.get(service);
  if (cached) return cached;
  const { identity, boundary } = prepare(role);
  const ofService = (pattern: string) => pattern.toLowerCase().split(":")[0] === service.toLowerCase();
  const patterns = new Set(
    [...identity, ...(boundary ? [boundary] : [])].flatMap((p) =>
      p.statements
        .filter((s) => s.effect === "Allow")
        .flatMap((s) => s.action ?? [])
        .filter(ofService),
    ),
  );
  const tries = [
    { label: `${service}:*`, action: `${service}:Probe` },
    ...[...patterns].map((label) => ({
      label,
      action: hasIamWildcard(label) ? label.replaceAll("*", "Probe").replaceAll("?", "P") : label,
    })),
  ].filter(
    ({ action }) =>
      identity.some((p) => mayAllowAction(p, action)) &&
      (boundary === undefined || mayAllowAction(boundary, action)),
  );
  byService.set(service, tries);
  return tries;
}

/** The inputs of the AWS reach check of an environment. */
export interface AwsReachInput {
  readonly account: string;
  readonly roles: readonly AwsRolePermissions[];
  /** Representative resources of every tenant, own and partitions of shared ones. */
  readonly targets: readonly ReachTarget[];
}

/** Targets that get one answer for a role: the first is evaluated, the rest follow it. */
interface TargetGroup {
  readonly first: ReachTarget;
  /** Every target of the group, the first included (listed only when the first is reached). */
  readonly all: () => readonly ReachTarget[];
}

const single = (target: ReachTarget): TargetGroup => ({ first: target, all: () => [target] });

/** The findings about one role against the targets that could be reached at all. */
function roleFindings(
  role: AwsRolePermissions,
  others: readonly TargetGroup[],
  own: readonly ReachTarget[],
  account: string,
): ReachFinding[] {
  const findings: ReachFinding[] = [];
  const who = `aws role of ${role.tenantId}/${role.workload}`;
  for (const group of others) {
    const actions = awsReaches(role, group.first, account);
    if (actions.length > 0)
      for (const target of group.all())
        findings.push({
          kind: "tenant-reach",
          subject: who,
          message: `reaches ${target.arn} of ${target.tenantId} (${actions.join(", ")})`,
        });
  }
  const known = { ...role, managedPolicyArns: [] };
  if (own.length > 0 && !own.some((t) => awsReaches(known, t, account).length > 0))
    findings.push({
      kind: "own-reach-unproven",
      subject: who,
      message:
        role.policies.length === 0
          ? "its only permissions are AWS managed policies, whose content is not known offline: its reach of its own resources is unproven"
          : "none of its policies reaches a resource of its own tenant",
    });
  return findings;
}

/**
 * The literal prefixes of the resources a boundary can allow (its Allow statements' Resource
 * patterns, variables filled from the role), or undefined when it cannot be indexed (an Allow
 * with NotResource or without Resource, a variable the role does not fill, no boundary).
 */
function allowedPrefixes(role: AwsRolePermissions): { prefix: string; exact: boolean }[] | undefined {
  if (role.boundary === undefined) return undefined;
  const boundary = parsePolicy(role.boundary, "identity");
  const tags: Readonly<Record<string, string>> = {
    [`aws:principaltag/${AWS_TAG_KEYS.tenantId}`]: role.tenantId,
    [`aws:principaltag/${AWS_TAG_KEYS.workload}`]: role.workload,
  };
  const prefixes: { prefix: string; exact: boolean }[] = [];
  for (const s of boundary.statements.filter((x) => x.effect === "Allow")) {
    if (s.notResource !== undefined || s.resource === undefined) return undefined;
    for (const pattern of s.resource) {
      const filled = boundary.variables
        ? substituteVariables(pattern, (key) => tags[key.toLowerCase()])
        : pattern;
      if (filled === undefined) return undefined;
      // Without a wildcard the pattern names one ARN exactly (each part matched whole).
      prefixes.push({ prefix: filled.split(/[*?]/)[0] ?? "", exact: !hasIamWildcard(filled) });
    }
  }
  return prefixes;
}

/**
 * The condition values a role's policies and boundary compare the given request keys with
 * (variables filled from the role), or undefined when one is a pattern or cannot be filled:
 * then any value may be told apart from any other.
 */
function conditionLiterals(role: AwsRolePermissions, keyNames: ReadonlySet<string>): Set<string> | undefined {
  const { identity, boundary } = prepare(role);
  const tags: Readonly<Record<string, string>> = {
    [`aws:principaltag/${AWS_TAG_KEYS.tenantId}`]: role.tenantId,
    [`aws:principaltag/${AWS_TAG_KEYS.workload}`]: role.workload,
  };
  const literals = new Set<string>();
  for (const policy of [...identity, ...(boundary ? [boundary] : [])]) {
    for (const statement of policy.statements) {
      for (const keys of Object.values(statement.condition)) {
        for (const [key, values] of Object.entries(keys)) {
          // Only conditions on the keys that carry the tenant can tell the targets apart.
          if (!keyNames.has(key.toLowerCase())) continue;
          for (const value of [values].flat().map(String)) {
            const filled = policy.variables
              ? substituteVariables(value, (key) => tags[key.toLowerCase()])
              : value;
            if (filled === undefined || hasIamWildcard(filled)) return undefined;
            literals.add(filled);
          }
        }
      }
    }
  }
  return literals;
}

/**
 * The targets of one ARN, grouped by the names of the request keys that place them in a
 * partition (a shared table's tenants), each tenant's target findable at once.
 */
interface Partitioned {
  readonly keyNames: ReadonlySet<string>;
  readonly targets: readonly ReachTarget[];
  readonly byTenant: ReadonlyMap<string, readonly ReachTarget[]>;
}

/** The targets indexed once for every role: by ARN (sorted, for prefix look-ups), then by key names. */
interface TargetIndex {
  readonly arns: readonly string[];
  readonly byArn: ReadonlyMap<string, readonly Partitioned[]>;
}

function indexTargets(targets: readonly ReachTarget[]): TargetIndex {
  const byArn = new Map<string, Map<string, { keyNames: Set<string>; targets: ReachTarget[] }>>();
  for (const t of targets) {
    const names = Object.keys(t.keys ?? {})
      .map((k) => k.toLowerCase())
      .sort();
    const shapes = byArn.get(t.arn) ?? new Map();
    byArn.set(t.arn, shapes);
    const shape = t.keys === undefined ? "(none)" : names.join(",");
    const entry = shapes.get(shape) ?? { keyNames: new Set(names), targets: [] };
    entry.targets.push(t);
    shapes.set(shape, entry);
  }
  return {
    arns: [...byArn.keys()].sort(),
    byArn: new Map(
      [...byArn].map(([arn, shapes]) => [
        arn,
        [...shapes.values()].map(({ keyNames, targets: ts }) => {
          const byTenant = new Map<string, ReachTarget[]>();
          for (const t of ts) byTenant.set(t.tenantId, [...(byTenant.get(t.tenantId) ?? []), t]);
          return { keyNames, targets: ts, byTenant };
        }),
      ]),
    ),
  };
}

/**
 * The groups of other tenants' targets of one ARN that can be told apart for a role: targets
 * that differ only in the tenant their request keys carry (a shared table's partitions) get the
 * same answer for every tenant the role's conditions never name, so one of those stands for
 * all, beside each tenant they do name. Exact, and independent of the number of tenants for
 * roles whose conditions hold no patterns.
 */
function distinguishable(
  role: AwsRolePermissions,
  partitions: readonly Partitioned[],
  literalsOf: Map<string, Set<string> | undefined>,
): TargetGroup[] {
  const groups: TargetGroup[] = [];
  const others = (ts: readonly ReachTarget[]) => ts.filter((t) => t.tenantId !== role.tenantId);
  for (const p of partitions) {
    const shape = [...p.keyNames].join(",");
    if (p.keyNames.size > 0 && !literalsOf.has(shape))
      literalsOf.set(shape, conditionLiterals(role, p.keyNames));
    const literals = p.keyNames.size > 0 ? literalsOf.get(shape) : undefined;
    if (literals === undefined) {
      groups.push(...others(p.targets).map(single));
      continue;
    }
    for (const tenant of literals)
      if (tenant !== role.tenantId) groups.push(...(p.byTenant.get(tenant) ?? []).map(single));
    const apart = (t: ReachTarget) => t.tenantId !== role.tenantId && !literals.has(t.tenantId);
    const first = p.targets.find(apart);
    if (first) groups.push({ first, all: () => p.targets.filter(apart) });
  }
  return groups;
}

/** The ARNs that start with `prefix`, from ARNs sorted. */
function withPrefix(sorted: readonly string[], prefix: string): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? "") < prefix) lo = mid + 1;
    else hi = mid;
  }
  const found: string[] = [];
  for (let i = lo; i < sorted.length && sorted[i]?.startsWith(prefix); i++) found.push(sorted[i] as string);
  return found;
}

/**
 * No role reaches a resource of another tenant; each role's reach of its own tenant's resources
 * is shown, or reported as unproven (a role whose only permissions are AWS managed policies, or
 * whose policies reach none of its tenant's resources). Linear in roles and targets: a role can
 * reach only what an Allow of its boundary names, so only targets under those statements'
 * literal prefixes are evaluated (all of them for a role whose boundary cannot be indexed).
 */
export function awsReachFindings(input: AwsReachInput): ReachFinding[] {
  const index = indexTargets(input.targets);
  const byTenant = new Map<string, ReachTarget[]>();
  for (const t of input.targets) byTenant.set(t.tenantId, [...(byTenant.get(t.tenantId) ?? []), t]);
  return input.roles.flatMap((role) => {
    const prefixes = allowedPrefixes(role);
    const arns =
      prefixes === undefined
        ? index.arns
        : [
            ...new Set(
              prefixes.flatMap(({ prefix, exact }) =>
                exact ? (index.byArn.has(prefix) ? [prefix] : []) : withPrefix(index.arns, prefix),
              ),
            ),
          ];
    const literalsOf = new Map<string, Set<string> | undefined>();
    const groups = arns.flatMap((arn) => distinguishable(role, index.byArn.get(arn) ?? [], literalsOf));
    return roleFindings(role, groups, byTenant.get(role.tenantId) ?? [], input.account);
  });
}

/** The same check over every pair of role and target: the oracle the indexed check must equal. */
export function awsReachFindingsAllPairs(input: AwsReachInput): ReachFinding[] {
  return input.roles.flatMap((role) =>
    roleFindings(
      role,
      input.targets.filter((t) => t.tenantId !== role.tenantId).map(single),
      input.targets.filter((t) => t.tenantId === role.tenantId),
      input.account,
    ),
  );
}

/** A workload role's permissions as the model renders them: its inline policy, managed policies and tenant boundary. */
function awsRolePermissions(
  env: Environment,
  tenantId: string,
  workload: Environment["tenants"][number]["workloads"][number],
  boundary: unknown = awsPermissionsBoundary(env, env.name, tenantId),
): AwsRolePermissions {
  return {
    tenantId,
    workload: workload.name,
    arn: awsRoleArn(env, tenantId, workload.name),
    policies: workload.aws?.inlinePolicy ? [workload.aws.inlinePolicy] : [],
    managedPolicyArns: workload.aws?.managedPolicyArns ?? [],
    boundary,
  };
}

/**
 * The AWS reach check's inputs for an environment as the model renders it: each workload role
 * with its inline policy, AWS managed policies and generated boundary; and each tenant's own
 * resources (every pattern, `{workload}` per workload) and its partition of every shared entry,
 * as representative resources.
 */
export function awsEnvironmentReach(env: Environment): AwsReachInput {
  const aws = env.clouds.aws;
  if (!aws) throw new Error("AWS is not on for this environment");
  const roles = workloadsUsing(env, "aws").map(({ tenant, workload }) =>
    awsRolePermissions(env, tenant.id, workload),
  );
  const targets = env.tenants.flatMap((tenant): ReachTarget[] => [
    ...aws.tenantResources.flatMap((pattern) =>
      (pattern.includes("{workload}") ? tenant.workloads.map((w) => w.name) : [undefined]).map(
        (workload) => ({
          tenantId: tenant.id,
          arn: representativeArn(
            instantiatePattern(pattern, {
              env: env.name,
              tenant: tenant.id,
              ...(workload ? { workload } : {}),
            }),
          ),
        }),
      ),
    ),
    ...aws.shared.flatMap((entry) => sharedPartitionTargets(entry, tenant.id)),
  ]);
  return { account: aws.accountId, roles, targets };
}

/** Where a tenant's data sits inside a shared entry: its S3 prefix, its DynamoDB keys, its KMS context. */
function sharedPartitionTargets(
  entry: NonNullable<Environment["clouds"]["aws"]>["shared"][number],
  tenantId: string,
): ReachTarget[] {
  const partition = entry.partition;
  if (partition === "none") return entry.resources.map((r) => ({ tenantId, arn: representativeArn(r) }));
  if ("s3Prefix" in partition)
    return entry.resources.map((bucket) => ({
      tenantId,
      arn: `${representativeArn(bucket)}/${tenantId}/probe`,
    }));
  const keys =
    "dynamodbLeadingKeys" in partition
      ? { "dynamodb:LeadingKeys": [tenantId] }
      : { [`kms:EncryptionContext:${partition.kmsEncryptionContextKey}`]: tenantId };
  return entry.resources.map((r) => ({ tenantId, arn: representativeArn(r), keys }));
}

/** A managed policy as a reason names it: `AmazonSQSReadOnlyAccess`, `service-role/X`. */
const policyName = (arn: string) => arn.replace(/^arn:[^:]+:iam::[^:]*:policy\//, "");

/**
 * The resources a role's known identity policies name in their Allow statements, their variables
 * filled from the role's session tags; those naming a variable the role does not fill are left
 * out (the boundary's resources still stand for them).
 */
function identityResources(role: AwsRolePermissions): string[] {
  const tags: Readonly<Record<string, string>> = {
    [`aws:principaltag/${AWS_TAG_KEYS.tenantId}`]: role.tenantId,
    [`aws:principaltag/${AWS_TAG_KEYS.workload}`]: role.workload,
  };
  // The role's policies as prepared (read once): a role without managed policies has only them.
  const { identity } = prepare(role);
  return identity.flatMap((policy) => {
    if (policy === ALLOW_EVERYTHING) return [];
    return policy.statements
      .filter((s) => s.effect === "Allow")
      .flatMap((s) => s.resource ?? [])
      .flatMap((pattern) => {
        const filled = policy.variables
          ? substituteVariables(pattern, (key) => tags[key.toLowerCase()])
          : pattern;
        return filled === undefined ? [] : [filled];
      });
  });
}

/**
 * What each AWS workload's role may reach: its identity policies intersected with its tenant's
 * permissions boundary (IAM's effective permissions: allowed by both, an explicit Deny in either
 * wins), evaluated with the same IAM evaluator as the reach check, each resource pattern tried as
 * a representative ARN. The resources are the boundary's (its tenant's own, `{workload}` filled,
 * and its partition of each shared entry) and, where an identity policy's Allow names a narrower
 * one, that one; a resource no action reaches is not listed, so a role without identity policies
 * reaches nothing through them. AWS managed policies' content is not known offline: a role that
 * has one may reach at most what its boundary allows, so every boundary resource is then listed
 * as an upper bound (`atMost`), saying what its inline policy gives for certain.
 */
export function awsWorkloadReach(env: Environment): ReachEntry[] {
  const aws = env.clouds.aws;
  if (!aws) return [];
  // One boundary document per tenant: its workloads' roles share it, and it is read once.
  const boundaryOf = new Map<string, ReturnType<typeof awsPermissionsBoundary>>();
  return workloadsUsing(env, "aws").flatMap(({ tenant, workload }) => {
    const boundary = boundaryOf.get(tenant.id) ?? awsPermissionsBoundary(env, env.name, tenant.id);
    boundaryOf.set(tenant.id, boundary);
    return awsOneWorkloadReach(env, tenant.id, workload, boundary);
  });
}

/**
 * What one AWS workload's role may reach (awsWorkloadReach for one workload), for a reader that
 * needs only some workloads' reach, as verify needs only those of the targets letting a token in.
 */
export function awsOneWorkloadReach(
  env: Environment,
  tenantId: string,
  workload: Environment["tenants"][number]["workloads"][number],
  boundary: unknown = awsPermissionsBoundary(env, env.name, tenantId),
): ReachEntry[] {
  const aws = env.clouds.aws;
  if (!aws) return [];
  const role = awsRolePermissions(env, tenantId, workload, boundary);
  const known: AwsRolePermissions = { ...role, managedPolicyArns: [] };
  const base = { cloud: "aws" as const, tenantId: tenantId, workload: workload.name };
  const reached = (targets: readonly ReachTarget[]) =>
    known.policies.length === 0
      ? []
      : [...new Set(targets.flatMap((t) => reachedActionPatterns(known, t, aws.accountId)))];
  const managed = role.managedPolicyArns.map(policyName);
  const entry = (
    resource: string,
    actions: readonly string[],
    boundaryActions: string,
    shared?: string,
  ): ReachEntry[] => {
    const extra = shared ? { shared } : {};
    if (managed.length === 0)
      return actions.length > 0 ? [{ ...base, resource, access: actions.join(", "), ...extra }] : [];
    const certain = actions.length > 0 ? `${actions.join(", ")} by its inline policy; ` : "";
    return [
      {
        ...base,
        resource,
        access: `${certain}whatever ${managed.join(", ")} ${managed.length > 1 ? "allow" : "allows"} (${managed.length > 1 ? "managed policies: their" : "a managed policy: its"} content is not known offline), up to its boundary's ${boundaryActions}`,
        ...extra,
        atMost: true,
      },
    ];
  };
  const own = awsTenantResources(env, env.name, tenantId).map((r) =>
    r.replaceAll("${aws:PrincipalTag/workload}", workload.name),
  );
  // The boundary's own resources, and each shared entry's, are listed with their partition below.
  const listed = new Set([
    ...own,
    ...aws.shared.flatMap((shared) => [
      ...shared.resources,
      ...shared.resources.map((r) => `${r}/${tenantId}/*`),
    ]),
  ]);
  const narrower = [...new Set(identityResources(known))].filter((r) => !listed.has(r));
  const target = (resource: string): ReachTarget => ({
    tenantId: tenantId,
    arn: representativeArn(resource),
  });
  return [
    ...own.flatMap((resource) => entry(resource, reached([target(resource)]), "every action")),
    // An identity policy's own resources are certain reach only: the boundary's stand for the rest.
    ...narrower.flatMap((resource) => {
      const actions = reached([target(resource)]);
      return actions.length > 0 ? [{ ...base, resource, access: actions.join(", ") }] : [];
    }),
    ...aws.shared.flatMap((shared) =>
      entry(
        shared.resources.join(", "),
        reached(sharedPartitionTargets(shared, tenantId)),
        shared.actions.join(", "),
        shared.name,
      ),
    ),
  ];
}
