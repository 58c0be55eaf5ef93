/**
 * What a change does, from the plan at a base commit and the plan of the working tree: the
 * security-relevant changes first (tenants and workloads added or removed, trust widened or
 * narrowed, reach gained or lost, scopes granted, replacements that break workloads, Action code
 * and binding order), then every other resource change.
 */
import { createTwoFilesPatch } from "diff";
import {
  type Plan,
  type PlanResource,
  type PlanTenant,
  type PlanWorkload,
  reachAccess,
  reachLine,
  reachTarget,
} from "./plan.ts";
import { PERMISSION_KINDS } from "./resource-kinds.ts";
import { trustDirection, trustProperties, trustSubject } from "./trust-change.ts";

/** The kinds of change, in the order the diff lists them. */
export const CHANGE_CATEGORIES = [
  "tenant",
  "workload",
  "trust",
  "reach",
  "grant",
  "replacement",
  "action",
  "binding",
  "permissions",
  "preview",
  "resource",
] as const;
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number];

/** One change. */
export interface Change {
  readonly category: ChangeCategory;
  /** Needs a security review: CI asks for one, `m2m diff` exits 4. */
  readonly security: boolean;
  /** Whose or what: `tenant globex`, `globex/billing-sync`, `Role globex-billing-sync`. */
  readonly subject: string;
  readonly message: string;
  /** More lines: the values before and after, a code diff. */
  readonly details?: readonly string[];
}

/** A resource's fate between the plans. */
export interface ResourceChange {
  readonly key: string;
  readonly op: "create" | "delete" | "update" | "replace";
  /** The inputs that differ (update, replace). */
  readonly properties: readonly string[];
}

/** The diff of two plans of one stack. */
export interface PlanDiff {
  readonly stack: string;
  /** How the base was named, and the commit it is. */
  readonly base: { readonly ref: string; readonly commit: string };
  readonly changes: readonly Change[];
  readonly resources: readonly ResourceChange[];
  /** Things the reader should know about how the diff was made. */
  readonly notes: readonly string[];
}

const workloadKeyOf = (w: Pick<PlanWorkload, "tenantId" | "workload">) => `${w.tenantId}/${w.workload}`;
const json = (v: unknown) => JSON.stringify(v);

/** The diff from `base` to `head`, changes ordered by category, security-relevant first within each. */
export function diffPlans(
  base: Plan,
  head: Plan,
  ref: { ref: string; commit: string },
  notes: readonly string[] = [],
): PlanDiff {
  const changes: Change[] = [
    ...tenantChanges(base, head),
    ...workloadChanges(base, head),
    ...resourceLevelChanges(base, head),
    ...actionChanges(base, head),
  ];
  changes.sort(
    (a, b) =>
      Number(b.security) - Number(a.security) ||
      CHANGE_CATEGORIES.indexOf(a.category) - CHANGE_CATEGORIES.indexOf(b.category),
  );
  return { stack: head.stack, base: ref, changes, resources: resourceChanges(base, head), notes: [...notes] };
}

/** Adds the changes of a folded `pulumi preview`, keeping the order: security first. */
export function withChanges(diff: PlanDiff, more: readonly Change[]): PlanDiff {
  const changes = [...diff.changes, ...more].sort(
    (a, b) =>
      Number(b.security) - Number(a.security) ||
      CHANGE_CATEGORIES.indexOf(a.category) - CHANGE_CATEGORIES.indexOf(b.category),
  );
  return { ...diff, changes };
}

function tenantChanges(base: Plan, head: Plan): Change[] {
  const was = new Map(base.tenants.map((t) => [t.id, t]));
  const now = new Map(head.tenants.map((t) => [t.id, t]));
  const changes: Change[] = [];
  for (const t of head.tenants) {
    if (!was.has(t.id))
      changes.push({
        category: "tenant",
        security: true,
        subject: `tenant ${t.id}`,
        message: `added, with ${t.workloads.length} workload${t.workloads.length === 1 ? "" : "s"}: ${t.workloads.map((w) => w.workload).join(", ")}`,
      });
    else if (was.get(t.id)?.decommissioned !== t.decommissioned)
      changes.push({
        category: "tenant",
        security: true,
        subject: `tenant ${t.id}`,
        message: t.decommissioned
          ? "decommissioned: its resources lose protection at the next pulumi up, so the one after can remove it"
          : "no longer decommissioned: its resources are protected again",
      });
  }
  for (const t of base.tenants) {
    if (now.has(t.id)) continue;
    changes.push({
      category: "tenant",
      security: true,
      subject: `tenant ${t.id}`,
      message: `removed, with its workloads ${t.workloads.map((w) => w.workload).join(", ")}${removalWarning(base, t)}`,
    });
  }
  return changes;
}

