import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSyntaxProblem, readJsonFile } from "../../src/verify/json-file.ts";

const SECRET = "s3cr3t-Zq9x";

function fileHolding(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "m2m-json-")), "input.json");
  writeFileSync(file, text);
  return file;
}

const read = (file: string, hint?: string) =>
  readJsonFile("--claims", file, (m) => new Error(m), hint) as unknown;

describe("reading a JSON input file: where it stops being JSON, never what it holds", () => {
  const CASES: [string, string, string][] = [
    ["a token", `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ${SECRET}.c2ln`, "line 1, column 1: expected a JSON value"],
    ["a secrets file", `globex/billing=${SECRET}\n`, "line 1, column 1: expected a JSON value"],
    [
      "a trailing comma on line 3",
      `{\n  "sub": "${SECRET}",\n  "aud": "x",\n}`,
      "line 4, column 1: expected a property name in double quotes",
    ],
    ["a missing colon", `{"sub" "${SECRET}"}`, "line 1, column 8: expected ':' after the property name"],
    [
      "an unended string",
      `{"sub": "${SECRET}`,
      'line 1, column 21: expected a closing " (the string is not ended)',
    ],
    [
      "two values",
      `{"a": 1}\n{"b": "${SECRET}"}`,
      "line 2, column 1: expected the end: JSON holds one value",
    ],
    ["nothing", "  \n", "line 2, column 1: expected a JSON value"],
  ];
  for (const [what, text, where] of CASES)
    it(`GIVEN --claims pointing at ${what} WHEN read THEN the error names the flag, the file and ${where}, and none of the text`, () => {
      const file = fileHolding(text);
      let message = "";
      try {
        read(file);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(
        new RegExp(`^--claims ${file.replaceAll(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not JSON: `),
      );
      expect(message).toContain(where);
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain("eyJ");
    });

  it("GIVEN a token's text WHEN read as --claims THEN the error also says it looks like a JWT, to be given with --token", () => {
    expect(() => read(fileHolding(`eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ${SECRET}.c2ln\n`))).toThrow(
      /; it looks like a JWT: give a token with --token$/,
    );
  });

  it("GIVEN a file that cannot be read WHEN read THEN the error names the file and why (its code)", () => {
    expect(() => read("/nowhere/claims.json")).toThrow(
      "--claims /nowhere/claims.json cannot be read (ENOENT)",
    );
  });

  it("GIVEN any text WHEN scanned THEN it is JSON exactly when JSON.parse takes it", () => {
    const isJson = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    const texts = fc.oneof(
      fc.json(),
      fc.json().map((t) => t.slice(0, -1)),
      fc.string(),
      fc.json().chain((t) => fc.nat(t.length).map((i) => t.slice(0, i) + t.slice(i + 1))),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(jsonSyntaxProblem(text) === undefined).toBe(isJson(text));
      }),
      { numRuns: 2000 },
    );
  });
});
