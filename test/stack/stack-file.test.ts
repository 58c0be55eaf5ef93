import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile, stackConfigOf, stackDocumentOf } from "../../src/stack/stack-file.ts";

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

  it("GIVEN a key written twice WHEN read THEN the error says so, with where", () => {
    const dir = projectWith({ "Pulumi.dev.yaml": "config:\n  a: 1\n  a: 2\n" });
    expect(() => readStackFile(dir, "dev")).toThrow(
      /Pulumi\.dev\.yaml is not valid YAML: duplicated mapping key \(3:3\)/,
    );
  });

  it("GIVEN dates, yes and off, octal, hex, null, anchors and block scalars WHEN read THEN they read as YAML 1.2's core schema says (dates and yes stay strings), as the yaml documents m2m tenant locates its edits in read them too", () => {
    const text = [
      "config:",
      "  m2m:environment:",
      "    date: 2026-01-01",
      "    yes: yes",
      "    off: off",
      "    octal: 0o17",
      "    sexagesimal: 1:20",
      "    nothing: ~",
      "    float: .5",
      "    hex: 0x1F",
      "    inf: .inf",
      "    quoted: '0777'",
      "    shared: &scopes [orders:read, 'orders:write']",
      "    again: *scopes",
      "    block: |",
      "      line one",
      "      line two",
      "",
    ].join("\n");
    const read = stackConfigOf(text, "Pulumi.dev.yaml");
    expect(read).toEqual((stackDocumentOf(text, "Pulumi.dev.yaml").toJS() as { config: unknown }).config);
    expect(read["m2m:environment"]).toMatchObject({
      date: "2026-01-01",
      yes: "yes",
      octal: 15,
      nothing: null,
    });
  });

  it("GIVEN an empty stack file WHEN read THEN it has no config", () => {
    expect(readStackFile(projectWith({ "Pulumi.dev.yaml": "" }), "dev").config).toEqual({});
  });
});
