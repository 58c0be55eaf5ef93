import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { moduleSpecifiers } from "../../support/module-specifiers.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CONTRACT = path.join(ROOT, "src/model/contract");
const ACTIONS = path.join(ROOT, "actions");

/** Every module specifier a source file names, however written (see module-specifiers.ts). */
const specifiers = (file: string): string[] => moduleSpecifiers(readFileSync(file, "utf8"));

/** The specifiers of `file` that leave the contract: packages, node built-ins, or files outside it. */
function outsideContract(file: string): string[] {
  return specifiers(file).filter((specifier) => {
    if (!specifier.startsWith(".")) return true;
    const target = path.resolve(path.dirname(file), specifier);
    return path.relative(CONTRACT, target).startsWith("..");
  });
}

/** The sources under `dir` that esbuild would bundle, subfolders included. */
const sources = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(name))
    .map((name) => path.join(dir, name));

/**
 * The specifiers of an Action that are neither the contract nor the Action's own folder (its
 * event and API typings): packages, built-ins and the rest of the model are not bundled in.
 */
function outsideActionSources(file: string): string[] {
  return specifiers(file).filter((specifier) => {
    if (!specifier.startsWith(".")) return true;
    const target = path.resolve(path.dirname(file), specifier);
    return ![CONTRACT, ACTIONS].some((allowed) => !path.relative(allowed, target).startsWith(".."));
  });
}

describe("the model's contract layer", () => {
  it("GIVEN packages named in every way a file can load them WHEN read THEN each is found", () => {
    const source = [
      "const c = await import(`node:crypto`);",
      'const f = await import("node:fs", { with: {} });',
      'const o = await import(/* lazy */ "node:os");',
      'export * from"zod";',
      'const y = require("yaml");',
      'import "jose";',
    ].join("\n");
    expect(moduleSpecifiers(source).sort()).toEqual([
      "jose",
      "node:crypto",
      "node:fs",
      "node:os",
      "yaml",
      "zod",
    ]);
  });

  it("GIVEN a file that imports a package WHEN checked THEN it is named (the check can fail)", () => {
    expect(outsideContract(path.join(ROOT, "src/model/environment/schema.ts"))).toContain("zod");
  });

  for (const file of sources(CONTRACT)) {
    it(`GIVEN ${path.relative(ROOT, file)} WHEN its imports are read THEN none leaves src/model/contract`, () => {
      expect(outsideContract(file)).toEqual([]);
    });
  }

  it("GIVEN a file importing a package and the model's environment layer WHEN read as an Action checked THEN the import is named (the check can fail)", () => {
    expect(outsideActionSources(path.join(ROOT, "src/bundle/action-bundle.ts"))).toEqual(
      expect.arrayContaining(["esbuild", "../model/environment/clouds.ts"]),
    );
  });

  for (const file of sources(ACTIONS)) {
    it(`GIVEN the Action source ${path.relative(ROOT, file)} WHEN its imports are read THEN each is in the contract or actions/`, () => {
      expect(outsideActionSources(file)).toEqual([]);
    });
  }

  it("GIVEN the Actions WHEN their imports are read THEN they do import the contract (the check reads them)", () => {
    const intoContract = sources(ACTIONS).flatMap((file) =>
      specifiers(file).filter(
        (s) => !path.relative(CONTRACT, path.resolve(path.dirname(file), s)).startsWith(".."),
      ),
    );
    expect(intoContract.length).toBeGreaterThan(0);
  });
});
