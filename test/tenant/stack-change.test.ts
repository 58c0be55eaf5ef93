import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { applyStackChange, readStackBefore, StackChangeError } from "../../src/tenant/stack-change.ts";

function project(): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-change-"));
  const file = path.join(dir, "Pulumi.dev.yaml");
  copyFileSync("Pulumi.dev.yaml", file);
  return { dir, file, text: readFileSync(file, "utf8") };
}

describe("applyStackChange", () => {
  it("GIVEN an edited text that does not hold the intended value WHEN applied THEN nothing is written and it says to edit by hand", () => {
    const { dir, file, text } = project();
    const before = readStackBefore(dir, "dev");
    // The text drops a tenant the intended value keeps: a layout the edit misread would do this.
    const edited = text.replace("      - id: globex\n", "      - id: globexx\n");
    expect(() => applyStackChange("dev", before, () => ({ text: edited, expected: before.raw }))).toThrow(
      new StackChangeError(
        `${file} was not changed: the edited text did not read back as the intended change (a layout this tool does not handle); make the change by hand`,
      ),
    );
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(readdirSync(dir)).toEqual(["Pulumi.dev.yaml"]);
  });

  it("GIVEN another config key changed by the edit WHEN applied THEN it is refused as well", () => {
    const { dir, file, text } = project();
    const before = readStackBefore(dir, "dev");
    const edited = `${text}  m2m:extra: 1\n`;
    expect(() => applyStackChange("dev", before, () => ({ text: edited, expected: before.raw }))).toThrow(
      /did not read back as the intended change/,
    );
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("GIVEN a text that holds the intended value WHEN applied THEN it is written and the environment returned", () => {
    const { dir, file, text } = project();
    const before = readStackBefore(dir, "dev");
    const edited = text.replace("# Stack dev:", "# Stack dev (edited):");
    const env = applyStackChange("dev", before, () => ({ text: edited, expected: before.raw }));
    expect(env.tenants.map((t) => t.id)).toEqual(["globex", "initech", "umbrella"]);
    expect(readFileSync(file, "utf8")).toBe(edited);
  });
});
