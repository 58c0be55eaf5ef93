import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Every relative link in README.md, CONTRIBUTING.md and docs/ points at a file that exists and,
 * when it names an anchor, at a heading that file has (GitHub's anchors: the heading's text in
 * lower case, punctuation dropped, spaces as hyphens, a repeated heading suffixed -1, -2, ...).
 */

const ROOT = process.cwd();

function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : [],
    );
  return [path.join(ROOT, "README.md"), path.join(ROOT, "CONTRIBUTING.md"), ...walk(path.join(ROOT, "docs"))];
}

/** The lines of a Markdown text outside fenced code, with their line numbers. */
function proseLines(text: string): [number, string][] {
  let fenced = false;
  const lines: [number, string][] = [];
  text.split("\n").forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push([i + 1, line]);
  });
  return lines;
}

/** GitHub's anchor for a heading's text. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a Markdown text's headings make. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, line] of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = anchorOf(heading[1] ?? "");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The relative links of a Markdown text (inline links outside code), with their line numbers. */
function relativeLinks(text: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  for (const [line, content] of proseLines(text)) {
    const prose = content.replace(/`[^`]*`/g, "");
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1] ?? "";
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
      links.push({ line, target });
    }
  }
  return links;
}

/** What is wrong with one relative link of `file`; undefined when it resolves. */
function linkProblem(file: string, target: string): string | undefined {
  const [pathPart = "", anchor] = target.split("#", 2);
  const resolved = pathPart === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
  if (!existsSync(resolved)) return `${target}: no file ${path.relative(ROOT, resolved)}`;
  if (anchor === undefined) return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith(".md"))
    return `${target}: an anchor into a non-Markdown file`;
  if (!anchorsOf(readFileSync(resolved, "utf8")).has(anchor))
    return `${target}: no heading with anchor #${anchor} in ${path.relative(ROOT, resolved)}`;
  return undefined;
}

describe("the documentation's relative links", () => {
  it("GIVEN README.md, CONTRIBUTING.md and docs/ WHEN every relative link is followed THEN its file and its anchor exist", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) {
      for (const { line, target } of relativeLinks(readFileSync(file, "utf8"))) {
        checked++;
        const problem = linkProblem(file, target);
        if (problem) problems.push(`${path.relative(ROOT, file)}:${line}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    // The README links every page of docs/; finding few would mean the extraction broke.
    expect(checked).toBeGreaterThan(30);
  });

  it("GIVEN every page of docs/ WHEN the README is read THEN it links each one", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const linked = new Set(relativeLinks(readme).map(({ target }) => target.split("#")[0]));
    const pages = readdirSync(path.join(ROOT, "docs")).filter((name) => name.endsWith(".md"));
    expect(pages.filter((page) => !linked.has(`docs/${page}`))).toEqual([]);
  });

  it("GIVEN headings and links WHEN anchors are made and links resolved THEN they follow GitHub's rules, and a broken link is named", () => {
    expect(anchorOf("Reviewing a change: `m2m plan` and `m2m diff`")).toBe(
      "reviewing-a-change-m2m-plan-and-m2m-diff",
    );
    expect(anchorOf("Verifying a token: would AWS, GCP and Azure accept it, and why not?")).toBe(
      "verifying-a-token-would-aws-gcp-and-azure-accept-it-and-why-not",
    );
    expect([...anchorsOf("# A\n## Notes\n```\n## Not a heading\n```\n### Notes\n")]).toEqual([
      "a",
      "notes",
      "notes-1",
    ]);
    expect(relativeLinks("[a](docs/x.md#y) `[b](c.md)` [c](https://example.com) [d](#top)")).toEqual([
      { line: 1, target: "docs/x.md#y" },
      { line: 1, target: "#top" },
    ]);
    const readme = path.join(ROOT, "README.md");
    expect(linkProblem(readme, "docs/no-such-page.md")).toMatch(/no file docs\/no-such-page\.md/);
    expect(linkProblem(readme, "docs/configuration.md#no-such-heading")).toMatch(/no heading with anchor/);
    expect(linkProblem(readme, "docs/configuration.md#validation")).toBeUndefined();
  });
});
