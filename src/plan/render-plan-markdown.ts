import { type Plan, reachLine } from "./plan.ts";
import { countsLine, inputLines, planCounts, resourceHeading, resourceSections } from "./plan-summary.ts";
import { planProvenance } from "./render-plan-text.ts";
import { trustGraph } from "./trust-graph.ts";

/** GitHub refuses a pull request comment over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_535;

/** Room kept under the limit for what a workflow wraps around the plan (a heading, a marker). */
const MARGIN = 1_000;

/** Above this many resources or workloads, their lists are folded. */
const FOLD_ABOVE = 20;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const fence = (body: string, lang = "") => `\`\`\`${lang}\n${body}\n\`\`\``;
const fold = (summary: string, body: string) =>
  `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;

/**
 * The plan as Markdown for a pull request comment: the summary first, the trust graph in
 * Mermaid, the workloads, then every resource, folded when long. Stays under `limit` characters
 * (GitHub's comment limit by default) by shortening the resource details, then the workloads,
 * saying what was left out and where the whole plan is.
 */
export function renderPlanMarkdown(plan: Plan, limit = GITHUB_COMMENT_LIMIT): string {
  const budget = limit - MARGIN;
  const graph = trustGraph(plan);
  const head = [
    `### m2m plan: stack \`${plan.stack}\`${plan.production ? " (production)" : ""}`,
    "",
    `**${countsLine(planCounts(plan))}**`,
    "",
    ...planProvenance(plan).map((l) => `> ${l}`),
    "",
    `#### Trust graph${graph.aggregated ? ` (aggregated per API and cloud: ${graphReason()})` : ""}`,
    "",
    fence(graph.mermaid, "mermaid"),
    "",
    "#### Actions",
    "",
    ...plan.actions.map((a) => `- \`${a.name}\`: sha256 \`${a.sha256}\`, ${a.bytes} bytes`),
    `- credentials-exchange bindings, in order: ${plan.bindings.map((b) => `\`${b}\``).join(", ") || "(none)"}`,
    "",
  ].join("\n");
  const workloads = `\n${workloadTable(plan)}`;
  const whole = `The whole plan: \`m2m plan --stack ${plan.stack} --format json\`.`;
  const room = budget - head.length - workloads.length - whole.length - 200;
  if (room > 2_000) {
    const details = resourceDetails(plan, room);
    return `${head}${workloads}\n${details.text}${details.left > 0 ? `\n\n${whole}\n` : ""}`;
  }
  const rows = workloads.split("\n");
  const kept: string[] = [];
  let size = head.length + whole.length + 200;
  for (const row of rows) {
    if (size + row.length + 1 > budget) break;
    kept.push(row);
    size += row.length + 1;
  }
  const left = rows.length - kept.length;
  return `${head}${kept.join("\n")}\n\n${left} more workload rows and every resource are left out to stay under GitHub's comment limit. ${whole}\n`;
}

function graphReason(): string {
  return "over 400 edges or 40,000 characters, past which Mermaid's defaults refuse to draw";
}

function workloadTable(plan: Plan): string {
  const rows = [
    "| workload | application | method | granted | trusted by | reaches |",
    "|---|---|---|---|---|---|",
  ];
  let count = 0;
  for (const tenant of plan.tenants) {
    for (const w of tenant.workloads) {
      count++;
      rows.push(
        `| ${cell(`${w.tenantId}/${w.workload}`)}${tenant.decommissioned ? " (decommissioned)" : ""} | ${cell(w.application)} | ${w.method} | ${cell(w.grants.map((g) => `${g.api}: ${g.scopes.join(" ")}`).join("<br>"))} | ${cell(w.identities.map((i) => `${i.cloud} ${i.label}`).join("<br>"))} | ${cell(w.reach.map(reachLine).join("<br>"))} |`,
      );
    }
  }
  const table = rows.join("\n");
  const titled = `#### Workloads\n\n`;
  return count > FOLD_ABOVE ? `${titled}${fold(`${count} workloads`, table)}\n` : `${titled}${table}\n`;
}

/**
 * Every resource, by section, folded; at most `room` characters, saying how many were left out.
 * Past the room, resources are only counted: at 1,000 tenants rendering them all to cut them
 * would cost more than the rest of the comment.
 */
function resourceDetails(plan: Plan, room: number): { text: string; left: number } {
  const parts = ["#### Resources", ""];
  let used = 0;
  let left = 0;
  for (const section of resourceSections(plan)) {
    const blocks: string[] = [];
    for (const r of section.resources) {
      if (used > room) {
        left++;
        continue;
      }
      const block = fence(
        [
          resourceHeading(r),
          ...(r.replaceOn.length > 0 ? [`replaced when changed: ${r.replaceOn.join(", ")}`] : []),
          ...inputLines(r).map((l) => `  ${l}`),
        ].join("\n"),
      );
      if (used + block.length > room) {
        used = room + 1;
        left++;
        continue;
      }
      used += block.length;
      blocks.push(block);
    }
    if (blocks.length === 0) continue;
    const summary = `${section.title}: ${section.resources.length} resources`;
    parts.push(
      section.resources.length > FOLD_ABOVE || left > 0
        ? fold(summary, blocks.join("\n"))
        : `**${summary}**\n\n${blocks.join("\n")}`,
      "",
    );
  }
  if (left > 0) parts.push(`${left} resources left out to stay under GitHub's comment limit.`);
  return { text: parts.join("\n"), left };
}
