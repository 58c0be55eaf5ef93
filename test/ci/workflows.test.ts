import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const stacks = readdirSync(".")
  .map((f) => /^Pulumi\.([a-z0-9-]+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();
type Workflow = {
  jobs: Record<string, { strategy?: { matrix: { stack: string[] } }; steps: Record<string, unknown>[] }>;
};
const workflow = (name: string) => parse(readFileSync(`.github/workflows/${name}.yml`, "utf8")) as Workflow;
const pulumiStep = (w: Workflow, job: string) =>
  w.jobs[job]?.steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));

describe("the CI workflows", () => {
  it("GIVEN the committed stacks WHEN pull requests are previewed THEN every stack is previewed with the policy pack, outputs suppressed", () => {
    const preview = workflow("preview");
    expect([...(preview.jobs.preview?.strategy?.matrix.stack ?? [])].sort()).toEqual(stacks);
    expect(pulumiStep(preview, "preview")?.with).toMatchObject({
      command: "preview",
      diff: true,
      "comment-on-pr": true,
      "suppress-outputs": true,
      policyPacks: "policy",
    });
  });

  it("GIVEN a merge WHEN deployed THEN stacks go up one at a time, dev first, prod last, tests first", () => {
    const deploy = workflow("deploy");
    expect(deploy.jobs.up?.strategy).toEqual({
      "max-parallel": 1,
      matrix: { stack: ["dev", "staging", "prod"] },
    });
    expect(deploy.jobs.up?.steps.map((s) => s.run).filter(Boolean)).toContain("npm test");
    expect(pulumiStep(deploy, "up")?.with).toMatchObject({ command: "up", policyPacks: "policy" });
  });
});
