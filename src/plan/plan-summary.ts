import type { Plan, PlanResource } from "./plan.ts";

/** The counts a plan opens with. */
export interface PlanCounts {
  readonly tenants: number;
  readonly workloads: number;
  readonly apis: number;
  readonly grants: number;
  readonly actions: number;
  readonly resources: number;
  readonly protected: number;
}

/** The counts of a plan's tenants, workloads and resources. */
export function planCounts(plan: Plan): PlanCounts {
  const workloads = plan.tenants.flatMap((t) => t.workloads);
  const custom = plan.resources.filter((r) => r.custom);
  return {
    tenants: plan.tenants.length,
    workloads: workloads.length,
    apis: plan.resources.filter((r) => r.type === "auth0:index/resourceServer:ResourceServer").length,
    grants: workloads.reduce((n, w) => n + w.grants.length, 0),
    actions: plan.actions.length,
    resources: custom.length,
    protected: custom.filter((r) => r.protect).length,
  };
}

/** One line of counts. */
export function countsLine(c: PlanCounts): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return [
    n(c.tenants, "tenant"),
    n(c.workloads, "workload"),
    n(c.apis, "API"),
    n(c.grants, "grant"),
    n(c.actions, "Action"),
    `${n(c.resources, "resource")} (${c.protected} protected)`,
  ].join(", ");
}

/** The sections resources are listed in, each with the type prefixes it holds. */
export const RESOURCE_SECTIONS: readonly { readonly title: string; readonly prefixes: readonly string[] }[] =
  [
    { title: "Auth0", prefixes: ["auth0:", "pulumi:providers:auth0"] },
    { title: "AWS", prefixes: ["aws:", "pulumi:providers:aws"] },
    { title: "GCP", prefixes: ["gcp:", "pulumi:providers:gcp"] },
    { title: "Azure", prefixes: ["azure-native:", "pulumi:providers:azure-native"] },
  ];

/** The custom resources of each section, in plan order; sections without any left out. */
export function resourceSections(plan: Plan): { title: string; resources: PlanResource[] }[] {
  return RESOURCE_SECTIONS.map((s) => ({
    title: s.title,
    resources: plan.resources.filter((r) => r.custom && s.prefixes.some((p) => r.type.startsWith(p))),
  })).filter((s) => s.resources.length > 0);
}

/** A resource's heading: type, name, and what the model and the table add. */
export function resourceHeading(r: PlanResource): string {
  const marks = [
    ...(r.protect ? ["protected"] : []),
    ...(r.retainOnDelete ? ["retained on delete"] : []),
    ...(r.owner
      ? [`of ${r.owner.workload ? `${r.owner.tenantId}/${r.owner.workload}` : r.owner.tenantId}`]
      : []),
  ];
  return `${r.type} ${r.name}${marks.length > 0 ? ` (${marks.join(", ")})` : ""}`;
}

/** A resource's inputs, one per line, JSON documents (trust and permission policies) expanded. */
export function inputLines(r: PlanResource): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(r.inputs)) {
    const replaces = r.replaceOn.includes(key) ? "  (replaces on change)" : "";
    const document = typeof value === "string" ? jsonDocument(value) : undefined;
    if (document !== undefined) {
      lines.push(`${key}:${replaces}`);
      for (const l of JSON.stringify(document, null, 2).split("\n")) lines.push(`  ${l}`);
    } else if (typeof value === "string" && value.includes("\n")) {
      lines.push(`${key}:${replaces}`);
      for (const l of value.trimEnd().split("\n")) lines.push(`  ${l}`);
    } else lines.push(`${key}: ${JSON.stringify(value)}${replaces}`);
  }
  return lines;
}

function jsonDocument(value: string): unknown {
  if (!value.startsWith("{")) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
