import { describe, expect, it } from "vitest";
import { type Environment, parseEnvironment } from "../../src/model/environment/environment.ts";
import { placeholderClientId, workloadKey } from "../../src/model/environment/names.ts";
import { issuedClaims } from "../../src/model/trust/token-claims.ts";
import { readStackFile } from "../../src/stack/stack-file.ts";
import { renderReport } from "../../src/verify/render.ts";
import { environmentTargets } from "../../src/verify/targets.ts";
import { type VerifyReport, verifyClaims } from "../../src/verify/verdicts.ts";

const NOW = 2_000_000_000;

function dev() {
  const env: Environment = parseEnvironment(
    readStackFile(process.cwd(), "dev").config["m2m:environment"],
    "dev",
  );
  const ids = Object.fromEntries(
    env.tenants.flatMap((t) =>
      t.workloads.map((w) => [workloadKey(t.id, w.name), placeholderClientId(t.id, w.name)]),
    ),
  );
  return { env, ids, targets: environmentTargets(env, ids) };
}

describe("the verify table's verdict labels", () => {
  const { env, ids, targets } = dev();
  const api = env.apis.find((a) => a.key === "aws");
  if (!api) throw new Error("dev has no aws API");
  const claims = issuedClaims(env, {
    tenantId: "globex",
    workload: "billing-sync",
    clientId: ids["globex/billing-sync"] as string,
    api,
    scopes: [],
    iat: NOW - 60,
  });

  it("GIVEN globex/billing-sync's AWS token re-addressed to another API, which its own role still takes under the azp reading WHEN the table is rendered THEN the role is labelled the workload's own, in a cloud the token is not for, never another workload's", () => {
    const report = verifyClaims(
      env,
      targets,
      { ...claims, aud: "https://elsewhere.example" },
      { alg: "RS256", length: 900 },
      { nowS: NOW },
    );
    expect(report.aws).toEqual([expect.objectContaining({ tenant: "globex", own: false, allowed: true })]);
    const table = renderReport(report, []);
    expect(table).toContain(
      "    ALLOWED (its own workload's, but the token is not for AWS's API)  [azp allowed, aud denied]",
    );
    expect(table).not.toContain("another workload's");
  });

  it("GIVEN another workload's target letting the token in WHEN the table is rendered THEN it is labelled another workload's", () => {
    const report: VerifyReport = {
      version: 1,
      workload: { tenant: "globex", workload: "billing-sync" },
      notes: [],
      aws: [
        {
          tenant: "umbrella",
          workload: "analytics",
          target: "role x",
          own: false,
          allowed: true,
          allowedByReading: { azp: false, aud: true },
          reasons: [],
          reaches: [],
        },
      ],
      gcp: [],
      azure: [],
    };
    expect(renderReport(report, [])).toContain("    ALLOWED (another workload's)  [azp denied, aud allowed]");
  });
});
