import { type Plan, type PlanWorkload, reachLine } from "./plan.ts";
import { countsLine, inputLines, planCounts, resourceHeading, resourceSections } from "./plan-summary.ts";

/** What every face of the plan says about where it comes from. */
export function planProvenance(plan: Plan): string[] {
  return [
    `The program run offline under mocks: what pulumi up --stack ${plan.stack} would register. Client ids are placeholders (Auth0 assigns them); no secret is read or shown.`,
    ...(plan.unsetConfig.length > 0
      ? [
          `Not set in Pulumi.${plan.stack}.yaml, which pulumi up needs: ${plan.unsetConfig.join(", ")} (pulumi config set ... --stack ${plan.stack}).`,
        ]
      : []),
  ];
}

/** The workload's lines: application, grants, trust and reach. */
export function workloadLines(w: PlanWorkload): string[] {
  return [
    `${w.tenantId}/${w.workload}: application ${w.application} (${w.clientId}), ${w.method}`,
    ...w.grants.map((g) => `  granted ${g.api} (${g.audience}): ${g.scopes.join(" ")}`),
    ...w.identities.map((i) => `  trusted by ${i.cloud} ${i.label} (tokens for ${i.api})`),
    ...w.reach.map((r) => `  ${r.atMost ? "may reach" : "reaches"} ${reachLine(r)}`),
    ...(w.identities.length > 0 && w.reach.length === 0 ? ["  reaches nothing in its clouds"] : []),
  ];
}

/** The plan as plain text, for a terminal. */
export function renderPlanText(plan: Plan): string {
  const lines = [
    `Plan of stack ${plan.stack}${plan.production ? " (production: resources protected)" : ""}, issuer ${plan.issuer}`,
    ...planProvenance(plan),
    "",
    countsLine(planCounts(plan)),
    "",
    "Workloads",
  ];
  for (const tenant of plan.tenants) {
    if (tenant.decommissioned)
      lines.push(`  tenant ${tenant.id} is decommissioned: its resources are unprotected, ready for removal`);
    for (const w of tenant.workloads) lines.push(...workloadLines(w).map((l) => `  ${l}`));
  }
  lines.push("", "Actions");
  for (const a of plan.actions) lines.push(`  ${a.name}: sha256:${a.sha256}, ${a.bytes} bytes`);
  lines.push(`  credentials-exchange bindings, in order: ${plan.bindings.join(", ") || "(none)"}`);
  for (const section of resourceSections(plan)) {
    lines.push("", `${section.title} (${section.resources.length} resources)`);
    for (const r of section.resources) {
      lines.push(`  ${resourceHeading(r)}`);
      if (r.replaceOn.length > 0) lines.push(`    replaced when changed: ${r.replaceOn.join(", ")}`);
      lines.push(...inputLines(r).map((l) => `    ${l}`));
    }
  }
  return `${lines.join("\n")}\n`;
}
