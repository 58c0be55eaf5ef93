import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomically } from "../../src/stack/atomic-write.ts";

describe("writeFileAtomically", () => {
  it("GIVEN a file with its own permissions WHEN replaced THEN it holds the new text, keeps its mode and no temporary file is left", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-atomic-"));
    const file = path.join(dir, "Pulumi.dev.yaml");
    writeFileSync(file, "old\n");
    chmodSync(file, 0o600);
    writeFileAtomically(file, "new\n");
    expect(readFileSync(file, "utf8")).toBe("new\n");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["Pulumi.dev.yaml"]);
  });

  it("GIVEN a symlinked file WHEN replaced THEN the link stays a link and the file it points to holds the new text", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-atomic-"));
    mkdirSync(path.join(dir, "stacks"));
    writeFileSync(path.join(dir, "stacks", "dev.yaml"), "old\n");
    symlinkSync(path.join("stacks", "dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    writeFileAtomically(path.join(dir, "Pulumi.dev.yaml"), "new\n");
    expect(lstatSync(path.join(dir, "Pulumi.dev.yaml")).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, "stacks", "dev.yaml"), "utf8")).toBe("new\n");
    expect(readdirSync(path.join(dir, "stacks"))).toEqual(["dev.yaml"]);
  });

  it("GIVEN the rename fails WHEN written THEN the error is thrown, the target is untouched and the temporary file is gone", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-atomic-"));
    const target = path.join(dir, "Pulumi.dev.yaml");
    mkdirSync(target);
    writeFileSync(path.join(target, "inside"), "kept");
    expect(() => writeFileAtomically(target, "new\n")).toThrow();
    expect(readdirSync(dir)).toEqual(["Pulumi.dev.yaml"]);
    expect(readFileSync(path.join(target, "inside"), "utf8")).toBe("kept");
  });

  it("GIVEN no file WHEN written THEN it fails before writing anything", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-atomic-"));
    expect(() => writeFileAtomically(path.join(dir, "Pulumi.qa.yaml"), "x")).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
