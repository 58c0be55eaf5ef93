import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("the README's Testing your Actions example", () => {
  it("GIVEN the example test file WHEN the README is read THEN it shows the file verbatim", () => {
    const example = readFileSync("test/runtime/readme-example.test.ts", "utf8");
    expect(readFileSync("README.md", "utf8")).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
