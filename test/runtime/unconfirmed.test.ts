import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UNCONFIRMED, UNCONFIRMED_TABLE } from "../../src/runtime/index.ts";

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });

describe("the UNCONFIRMED table", () => {
  it("GIVEN every entry WHEN read THEN it states a behaviour and names the public sources read, by https URL", () => {
    for (const [key, entry] of Object.entries(UNCONFIRMED_TABLE)) {
      expect(entry.behaviour.length, key).toBeGreaterThan(20);
      expect(entry.sources.length, key).toBeGreaterThan(0);
      for (const source of entry.sources)
        expect(source, key).toMatch(/^https:\/\/(auth0\.com|github\.com)\//);
    }
  });

  it("GIVEN the one-sentence view WHEN read THEN it has exactly the table's entries", () => {
    expect(Object.keys(UNCONFIRMED)).toEqual(Object.keys(UNCONFIRMED_TABLE));
    for (const [key, entry] of Object.entries(UNCONFIRMED_TABLE)) {
      expect(UNCONFIRMED[key as keyof typeof UNCONFIRMED]).toBe(entry.behaviour);
    }
  });

  it("GIVEN the code and tests WHEN they cite an entry as UNCONFIRMED.name or (UNCONFIRMED name) THEN that entry exists", () => {
    const cited = new Set<string>();
    for (const file of [...sourceFiles("src"), ...sourceFiles("test")]) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/UNCONFIRMED[. ]([a-z][A-Za-z0-9]+)/g)) {
        const name = match[1] ?? "";
        if (/[A-Z]/.test(name)) cited.add(name);
      }
    }
    expect(cited.size).toBeGreaterThan(5);
    for (const name of cited) expect(Object.keys(UNCONFIRMED_TABLE), name).toContain(name);
  });

  for (const settled of ["cacheDeleteMissing", "cacheExpiryBounds", "laterActionsSeeScopes"]) {
    it(`GIVEN ${settled}, which the sources settled WHEN the table is read THEN it is no longer there`, () => {
      expect(Object.keys(UNCONFIRMED_TABLE)).not.toContain(settled);
    });
  }
});
