import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import parseSpdx from "spdx-expression-parse";
import { describe, expect, it } from "vitest";

/**
 * Licences that let anyone use, change and ship the code, closed or open, asking at most for
 * notice and attribution. CC-BY is an attribution licence for data (spdx-exceptions ships the
 * SPDX exception list under it). Nothing copyleft, weak or strong, and nothing source-available.
 */
const PERMISSIVE: ReadonlySet<string> = new Set([
  "0BSD",
  "Apache-2.0",
  "BlueOak-1.0.0",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "BSL-1.0",
  "CC-BY-3.0",
  "CC-BY-4.0",
  "CC0-1.0",
  "ISC",
  "MIT",
  "MIT-0",
  "PSF-2.0",
  "Python-2.0",
  "Unlicense",
  "X11",
  "Zlib",
]);

/**
 * Packages whose package.json names no SPDX licence, read by a person: the licence their file
 * holds, and that file's first line, so a new version (or a changed file) asks for a new review.
 */
const REVIEWED: Readonly<
  Record<string, { readonly license: string; readonly file: string; readonly firstLine: string }>
> = {
  // package.json: "SEE LICENSE IN LICENSE"; the file is the MIT licence.
  "@logdna/tail-file@2.2.0": { license: "MIT", file: "LICENSE", firstLine: "The MIT License (MIT)" },
};

/** The SHA-256 of the Apache License 2.0 as the ASF publishes it (LICENSE-2.0.txt). */
const APACHE_2_0_SHA256 = "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4";

/** Whether an SPDX expression is permissive: OR needs one permissive side, AND needs both. */
function permissive(info: parseSpdx.Info): boolean {
  if ("conjunction" in info)
    return info.conjunction === "or"
      ? permissive(info.left) || permissive(info.right)
      : permissive(info.left) && permissive(info.right);
  // An exception only grants more (GPL-2.0 WITH Classpath-exception-2.0 is still GPL), and
  // "or later" of a permissive licence is as permissive.
  return PERMISSIVE.has(info.license);
}

/** Why a package's declared licence is not permissive, or undefined when it is. */
function licenceProblem(declared: string | undefined): string | undefined {
  if (declared === undefined || declared.trim() === "") return "no licence declared";
  let info: parseSpdx.Info;
  try {
    info = parseSpdx(declared);
  } catch {
    return "not an SPDX expression: read its licence and add it to REVIEWED if it is permissive";
  }
  return permissive(info) ? undefined : "not permissive";
}

/** The licence a package.json declares, in its current or a deprecated form. */
function declaredLicence(pkg: { license?: unknown; licenses?: unknown }): string | undefined {
  const typeOf = (value: unknown) =>
    typeof value === "string" ? value : (value as { type?: string } | undefined)?.type;
  if (pkg.license !== undefined) return typeOf(pkg.license);
  if (Array.isArray(pkg.licenses) && pkg.licenses.length > 0)
    return pkg.licenses.map((l) => `(${typeOf(l)})`).join(" OR ");
  return undefined;
}

interface Installed {
  readonly name: string;
  readonly version?: string;
  readonly path?: string;
  readonly license?: unknown;
  readonly licenses?: unknown;
  readonly missing?: boolean;
  readonly dependencies?: Readonly<Record<string, Installed>>;
}

