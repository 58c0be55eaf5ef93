import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import { environmentReach, environmentReachFindings } from "../../../src/model/trust/reach-check.ts";
import { readStackFile } from "../../../src/stack/stack-file.ts";

const committed = (stack: string) =>
  parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);

describe("reach in every cloud", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN the committed ${stack} stack WHEN reach is checked in every cloud THEN no identity reaches another tenant, and what stays unproven is named`, () => {
      const findings = environmentReachFindings(committed(stack));
      expect(findings.filter((f) => f.kind === "tenant-reach")).toEqual([]);
      expect(findings.map((f) => f.subject)).toEqual(
        expect.arrayContaining(["aws role of umbrella/analytics"]),
      );
      expect(findings.every((f) => f.kind === "own-reach-unproven")).toBe(true);
    });
  }

  it("GIVEN the dev stack WHEN its reach is listed THEN every cloud's entries are there, shared access marked where there is some", () => {
    const entries = environmentReach(committed("dev"));
    expect(new Set(entries.map((e) => e.cloud))).toEqual(new Set(["aws", "gcp", "azure"]));
    expect(entries).toContainEqual(
      expect.objectContaining({
        cloud: "aws",
        tenantId: "globex",
        workload: "billing-sync",
        resource: "arn:aws:s3:::acme-dev-globex/*",
      }),
    );
  });
});
