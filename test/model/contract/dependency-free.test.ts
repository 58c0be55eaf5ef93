import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CONTRACT = path.join(ROOT, "src/model/contract");
const ACTIONS = path.join(ROOT, "actions");

/** Every module specifier a source file names: static imports, re-exports, dynamic imports and requires. */
function specifiers(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const found = [
    ...source.matchAll(/\bfrom\s+["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s+["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return found.map((match) => match[1] as string);
}

/** The specifiers of `file` that leave the contract: packages, node built-ins, or files outside it. */
function outsideContract(file: string): string[] {
  return specifiers(file).filter((specifier) => {
    if (!specifier.startsWith(".")) return true;
    const target = path.resolve(path.dirname(file), specifier);
    return path.relative(CONTRACT, target).startsWith("..");
  });
}

const sources = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => path.join(dir, name));

describe("the model's contract layer", () => {
  it("GIVEN a file that imports a package WHEN checked THEN it is named (the check can fail)", () => {
    expect(outsideContract(path.join(ROOT, "src/model/environment/schema.ts"))).toContain("zod");
  });

  for (const file of sources(CONTRACT)) {
    it(`GIVEN ${path.relative(ROOT, file)} WHEN its imports are read THEN none leaves src/model/contract`, () => {
      expect(outsideContract(file)).toEqual([]);
    });
  }

  for (const file of sources(ACTIONS)) {
    it(`GIVEN the Action ${path.basename(file)} WHEN its model imports are read THEN each is in the contract`, () => {
      const model = specifiers(file).filter((specifier) => specifier.includes("/src/"));
      expect(model.length).toBeGreaterThan(0);
      for (const specifier of model) {
        expect(path.relative(CONTRACT, path.resolve(ACTIONS, specifier))).not.toMatch(/^\.\./);
      }
    });
  }
});