function removalWarning(base: Plan, t: PlanTenant): string {
  if (!base.production || t.decommissioned) return "";
  return `. Its resources are protected in ${base.stack}: pulumi up will fail. Decommission it first (m2m tenant remove ${t.id} --stack ${base.stack} sets decommissioned: true), deploy that, then remove it`;
}

function workloadChanges(base: Plan, head: Plan): Change[] {
  const baseTenants = new Map(base.tenants.map((t) => [t.id, t]));
  const was = new Map(base.tenants.flatMap((t) => t.workloads.map((w) => [workloadKeyOf(w), w] as const)));
  const changes: Change[] = [];
  const headTenantIds = new Set(head.tenants.map((t) => t.id));
  for (const tenant of head.tenants) {
    for (const w of tenant.workloads) {
      const before = was.get(workloadKeyOf(w));
      if (!before) {
        if (baseTenants.has(tenant.id))
          changes.push({ category: "workload", security: true, subject: workloadKeyOf(w), message: "added" });
        changes.push(...grantChanges(undefined, w), ...reachChanges(undefined, w));
        continue;
      }
      changes.push(...grantChanges(before, w), ...reachChanges(before, w));
    }
  }
  const now = new Set(head.tenants.flatMap((t) => t.workloads.map(workloadKeyOf)));
  for (const tenant of base.tenants) {
    for (const w of tenant.workloads) {
      if (now.has(workloadKeyOf(w))) continue;
      if (headTenantIds.has(tenant.id))
        changes.push({
          category: "workload",
          security: true,
          subject: workloadKeyOf(w),
          message: `removed${base.production && !tenant.decommissioned ? `. Its resources are protected in ${base.stack}: pulumi up will fail. Decommission its tenant first (decommissioned: true), deploy that, then remove it` : ""}`,
        });
      changes.push(...reachChanges(w, undefined));
    }
  }
  return changes;
}

function grantChanges(before: PlanWorkload | undefined, after: PlanWorkload): Change[] {
  const was = new Map((before?.grants ?? []).map((g) => [g.api, g]));
  const changes: Change[] = [];
  for (const g of after.grants) {
    const old = was.get(g.api);
    const added = g.scopes.filter((s) => !old?.scopes.includes(s));
    const removed = (old?.scopes ?? []).filter((s) => !g.scopes.includes(s));
    if (!old)
      changes.push({
        category: "grant",
        security: true,
        subject: workloadKeyOf(after),
        message: `granted ${g.api}: ${g.scopes.join(" ")}`,
      });
    else if (added.length > 0 || removed.length > 0)
      changes.push({
        category: "grant",
        security: true,
        subject: workloadKeyOf(after),
        message: [
          ...(added.length > 0 ? [`scopes added to its ${g.api} grant: ${added.join(" ")}`] : []),
          ...(removed.length > 0 ? [`scopes removed from its ${g.api} grant: ${removed.join(" ")}`] : []),
        ].join("; "),
      });
    was.delete(g.api);
  }
  if (before)
    for (const g of was.values())
      changes.push({
        category: "grant",
        security: true,
        subject: workloadKeyOf(after),
        message: `grant to ${g.api} removed (${g.scopes.join(" ")})`,
      });
  return changes;
}

/**
 * A workload's reach gained, lost, and changed: a target reached once before and once after by
 * other access (other actions, or an upper bound become a reach shown) is one change, not a
 * loss and a gain. Targets reached several ways (GCP roles on one resource) are compared line
 * by line.
 */
