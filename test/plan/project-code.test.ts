import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadProjectCode, MODEL_MODULES, ProjectCodeError } from "../../src/plan/project-code.ts";

// Checkouts live under the project, as m2m diff's do, so that their imports resolve node_modules.
const scratch = path.join(process.cwd(), ".m2m", "project-code-test");
let roots: string[] = [];
afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

/** A checkout whose files each export a function returning the file's own path. */
function checkout(files: readonly string[]): string {
  mkdirSync(scratch, { recursive: true });
  const root = mkdtempSync(path.join(scratch, "checkout-"));
  roots.push(root);
  writeFileSync(path.join(root, "Pulumi.yaml"), "name: example\nmain: infra/\n");
  for (const file of files) {
    const exported = {
      "infra/index.ts": "default",
      "environment.ts": "parseEnvironment",
      "reach-check.ts": "environmentReach",
      "resource-options.ts": "resourceOptions",
    }[file.startsWith("infra/") ? file : path.basename(file)];
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(
      path.join(root, file),
      exported === "default"
        ? `export default () => ${JSON.stringify(file)};\n`
        : `export function ${exported}() { return ${JSON.stringify(file)}; }\n`,
    );
  }
  return root;
}

const FOLDERS = [
  "src/model/environment/environment.ts",
  "src/model/trust/reach-check.ts",
  "src/model/environment/resource-options.ts",
];
const FLAT = ["src/model/environment.ts", "src/model/reach-check.ts", "src/model/resource-options.ts"];

/** Which file each function came from: the stand-ins take no arguments and return their path. */
const loaded = async (root: string): Promise<unknown[]> => {
  const code = await loadProjectCode(root);
  const standIns = [code.parseEnvironment, code.environmentReach, code.resourceOptions];
  return [...standIns.map((standIn) => (standIn as unknown as () => string)()), await code.program()];
};

describe("loadProjectCode across the model's layouts", () => {
  it("GIVEN a checkout with the model in folders WHEN loaded THEN the folder modules are used", async () => {
    expect(await loaded(checkout(["infra/index.ts", ...FOLDERS]))).toEqual([...FOLDERS, "infra/index.ts"]);
  });

  it("GIVEN a base commit from before the folders (flat src/model) WHEN loaded THEN the flat modules are used", async () => {
    expect(await loaded(checkout(["infra/index.ts", ...FLAT]))).toEqual([...FLAT, "infra/index.ts"]);
  });

  it("GIVEN both layouts (the flat files being re-export stubs) WHEN loaded THEN the folders win", async () => {
    expect(await loaded(checkout(["infra/index.ts", ...FOLDERS, ...FLAT]))).toEqual([
      ...FOLDERS,
      "infra/index.ts",
    ]);
  });

  it("GIVEN a checkout with neither layout's reach check WHEN loaded THEN the error names both paths", async () => {
    const root = checkout(["infra/index.ts", FOLDERS[0] as string, FOLDERS[2] as string]);
    const error = await loadProjectCode(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProjectCodeError);
    expect((error as Error).message).toBe(
      "the checkout has neither src/model/trust/reach-check.ts nor src/model/reach-check.ts (the model's environmentReach, which a plan calls): its code is older than the offline plan, or keeps them elsewhere",
    );
  });
});

describe("loadProjectCode: Pulumi.yaml's main", () => {
  it("GIVEN main naming a file, or a folder WHEN loaded THEN the file, or the folder's index.ts, is the program", async () => {
    const folder = checkout(["infra/index.ts", ...FOLDERS]);
    expect(await (await loadProjectCode(folder)).program()).toBe("infra/index.ts");
    writeFileSync(path.join(folder, "Pulumi.yaml"), "name: example\nmain: infra/index.ts\n");
    expect(await (await loadProjectCode(folder)).program()).toBe("infra/index.ts");
  });

  it("GIVEN main naming nothing WHEN loaded THEN the error names main as Pulumi.yaml gives it", async () => {
    const root = checkout(["infra/index.ts", ...FOLDERS]);
    writeFileSync(path.join(root, "Pulumi.yaml"), "name: example\nmain: program.ts\n");
    const error = await loadProjectCode(root).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`Pulumi.yaml's main, program.ts, does not exist in ${root}`);
  });
});

describe("loadProjectCode on this project", () => {
  it("GIVEN this checkout WHEN its model modules are looked up THEN each one's newest path is where it lives", () => {
    for (const [newest] of Object.values(MODEL_MODULES)) expect(existsSync(newest), newest).toBe(true);
  });

  it("GIVEN this checkout WHEN loaded THEN the program and the model's functions load", async () => {
    const code = await loadProjectCode(process.cwd());
    expect(code.project).toBe("m2m");
    expect(code.parseEnvironment.name).toBe("parseEnvironment");
    expect(code.environmentReach.name).toBe("environmentReach");
    expect(code.resourceOptions.name).toBe("resourceOptions");
  });
});
