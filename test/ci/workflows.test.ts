import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const stacks = readdirSync(".")
  .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();
type Step = Record<string, unknown> & { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = {
  if?: string;
  needs?: string;
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  env?: Record<string, string>;
  strategy?: { matrix: { stack: string[] } };
  steps: Step[];
};
type Workflow = {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
/** A GitHub Actions expression as a workflow writes it: `${{ <expression> }}`. */
const EXPRESSION = (expression: string) => `\${{ ${expression} }}`;
const text = (name: string) => readFileSync(`.github/workflows/${name}.yml`, "utf8");
const workflow = (name: string) => parse(text(name)) as Workflow;
const workflows = readdirSync(".github/workflows").map((f) => f.replace(/\.yml$/, ""));
const pulumiStep = (job: Job | undefined) =>
  job?.steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));

describe("the CI workflows", () => {
  it("GIVEN every workflow WHEN read THEN none stores a key (Pulumi and the clouds through OIDC) and none runs on pull_request_target", () => {
    expect(workflows.sort()).toEqual(["deploy", "preview", "pull-request", "pull-request-comment", "up"]);
    for (const name of workflows) {
      expect(text(name), name).not.toMatch(/secrets\./);
      expect(Object.keys(workflow(name).on), name).not.toContain("pull_request_target");
    }
    for (const name of ["preview", "up"]) {
      expect(workflow(name).permissions["id-token"]).toBe("write");
      const uses = Object.values(workflow(name).jobs).flatMap((j) => j.steps.map((s) => String(s.uses)));
      expect(uses).toEqual(
        expect.arrayContaining([
          "pulumi/auth-actions@v1",
          "aws-actions/configure-aws-credentials@v4",
          "google-github-actions/auth@v2",
          "azure/login@v2",
        ]),
      );
    }
  });

  it("GIVEN a pull request WHEN tested THEN with a read-only token the tests run and m2m diff runs per committed stack, uploaded as an artifact", () => {
    const pr = workflow("pull-request");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(pr.permissions).toEqual({ contents: "read" });
    expect(pr.jobs.test?.steps.map((s) => s.run).filter(Boolean)).toEqual(["npm ci", "npm test"]);
    const diff = pr.jobs.diff;
    expect([...(diff?.strategy?.matrix.stack ?? [])].sort()).toEqual(stacks);
    expect(diff?.steps.find((s) => s.uses === "actions/checkout@v4")?.with).toEqual({ "fetch-depth": 0 });
    expect(
      diff?.steps.find((s) => String(s.uses).startsWith("actions/upload-artifact@"))?.with,
    ).toMatchObject({
      name: `m2m-diff-${EXPRESSION("matrix.stack")}`,
      path: "m2m-diff/",
    });
  });

  it("GIVEN the diffs WHEN commented THEN a workflow_run with a write token posts them and never checks out or runs the pull request's code", () => {
    const comment = workflow("pull-request-comment");
    expect(comment.on).toEqual({ workflow_run: { workflows: ["pull-request"], types: ["completed"] } });
    expect(comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    const steps = comment.jobs.comment?.steps ?? [];
    expect(steps.map((s) => s.uses)).toEqual(["actions/download-artifact@v4", "actions/github-script@v7"]);
    expect(steps.some((s) => s.run !== undefined)).toBe(false);
  });

  it("GIVEN a pull request from this repository WHEN credentials exist THEN every stack is previewed with the policy pack, outputs suppressed; forks are not", () => {
    const preview = workflow("preview");
    expect(preview.jobs.preview?.if).toBe(
      "vars.PULUMI_ORGANIZATION != '' && github.event.pull_request.head.repo.full_name == github.repository",
    );
    expect([...(preview.jobs.preview?.strategy?.matrix.stack ?? [])].sort()).toEqual(stacks);
    expect(pulumiStep(preview.jobs.preview)?.with).toMatchObject({
      command: "preview",
      diff: true,
      "comment-on-pr": true,
      "suppress-outputs": true,
      policyPacks: "policy",
    });
  });

  it("GIVEN a merge WHEN deployed THEN dev, staging and prod go up in that order, each behind its environment, tests first, policy pack enforced", () => {
    const deploy = workflow("deploy");
    expect(Object.keys(deploy.on)).toEqual(["push"]);
    expect(deploy.jobs).toEqual({
      dev: { uses: "./.github/workflows/up.yml", with: { stack: "dev" } },
      staging: { needs: "dev", uses: "./.github/workflows/up.yml", with: { stack: "staging" } },
      prod: { needs: "staging", uses: "./.github/workflows/up.yml", with: { stack: "prod" } },
    });
    const up = workflow("up").jobs.up;
    expect(up?.environment).toBe(EXPRESSION("inputs.stack"));
    expect(up?.steps.map((s) => s.run).filter(Boolean)).toContain("npm test");
    expect(pulumiStep(up)?.with).toMatchObject({
      command: "up",
      policyPacks: "policy",
      "stack-name": EXPRESSION("inputs.stack"),
    });
  });
});

/** A clone of the committed tree under the project (so node_modules resolve), removed afterwards. */
const scratch = path.join(process.cwd(), ".m2m", "ci-test");
mkdirSync(scratch, { recursive: true });
const clone = mkdtempSync(path.join(scratch, "repo-"));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync("git", args, { cwd: clone, encoding: "utf8" }).trim();

/** The expressions the diff job's env uses, as GitHub would fill them for this pull request. */
function jobEnv(job: Job, context: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(job.env ?? {}).map(([k, v]) => [
      k,
      v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
        const value = context[expression];
        if (value === undefined) throw new Error(`the test knows no value for \${{ ${expression} }}`);
        return value;
      }),
    ]),
  );
}

