import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile } from "../../src/stack/stack-file.ts";

function projectWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-stack-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("readStackFile", () => {
  it("GIVEN a stack file WHEN read THEN its config keys come back as written, secure values untouched", () => {
    const dir = projectWith({
      "Pulumi.dev.yaml":
        "config:\n  m2m:environment:\n    production: false\n  m2m:auth0ClientSecret:\n    secure: v1:abc\n",
    });
    expect(readStackFile(dir, "dev").config).toEqual({
      "m2m:environment": { production: false },
      "m2m:auth0ClientSecret": { secure: "v1:abc" },
    });
  });

  it("GIVEN no file for the stack WHEN read THEN the error names the file and how to create the stack", () => {
    expect(() => readStackFile(projectWith({}), "qa")).toThrow(/Pulumi\.qa\.yaml.*pulumi stack init qa/);
  });

  it("GIVEN a file that is not YAML WHEN read THEN the error names the file and the parser's first line", () => {
    const dir = projectWith({ "Pulumi.dev.yaml": "config:\n  a: [1, 2\n" });
    expect(() => readStackFile(dir, "dev")).toThrow(/Pulumi\.dev\.yaml is not valid YAML: /);
  });

  it("GIVEN an empty stack file WHEN read THEN it has no config", () => {
    expect(readStackFile(projectWith({ "Pulumi.dev.yaml": "" }), "dev").config).toEqual({});
  });
});
