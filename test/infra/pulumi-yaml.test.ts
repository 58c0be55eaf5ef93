import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface PulumiYaml {
  name: string;
  main: string;
  runtime: { name: string; options: { typescript: boolean; nodeargs: string } };
}

const project = parse(readFileSync("Pulumi.yaml", "utf8")) as PulumiYaml;

describe("Pulumi.yaml", () => {
  it("GIVEN the project file WHEN read THEN it names the m2m project, the Node.js runtime and infra/ as main", () => {
    expect(project.name).toBe("m2m");
    expect(project.runtime.name).toBe("nodejs");
    expect(project.main).toBe("infra/index.ts");
  });

  it("GIVEN the project file WHEN read THEN it turns off the SDK's built-in TypeScript path (typescript: false, which would need ts-node) and has Node load the program through tsx (nodeargs --import tsx)", () => {
    expect(project.runtime.options.typescript).toBe(false);
    expect(project.runtime.options.nodeargs).toBe("--import tsx");
  });

  // That the CLI starts the program with these, through @pulumi/pulumi/cmd/run: cmd-run.test.ts.
});