/** The lockfile's production packages by name: optional packages of other platforms included. */
function lockedPackages(): Installed[] {
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
    packages: Record<string, { version?: string; license?: unknown; dev?: boolean }>;
  };
  return Object.entries(lock.packages).flatMap(([folder, entry]) =>
    folder !== "" && !entry.dev ? [{ ...entry, name: folder.replace(/^.*node_modules\//, "") }] : [],
  );
}

/**
 * Every production dependency, direct and transitive, once per install folder, from npm ls. An
 * optional one not installed here (another platform's esbuild binary) is read from the lockfile,
 * where npm records its licence; an optional peer npm never installs (in neither) is left out.
 */
function productionDependencies(): Installed[] {
  const result = spawnSync("npm", ["ls", "--omit=dev", "--all", "--json", "--long"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (!result.stdout.trim().startsWith("{"))
    throw new Error(
      `npm ls printed no dependency tree (exit ${result.status}): ${result.stderr || result.error}`,
    );
  const tree = JSON.parse(result.stdout) as Installed;
  const locked = lockedPackages();
  const found = new Map<string, Installed>();
  const walk = (node: Installed) => {
    for (const [name, dependency] of Object.entries(node.dependencies ?? {})) {
      if (dependency.path || dependency.missing) {
        const key = dependency.path ?? `${name} (missing)`;
        // A deduplicated entry repeats a package without its details: keep the fullest one.
        if (!found.has(key) || dependency.license !== undefined) found.set(key, { ...dependency, name });
      } else {
        for (const entry of locked.filter((l) => l.name === name))
          found.set(`${name}@${entry.version} (locked)`, entry);
      }
      walk(dependency);
    }
  };
  walk(tree);
  return [...found.values()];
}

/** What is wrong with each non-permissive package: name, version, where, licence and why. */
function failures(packages: readonly Installed[]): string[] {
  return packages.flatMap((pkg) => {
    const id = `${pkg.name}@${pkg.version ?? "?"}`;
    if (pkg.missing) return [`${id}: not installed, so its licence cannot be read (npm ci)`];
    const reviewed = REVIEWED[id];
    if (reviewed && pkg.path) {
      const text = readFileSync(path.join(pkg.path, reviewed.file), "utf8");
      return text.split("\n")[0]?.trim() === reviewed.firstLine
        ? []
        : [`${id}: its ${reviewed.file} no longer starts "${reviewed.firstLine}": review it again`];
    }
    const declared = declaredLicence(pkg);
    const problem = licenceProblem(declared);
    const where = pkg.path ? path.relative(process.cwd(), pkg.path) : "package-lock.json, not installed here";
    return problem ? [`${id} (${where}): ${JSON.stringify(declared ?? null)}, ${problem}`] : [];
  });
}

describe("licences", () => {
  it("GIVEN the project WHEN its licence is read THEN package.json says Apache-2.0 and LICENSE is the ASF's text", () => {
    expect(JSON.parse(readFileSync("package.json", "utf8")).license).toBe("Apache-2.0");
    expect(createHash("sha256").update(readFileSync("LICENSE")).digest("hex")).toBe(APACHE_2_0_SHA256);
  });

  it("GIVEN SPDX expressions WHEN judged THEN OR needs one permissive side, AND needs both, and anything else is named", () => {
    expect(licenceProblem("MIT")).toBeUndefined();
    expect(licenceProblem("(MIT OR GPL-3.0-only)")).toBeUndefined();
    expect(licenceProblem("(Apache-2.0 AND BSD-3-Clause)")).toBeUndefined();
    expect(licenceProblem("(MIT OR Apache-2.0) AND (BSD-2-Clause OR LGPL-2.1-only)")).toBeUndefined();
    expect(licenceProblem("Apache-2.0 WITH LLVM-exception")).toBeUndefined();
    expect(licenceProblem("MIT AND GPL-3.0-or-later")).toBe("not permissive");
    expect(licenceProblem("LGPL-3.0-only OR MPL-2.0")).toBe("not permissive");
    expect(licenceProblem("GPL-2.0-only WITH Classpath-exception-2.0")).toBe("not permissive");
    expect(licenceProblem("BUSL-1.1")).toBe("not permissive");
    expect(licenceProblem("SEE LICENSE IN LICENSE.md")).toMatch(/^not an SPDX expression/);
    expect(licenceProblem("UNLICENSED")).toMatch(/^not an SPDX expression/);
    expect(licenceProblem(undefined)).toBe("no licence declared");
    expect(declaredLicence({ license: { type: "MIT" } })).toBe("MIT");
    expect(declaredLicence({ licenses: [{ type: "MIT" }, { type: "Apache-2.0" }] })).toBe(
      "(MIT) OR (Apache-2.0)",
    );
  });

  it("GIVEN a dependency with a copyleft or unreadable licence WHEN checked THEN the failure names the package, where it is and its licence", () => {
    expect(
      failures([
        {
          name: "left-pad",
          version: "1.0.0",
          path: path.resolve("node_modules/left-pad"),
          license: "GPL-3.0-only",
        },
        { name: "gone", version: "2.0.0", missing: true },
      ]),
    ).toEqual([
      'left-pad@1.0.0 (node_modules/left-pad): "GPL-3.0-only", not permissive',
      "gone@2.0.0: not installed, so its licence cannot be read (npm ci)",
    ]);
  });

  it("GIVEN npm ls --omit=dev --all WHEN every production dependency's licence is read THEN each is permissive", () => {
    const packages = productionDependencies();
    // The direct dependencies are there, so the walk read the tree.
    const names = new Set(packages.map((p) => p.name));
    for (const name of Object.keys(JSON.parse(readFileSync("package.json", "utf8")).dependencies))
      expect(names, name).toContain(name);
    expect(names).not.toContain("vitest");
    expect(failures(packages)).toEqual([]);
  });
});