function reachChanges(before: PlanWorkload | undefined, after: PlanWorkload | undefined): Change[] {
  const who = before ?? after;
  if (!who) return [];
  const byTarget = (w: PlanWorkload | undefined) => {
    const targets = new Map<string, PlanWorkload["reach"][number][]>();
    for (const r of w?.reach ?? []) targets.set(reachTarget(r), [...(targets.get(reachTarget(r)) ?? []), r]);
    return targets;
  };
  const was = byTarget(before);
  const now = byTarget(after);
  const changed: string[] = [];
  const changedTargets = new Set<string>();
  for (const [target, [old, ...moreOld]] of was) {
    const [current, ...moreNow] = now.get(target) ?? [];
    if (!old || !current || moreOld.length > 0 || moreNow.length > 0) continue;
    if (reachLine(old) === reachLine(current)) continue;
    changed.push(`${target}: ${reachAccess(old)} -> ${reachAccess(current)}`);
    changedTargets.add(target);
  }
  const lines = (targets: Map<string, PlanWorkload["reach"][number][]>) =>
    new Set(
      [...targets].filter(([target]) => !changedTargets.has(target)).flatMap(([, rs]) => rs.map(reachLine)),
    );
  const wasLines = lines(was);
  const nowLines = lines(now);
  const gained = [...nowLines].filter((l) => !wasLines.has(l));
  const lost = [...wasLines].filter((l) => !nowLines.has(l));
  const subject = `${workloadKeyOf(who)} (tenant ${who.tenantId})`;
  const change = (message: string, details: string[]): Change[] =>
    details.length > 0
      ? [{ category: "reach", security: true, subject, message: `${message}: ${details.length}`, details }]
      : [];
  return [
    ...change("reach gained", gained),
    ...change("reach lost", lost),
    ...change("reach changed", changed),
  ];
}

/** What a replacement of each kind breaks, beyond the resource itself. */
const REPLACEMENT_BREAKS: Readonly<Record<string, string>> = {
  api: "the API is replaced: its identifier is the audience, so workloads requesting the old one get no token, and its grants are recreated",
  gcpPool:
    "the pool is replaced: GCP keeps a deleted pool soft-deleted for 30 days and refuses its id meanwhile, and every principal in it changes",
  gcpPoolProvider:
    "the provider is replaced: GCP keeps a deleted provider soft-deleted for 30 days and refuses its id meanwhile",
  client: "the application is replaced: a new client id and credentials, which its workload must be given",
  awsRole: "the role is replaced: sessions on it end and its ARN's unique id changes",
  awsOidcProvider:
    "the OIDC provider is replaced: every role that trusts it refuses tokens until it exists again",
  gcpServiceAccount:
    "the service account is replaced: its unique id changes, and bindings to the old one stop working",
  azureIdentity:
    "the managed identity is replaced: a new client id and principal, so role assignments and the workloads' configuration change",
  azureFederatedCredential:
    "the federated credential is replaced: the workload's exchange fails between the delete and the create",
  triggerBinding:
    "the binding list is replaced: every Action on the trigger, other teams' too, is unbound in between",
};

