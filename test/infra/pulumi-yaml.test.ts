import { execFileSync } from "node:child_process";
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

  it("GIVEN TypeScript 7 has no compiler API WHEN the CLI starts the program THEN it skips ts-node and loads tsx", () => {
    expect(project.runtime.options.typescript).toBe(false);
    expect(project.runtime.options.nodeargs).toBe("--import tsx");
  });

  it("GIVEN the nodeargs and main of Pulumi.yaml WHEN a fresh Node process starts the program as the CLI would THEN it registers the dev stack", () => {
    const stdout = execFileSync(
      process.execPath,
      [...project.runtime.options.nodeargs.split(" "), "test/support/pulumi-language-host.ts", "dev"],
      { encoding: "utf8", timeout: 60_000 },
    );
    const { outputs, types } = JSON.parse(stdout) as { outputs: string[]; types: string[] };
    expect(outputs).toEqual(["issuer", "tokenEndpoint", "audiences", "workloads", "clientSecrets"]);
    expect(types.filter((t) => t === "auth0:index/client:Client")).toHaveLength(4);
    expect(types).toContain("auth0:index/triggerActions:TriggerActions");
  });
});
