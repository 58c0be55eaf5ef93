import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = path.resolve("bin/m2m.js");
const m2m = (args: readonly string[], cwd: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "" },
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

// A clone of the committed tree under the project, so that its program resolves node_modules.
const scratch = path.join(process.cwd(), ".m2m", "cli-diff-test");
mkdirSync(scratch, { recursive: true });
const clone = mkdtempSync(path.join(scratch, "repo-"));
const git = (...args: string[]) => execFileSync("git", args, { cwd: clone, encoding: "utf8" }).trim();
let base = "";

beforeAll(() => {
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", process.cwd(), clone]);
  git("config", "user.email", "test@example.com");
  git("config", "user.name", "test");
  base = git("rev-parse", "HEAD");
  const file = path.join(clone, "Pulumi.dev.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("name: Orders API (dev)", "name: Orders (dev)"));
  git("commit", "--quiet", "-am", "rename the orders API");
});
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe("m2m diff from the command line", () => {
  it("GIVEN the base is the working tree's own commit WHEN diffed THEN exit 0, no changes, and the checkout is gone", () => {
    const r = m2m(["diff", "--stack", "dev", "--base", "HEAD"], clone);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Diff of stack dev: HEAD \([0-9a-f]{12}\) -> working tree\nNo changes\.\n$/);
    expect(
      existsSync(path.join(clone, ".m2m", "diff")) ? readdir(path.join(clone, ".m2m", "diff")) : [],
    ).toEqual([]);
  });

  it("GIVEN a commit that renames an API WHEN diffed against its parent THEN exit 1 with the change, in Markdown", () => {
    const r = m2m(["diff", "--stack", "dev", "--base", base, "--format", "markdown"], clone);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain(
      "**No security-relevant change.** Resources: 0 to create, 1 to update, 0 to replace, 0 to delete.",
    );
    expect(r.stdout).toContain("- **resource** `ResourceServer orders`: updated: name");
  });

  it("GIVEN a ref that names no commit, a missing preview file or a bad format WHEN diffed THEN exit 2 with the fix, and nothing is checked out", () => {
    const ref = m2m(["diff", "--stack", "dev", "--base", "no-such-branch"], clone);
    expect(ref.status).toBe(2);
    expect(ref.stderr).toContain(
      "m2m: --base no-such-branch names no commit here: give a branch, tag or commit",
    );
    const preview = m2m(["diff", "--stack", "dev", "--base", "HEAD", "--preview", "missing.json"], clone);
    expect(preview.status).toBe(2);
    expect(preview.stderr).toContain(
      "--preview missing.json: no such file: give the output of pulumi preview --json --stack <env>",
    );
    const format = m2m(["diff", "--stack", "dev", "--base", "HEAD", "--format", "html"], clone);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain("--format html: use one of text, markdown, json");
    const noBase = m2m(["diff", "--stack", "dev"], clone);
    expect(noBase.status).toBe(2);
    expect(noBase.stderr).toContain("--base is required, e.g. --base origin/main");
    expect(
      existsSync(path.join(clone, ".m2m", "diff")) ? readdir(path.join(clone, ".m2m", "diff")) : [],
    ).toEqual([]);
  });

  it("GIVEN a stack file the change adds WHEN diffed THEN everything in it is new, said so, and exit is 4", () => {
    const dev = readFileSync(path.join(clone, "Pulumi.dev.yaml"), "utf8");
    // The dev stack under another name: its names and patterns follow the stack's.
    writeFileSync(
      path.join(clone, "Pulumi.qa.yaml"),
      dev.replace(/\bdev(?=\b|_)|(?<=[-_])dev(?=[-_])/g, "qa"),
    );
    git("add", "Pulumi.qa.yaml");
    git("commit", "--quiet", "-m", "add the qa stack");
    const r = m2m(["diff", "--stack", "qa", "--base", "HEAD~1"], clone);
    expect(r.status, r.stderr).toBe(4);
    expect(r.stdout).toContain("Pulumi.qa.yaml is new: it does not exist at HEAD~1.");
    expect(r.stdout).toContain("! [tenant] tenant globex: added, with 1 workload: billing-sync");
  });

  it("GIVEN a base commit whose stack file is invalid WHEN diffed THEN exit 2, naming the base's plan as the one that cannot be produced", () => {
    const file = path.join(clone, "Pulumi.dev.yaml");
    const good = readFileSync(file, "utf8");
    writeFileSync(
      file,
      good.replace("claimNamespace: https://claims.acme.example/", "claimNamespace: not-a-url"),
    );
    git("commit", "--quiet", "-am", "break the stack");
    writeFileSync(file, good);
    const r = m2m(["diff", "--stack", "dev", "--base", "HEAD"], clone);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^m2m: the plan of the base commit [0-9a-f]{12} \(HEAD\) cannot be produced: The environment of stack "dev"/,
    );
  });
});

function readdir(dir: string): string[] {
  return execFileSync("ls", ["-A", dir], { encoding: "utf8" }).split("\n").filter(Boolean);
}