function resourceLevelChanges(base: Plan, head: Plan): Change[] {
  const was = new Map(base.resources.map((r) => [r.key, r]));
  const now = new Map(head.resources.map((r) => [r.key, r]));
  const changes: Change[] = [];
  for (const r of head.resources) {
    const old = was.get(r.key);
    if (!old) {
      if (trustProperties(r.type).length > 0 && r.owner && tenantExisted(base, r))
        changes.push({
          category: "trust",
          security: true,
          subject: trustSubject(r),
          message: "trust widened: a new trust for an existing tenant's workload",
          details: trustProperties(r.type).map((p) => `${p}: ${json(r.inputs[p])}`),
        });
      continue;
    }
    const differing = changedProperties(old, r);
    if (differing.length === 0) continue;
    const replacing = differing.filter((p) => old.replaceOn.includes(p));
    if (replacing.length > 0) {
      const breaks = REPLACEMENT_BREAKS[r.kind ?? ""];
      changes.push({
        category: "replacement",
        security: true,
        subject: trustSubject(r),
        message: `replaced (${replacing.join(", ")} changed)${old.protect ? `: it is protected in ${base.stack}, so pulumi up will refuse` : ""}${breaks ? `. ${breaks}` : ""}`,
        details: replacing.map((p) => `${p}: ${json(old.inputs[p])} -> ${json(r.inputs[p])}`),
      });
    }
    const direction = trustDirection(r.type, old.inputs, r.inputs);
    if (direction)
      changes.push({
        category: "trust",
        security: true,
        subject: trustSubject(r),
        message: `trust ${direction}`,
        details: trustProperties(r.type)
          .filter((p) => json(old.inputs[p]) !== json(r.inputs[p]))
          .flatMap((p) => [`${p} before: ${json(old.inputs[p])}`, `${p} after:  ${json(r.inputs[p])}`]),
      });
    if (r.type === "auth0:index/triggerActions:TriggerActions" && differing.includes("actions"))
      changes.push({
        category: "binding",
        security: true,
        subject: "credentials-exchange",
        message: `binding order: ${base.bindings.join(" > ") || "(none)"} -> ${head.bindings.join(" > ") || "(none)"}`,
      });
    const permissions = r.kind && PERMISSION_KINDS.has(r.kind) && r.kind !== "clientGrant" && !direction;
    const other = differing.filter(
      (p) =>
        !replacing.includes(p) &&
        !trustProperties(r.type).includes(p) &&
        !(r.type === "auth0:index/action:Action" && p === "code"),
    );
    if (
      other.length > 0 &&
      r.type !== "auth0:index/triggerActions:TriggerActions" &&
      r.type !== "auth0:index/clientGrant:ClientGrant"
    )
      changes.push({
        category: permissions ? "permissions" : "resource",
        security: Boolean(permissions),
        subject: trustSubject(r),
        message: `${permissions ? "permissions changed" : "updated"}: ${other.join(", ")}`,
        details: other.map((p) => `${p}: ${json(old.inputs[p])} -> ${json(r.inputs[p])}`),
      });
  }
  for (const r of base.resources) {
    if (now.has(r.key) || !r.custom) continue;
    if (r.protect)
      changes.push({
        category: "resource",
        security: true,
        subject: trustSubject(r),
        message: `deleted while protected in ${base.stack}: pulumi up will refuse (decommission its tenant first)`,
      });
  }
  return changes;
}

function tenantExisted(base: Plan, r: PlanResource): boolean {
  return base.tenants.some(
    (t) => t.id === r.owner?.tenantId && t.workloads.some((w) => w.workload === r.owner?.workload),
  );
}

function changedProperties(a: PlanResource, b: PlanResource): string[] {
  const keys = [...new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)])].sort();
  return keys.filter((k) => json(a.inputs[k]) !== json(b.inputs[k]));
}

function actionChanges(base: Plan, head: Plan): Change[] {
  const was = new Map(base.actions.map((a) => [a.name, a]));
  const changes: Change[] = [];
  for (const a of head.actions) {
    const old = was.get(a.name);
    if (!old || old.sha256 === a.sha256) continue;
    const patch = createTwoFilesPatch(
      `${a.name} (base)`,
      `${a.name} (working tree)`,
      old.code,
      a.code,
      undefined,
      undefined,
      { context: 3 },
    );
    changes.push({
      category: "action",
      security: true,
      subject: `Action ${a.name}`,
      message: `code changed: sha256 ${old.sha256.slice(0, 12)} (${old.bytes} bytes) -> ${a.sha256.slice(0, 12)} (${a.bytes} bytes); every token it runs for is affected at deploy`,
      details: patch
        .split("\n")
        .slice(2)
        .filter((l) => l !== "\\ No newline at end of file"),
    });
  }
  return changes;
}

/** Every resource created, deleted, updated or replaced. */
function resourceChanges(base: Plan, head: Plan): ResourceChange[] {
  const was = new Map(base.resources.filter((r) => r.custom).map((r) => [r.key, r]));
  const out: ResourceChange[] = [];
  for (const r of head.resources) {
    if (!r.custom) continue;
    const old = was.get(r.key);
    if (!old) out.push({ key: r.key, op: "create", properties: [] });
    else {
      const properties = changedProperties(old, r);
      if (properties.length > 0)
        out.push({
          key: r.key,
          op: properties.some((p) => old.replaceOn.includes(p)) ? "replace" : "update",
          properties,
        });
      was.delete(r.key);
    }
  }
  for (const r of was.values()) out.push({ key: r.key, op: "delete", properties: [] });
  return out;
}
