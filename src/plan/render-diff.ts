import type { Change, PlanDiff } from "./plan-diff.ts";
import { GITHUB_COMMENT_LIMIT } from "./render-plan-markdown.ts";

/** The counts of resource operations, one line. */
function operations(diff: PlanDiff): string {
  const count = (op: string) => diff.resources.filter((r) => r.op === op).length;
  return `${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`;
}

const security = (diff: PlanDiff) => diff.changes.filter((c) => c.security);
const other = (diff: PlanDiff) => diff.changes.filter((c) => !c.security);

function heading(diff: PlanDiff): string {
  return `stack ${diff.stack}: ${diff.base.ref} (${diff.base.commit.slice(0, 12)}) -> working tree`;
}

/** The diff as plain text: the security-relevant changes first, marked "!". */
export function renderDiffText(diff: PlanDiff): string {
  const lines = [`Diff of ${heading(diff)}`, ...diff.notes];
  if (diff.changes.length === 0 && diff.resources.length === 0)
    return `${[...lines, "No changes."].join("\n")}\n`;
  lines.push(`Resources: ${operations(diff)}`);
  const list = (title: string, changes: readonly Change[], mark: string) => {
    if (changes.length === 0) return;
    lines.push("", `${title} (${changes.length})`);
    for (const c of changes) {
      lines.push(`${mark} [${c.category}] ${c.subject}: ${c.message}`);
      for (const d of c.details ?? []) lines.push(`    ${d}`);
    }
  };
  list("SECURITY-RELEVANT CHANGES: review before merging", security(diff), "!");
  list("Other changes", other(diff), "-");
  const changed = diff.resources.filter((r) => r.op !== "create" && r.op !== "delete");
  lines.push("", "Resources");
  for (const r of diff.resources)
    lines.push(
      `  ${r.op.padEnd(7)} ${r.key}${r.properties.length > 0 ? ` (${r.properties.join(", ")})` : ""}`,
    );
  if (changed.length === 0 && diff.resources.length === 0) lines.push("  (none)");
  return `${lines.join("\n")}\n`;
}

/** The diff as Markdown for a pull request comment, under GitHub's comment limit. */
export function renderDiffMarkdown(diff: PlanDiff, limit = GITHUB_COMMENT_LIMIT): string {
  const sec = security(diff);
  const head = [
    `### m2m diff: ${heading(diff)}`,
    "",
    ...diff.notes.map((n) => `> ${n}`),
    ...(diff.notes.length > 0 ? [""] : []),
    diff.changes.length === 0 && diff.resources.length === 0
      ? "**No changes.**"
      : `**${sec.length > 0 ? `:warning: ${sec.length} security-relevant change${sec.length === 1 ? "" : "s"}: review before merging` : "No security-relevant change"}.** Resources: ${operations(diff)}.`,
    "",
  ];
  const parts: string[] = [];
  const section = (title: string, changes: readonly Change[]) => {
    if (changes.length === 0) return;
    parts.push(`#### ${title}`, "");
    for (const c of changes) {
      parts.push(`- **${c.category}** \`${c.subject}\`: ${c.message}`);
      const details = c.details ?? [];
      if (details.length === 0) continue;
      const lang = c.category === "action" ? "diff" : "";
      const body = `\`\`\`${lang}\n${details.join("\n")}\n\`\`\``;
      parts.push(
        details.length > 8
          ? `  <details><summary>${details.length} lines</summary>\n\n${body}\n\n  </details>`
          : body
              .split("\n")
              .map((l) => `  ${l}`)
              .join("\n"),
      );
    }
    parts.push("");
  };
  section("Security-relevant changes", sec);
  section("Other changes", other(diff));
  if (diff.resources.length > 0) {
    const rows = diff.resources.map((r) => `| ${r.op} | \`${r.key}\` | ${r.properties.join(", ")} |`);
    parts.push(
      `<details><summary>${diff.resources.length} resources</summary>\n\n| op | resource | properties |\n|---|---|---|\n${rows.join("\n")}\n\n</details>`,
    );
  }
  const text = `${head.join("\n")}\n${parts.join("\n")}\n`;
  if (text.length <= limit - 1_000) return text;
  const cut = text.slice(0, limit - 2_000);
  return `${cut.slice(0, cut.lastIndexOf("\n"))}\n\n... cut to stay under GitHub's comment limit: the whole diff is in the workflow's artifact, or \`m2m diff --stack ${diff.stack} --base ${diff.base.ref}\`.\n`;
}
