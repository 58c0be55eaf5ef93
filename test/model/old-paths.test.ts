import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { moduleSpecifiers, resolvedModule } from "../support/module-specifiers.ts";

// Modules that moved keep a re-export at their old path for one release, for code outside this
// repository. The repository itself imports the new paths, so that dropping the stubs breaks nothing.
const STUB_HEADER =
  /^\/\*\* Moved to \S+; this re-export keeps the old path working for one release\. \*\/$/m;
const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { encoding: "utf8" })
  .split("\n")
  .filter((file) => /\.(ts|mts|js|mjs)$/.test(file) && !file.startsWith("policy/dist/") && existsSync(file));
const stubs = new Set(files.filter((file) => STUB_HEADER.test(readFileSync(file, "utf8"))));

/** The repository files `file` imports (relative specifiers, resolved as tsx resolves them). */
function importsOf(file: string): string[] {
  return moduleSpecifiers(readFileSync(file, "utf8"))
    .map((specifier) => resolvedModule(file, specifier))
    .filter((target): target is string => target !== undefined);
}

describe("the model's old paths", () => {
  it("GIVEN the repository WHEN its stubs are listed THEN there are the moved modules' old paths", () => {
    expect(stubs.size).toBeGreaterThan(0);
    expect(
      [...stubs].every((stub) =>
        /^src\/(model\/[^/]+\.ts|model\/evaluate\/[^/]+\.ts|actions\/bundle\.ts)$/.test(stub),
      ),
    ).toBe(true);
  });

  it("GIVEN an old path named in every way a file can import it WHEN read THEN each resolves to the re-export", () => {
    const file = "src/plan/example.ts";
    const forms = [
      'import { a } from "../model/environment.ts";',
      "import type { A } from '../model/environment.js';",
      'export * from"../model/environment";',
      "const m = await import(`../model/environment.ts`);",
      'const n = await import(/* lazy */ "../model/environment.ts", { with: {} });',
      'const o = require("../model/environment.ts");',
      'vi.doMock("../model/environment.ts");',
      'const p = await vi.importActual<typeof import("x")>("../model/environment.ts");',
      'import {\n  a,\n  b,\n} from "../model/environment.ts";',
    ];
    for (const form of forms)
      expect(
        moduleSpecifiers(form).map((s) => resolvedModule(file, s)),
        form,
      ).toContain("src/model/environment.ts");
    expect(stubs.has("src/model/environment.ts")).toBe(true);
  });

  it("GIVEN every source, test, bench and script WHEN its imports are resolved THEN none goes through an old path's re-export", () => {
    const throughStubs = files
      .filter((file) => !stubs.has(file))
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => stubs.has(target))
          .map((target) => `${file} -> ${target}`),
      );
    expect(throughStubs).toEqual([]);
  });

  it("GIVEN each old path WHEN imported THEN it exports exactly what the module it names exports", async () => {
    for (const stub of stubs) {
      const targets = importsOf(stub);
      expect(targets.length, stub).toBeGreaterThan(0);
      const expected = new Set<string>();
      for (const target of targets) {
        for (const name of Object.keys(await import(pathToFileURL(path.resolve(target)).href)))
          expected.add(name);
      }
      const actual = await import(pathToFileURL(path.resolve(stub)).href);
      expect(Object.keys(actual).sort(), stub).toEqual(
        [...expected].filter((name) => name !== "default").sort(),
      );
    }
  });

  it("GIVEN the runtime's credentials-exchange module, split in three WHEN imported THEN it still exports the values that moved out", async () => {
    const module = await import("../../src/runtime/credentials-exchange.ts");
    const moved = ["CONSOLE_LIMIT_CHARS", "DENY_CODES", "EXECUTION_LIMIT_MS", "TARGET_SCOPE_LIMITS"];
    expect(moved.filter((name) => !(name in module))).toEqual([]);
    expect(module.EXECUTION_LIMIT_MS).toBe(20_000);
  });
});
