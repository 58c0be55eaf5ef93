import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile } from "../../src/stack/stack-file.ts";

describe("readStackFile and the stack name", () => {
  it("GIVEN a stack name with '-' WHEN its file is read THEN it is refused, though its file exists, saying why and the fix", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-stack-"));
    writeFileSync(path.join(dir, "Pulumi.dev-prod.yaml"), "config: {}\n");
    expect(() => readStackFile(dir, "dev-prod")).toThrow(
      /^stack name "dev-prod" must be .*would both compose m2m-dev-prod-abc.*e\.g\. "devprod"$/,
    );
  });

  it("GIVEN a stack name that climbs out of the project WHEN its file is read THEN it is refused before any path is read", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-stack-"));
    writeFileSync(path.join(dir, "outside.yaml"), "config: {}\n");
    expect(path.join(dir, "project", "Pulumi.a/../../outside.yaml")).toBe(path.join(dir, "outside.yaml"));
    expect(() => readStackFile(path.join(dir, "project"), "a/../../outside")).toThrow(
      /^stack name "a\/\.\.\/\.\.\/outside" must be/,
    );
  });
});