describe("the credential-free steps of the pull request workflows, run", () => {
  it("GIVEN a pull request that adds a scope to a grant WHEN the diff job's steps and the comment script run THEN the artifact holds the Markdown diff and exit 4, the gate asks for a security review, and one sticky comment per stack is posted, then updated", {
    timeout: 300_000,
  }, async () => {
    execFileSync("git", ["clone", "--quiet", "--no-hardlinks", process.cwd(), clone]);
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "ci");
    const base = git("rev-parse", "HEAD");
    const stackFile = path.join(clone, "Pulumi.dev.yaml");
    writeFileSync(
      stackFile,
      readFileSync(stackFile, "utf8").replace(
        /(- api: orders\n\s+scopes: \[)orders:read(\])/,
        "$1orders:read, orders:write$2",
      ),
    );
    git("commit", "--quiet", "-am", "grant order writes");
    const head = git("rev-parse", "HEAD");
    const job = workflow("pull-request").jobs.diff as Job;
    const env = jobEnv(job, {
      "matrix.stack": "dev",
      "github.event.pull_request.base.sha": base,
      "github.event.pull_request.number": "7",
      "github.event.pull_request.head.sha": head,
    });
    const runs = job.steps.filter((s) => s.run !== undefined && s.run !== "npm ci");
    expect(runs.map((s) => s.name)).toEqual([
      "m2m diff",
      "Ask for a security review on anything but 0 and 1",
    ]);
    const [diffStep, gate] = runs.map((s) =>
      spawnSync("bash", ["-e", "-c", String(s.run)], {
        cwd: clone,
        env: { ...process.env, ...env },
        encoding: "utf8",
      }),
    );
    expect(diffStep?.status).toBe(0);
    const artifact = path.join(clone, "m2m-diff");
    expect(readFileSync(path.join(artifact, "dev.exit"), "utf8").trim()).toBe("4");
    const markdown = readFileSync(path.join(artifact, "dev.md"), "utf8");
    expect(markdown).toContain("security-relevant change");
    expect(markdown).toContain("scopes added to its orders grant: orders:write");
    expect(gate?.status).toBe(1);
    expect(gate?.stdout).toContain(
      "::error::security-relevant changes in stack dev: a security review is required",
    );

    // The comment script, with a stand-in GitHub API that records what it is asked to do.
    const step = workflow("pull-request-comment").jobs.comment?.steps.find(
      (s) => s.uses === "actions/github-script@v7",
    );
    const script = String(step?.with?.script);
    const posted: { id: number; body: string; user: { type: string } }[] = [];
    const github = {
      paginate: async () => posted,
      rest: {
        pulls: { get: async () => ({ data: { number: 7, head: { sha: head } } }) },
        issues: {
          listComments: () => undefined,
          createComment: async ({ body }: { body: string }) => {
            posted.push({ id: posted.length + 1, body, user: { type: "Bot" } });
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            const comment = posted.find((c) => c.id === comment_id);
            if (comment) comment.body = body;
          },
        },
      },
    };
    const warnings: string[] = [];
    const core = { warning: (m: string) => warnings.push(m) };
    const context = { repo: { owner: "acme", repo: "m2m" } };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    const runScript = new AsyncFunction("github", "context", "core", "require", "process", script);
    const cwd = process.cwd();
    process.chdir(clone);
    try {
      const fakeProcess = { env: { HEAD_SHA: head } };
      await runScript(github, context, core, createRequire(import.meta.url), fakeProcess);
      expect(posted).toHaveLength(1);
      expect(posted[0]?.body.startsWith("<!-- m2m-diff:dev -->\n### m2m diff: stack dev")).toBe(true);
      expect(posted[0]?.body).toContain(`m2m diff exit 4, commit ${head}`);
      await runScript(github, context, core, createRequire(import.meta.url), fakeProcess);
      expect(posted).toHaveLength(1);
      // An artifact naming another commit than the run tested is refused.
      await runScript(github, context, core, createRequire(import.meta.url), { env: { HEAD_SHA: base } });
      expect(warnings).toEqual([`skipped dev: pull request 7 is not at ${base}`]);
    } finally {
      process.chdir(cwd);
    }
  });
});
