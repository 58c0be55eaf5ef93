import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { COMMANDS, runM2m } from "../src/cli/commands.ts";

/**
 * Every `m2m ...` and `npm run ...` the documentation shows (fenced code and inline code in
 * README.md, CONTRIBUTING.md and docs/) exists: the command, its subcommand, and each flag it
 * writes, as the command's own --help lists them; each npm script and each benchmark name.
 */

const ROOT = process.cwd();

function markdownFiles(): string[] {
  const docs = path.join(ROOT, "docs");
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : [],
    );
  return [
    path.join(ROOT, "README.md"),
    path.join(ROOT, "CONTRIBUTING.md"),
    ...(existsSync(docs) ? walk(docs) : []),
  ];
}

/** A piece of shell the documentation shows, and where. */
interface Shown {
  readonly where: string;
  readonly text: string;
}

/** Fenced code lines (continuations joined) and inline code spans. */
function shownCode(file: string): Shown[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const shown: Shown[] = [];
  let fenced = false;
  let pending = "";
  let pendingAt = 0;
  lines.forEach((line, i) => {
    const where = `${path.relative(ROOT, file)}:${i + 1}`;
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) {
      if (!pending) pendingAt = i + 1;
      pending += `${line.replace(/\\$/, "")} `;
      if (!line.endsWith("\\")) {
        shown.push({ where: `${path.relative(ROOT, file)}:${pendingAt}`, text: pending });
        pending = "";
      }
      return;
    }
    for (const match of line.matchAll(/`([^`]+)`/g)) shown.push({ where, text: match[1] ?? "" });
  });
  return shown;
}

/** The words of each `m2m` invocation in a piece of shell, up to its end. */
function m2mInvocations(text: string): string[][] {
  // Where a command starts: the beginning, after a shell operator or `$(`, past `VAR=value`s.
  const invocation =
    /(?:^|&&|\|\||[|;]|\$\()\s*(?:\$\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:npx\s+)?m2m\s+([^|;&)>#\n]*)/g;
  return [...text.matchAll(invocation)].map((m) =>
    (m[1] ?? "")
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0),
  );
}

/** `m2m <words> --help`, as printed. */
async function helpOf(words: readonly string[]): Promise<string | undefined> {
  const printed: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(args.join(" "));
  });
  try {
    const code = await runM2m([...words, "--help"], { projectDir: ROOT, stdin: process.stdin });
    return code === 0 ? printed.join("\n") : undefined;
  } catch {
    return undefined;
  } finally {
    log.mockRestore();
  }
}

const flagsIn = (help: string) =>
  new Set([...help.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map((m) => m[0]));

/** What is wrong with one shown invocation; none when everything it shows exists. */
async function problemsOf(shown: readonly string[]): Promise<string[]> {
  // Words end where prose punctuation follows them: `m2m smoke, drift`.
  const words = shown.map((w) => (w.startsWith("<") ? w : w.replace(/[.,:;'"\])]+$/, "")));
  const [name, next] = words;
  // `m2m --help`, and placeholders such as `m2m <command> --help`.
  if (!name || name.startsWith("-") || name.startsWith("<")) return [];
  if (!COMMANDS.some((c) => c.name === name)) return [`no command "${name}"`];
  const commandHelp = (await helpOf([name])) ?? "";
  // A subcommand is one its command's help lists as `m2m <command> <sub>`.
  const subcommands = new Set(
    [...commandHelp.matchAll(new RegExp(`m2m ${name} ([a-z][a-z-]*)`, "g"))].map((m) => m[1]),
  );
  let help = commandHelp;
  if (next !== undefined && subcommands.has(next)) help = (await helpOf([name, next])) ?? "";
  else if (next !== undefined && subcommands.size > 0 && /^[a-z]/.test(next) && !commandHelp.includes(next))
    return [`no subcommand "${next}" of m2m ${name}`];
  const known = flagsIn(help);
  return words
    .filter((w) => /^--[a-z]/.test(w))
    .map((w) => w.replace(/=.*$/, ""))
    .filter((flag) => !known.has(flag))
    .map((flag) => `m2m ${name}${subcommands.has(next ?? "") ? ` ${next}` : ""} has no flag ${flag}`);
}

const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);
const benches = [
  ...readFileSync(path.join(ROOT, "bench/index.ts"), "utf8").matchAll(/^\s+([a-z]+): bench[A-Z]\w*,$/gm),
].map((m) => m[1]);

/** What is wrong with the npm commands a piece of shell shows. */
function npmProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(/npm run ([a-z:][\w:-]*)(?:\s+--\s+([a-z][\w-]*))?/g)) {
    const [, script, argument] = m;
    if (script && !scripts.includes(script)) problems.push(`no npm script "${script}"`);
    if (script === "bench" && argument && !benches.includes(argument))
      problems.push(`no benchmark "${argument}" (npm run bench -- <name>: ${benches.join(", ")})`);
  }
  return problems;
}

describe("the commands the documentation shows exist", () => {
  afterEach(() => vi.restoreAllMocks());

  it("GIVEN README.md, CONTRIBUTING.md and docs/ WHEN every m2m and npm command they show is checked against --help and package.json THEN each command, subcommand, flag, script and benchmark exists", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) {
      for (const shown of shownCode(file)) {
        for (const words of m2mInvocations(shown.text)) {
          checked++;
          for (const problem of await problemsOf(words)) problems.push(`${shown.where}: ${problem}`);
        }
        for (const problem of npmProblems(shown.text)) problems.push(`${shown.where}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
    // The README shows many commands; finding few would mean the extraction broke.
    expect(checked).toBeGreaterThan(20);
  });

  it("GIVEN the messages, help texts and comments of src/, policy/src/ and infra/ WHEN every m2m command they write with a flag is checked against --help THEN each command and flag exists", async () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? walk(path.join(dir, e.name))
          : e.name.endsWith(".ts")
            ? [path.join(dir, e.name)]
            : [],
      );
    const problems: string[] = [];
    let checked = 0;
    for (const file of ["src", "policy/src", "infra"].flatMap((d) => walk(path.join(ROOT, d)))) {
      const lines = readFileSync(file, "utf8").split("\n");
      for (const [i, line] of lines.entries()) {
        // Up to the end of the string or comment; `bin/m2m.js` and `m2m-...` names are not commands.
        for (const m of line.matchAll(/(?<![\w/.-])m2m\s+([a-z][^"'`\n]*)/g)) {
          const words = (m[1] ?? "").split(/\s+/).filter((w) => w.length > 0);
          if (!words.some((w) => /^--[a-z]/.test(w))) continue;
          checked++;
          for (const problem of await problemsOf(words))
            problems.push(`${path.relative(ROOT, file)}:${i + 1}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it("GIVEN shown commands with a flag, a command or a script that does not exist WHEN checked THEN each is named", async () => {
    expect(await problemsOf(["verify", "--stack", "dev", "--no-such-flag"])).toEqual([
      "m2m verify has no flag --no-such-flag",
    ]);
    expect(await problemsOf(["deploy", "--stack", "dev"])).toEqual(['no command "deploy"']);
    expect(await problemsOf(["tenant", "rename", "acme"])).toEqual(['no subcommand "rename" of m2m tenant']);
    expect(await problemsOf(["tenant", "add", "acme", "--grant", "x=y", "--colour"])).toEqual([
      "m2m tenant add has no flag --colour",
    ]);
    expect(await problemsOf(["up", "--local", "--stack", "dev", "--port", "8080"])).toEqual([]);
    expect(npmProblems("npm run deploy")).toEqual(['no npm script "deploy"']);
    expect(npmProblems("npm run bench -- nothing")[0]).toMatch(/^no benchmark "nothing"/);
    expect(m2mInvocations("npx m2m verify --stack dev | jq . && m2m up --local")).toEqual([
      ["verify", "--stack", "dev"],
      ["up", "--local"],
    ]);
    expect(m2mInvocations("TOKEN=$(m2m token --stack dev) curl")).toEqual([["token", "--stack", "dev"]]);
    // Prose in a code block is not a command.
    expect(m2mInvocations("src/cli/  the m2m command (bin/m2m.js)")).toEqual([]);
  });
});
