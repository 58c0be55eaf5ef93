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

  it("GIVEN globex/billing-sync's own AWS token, its role carrying AmazonSQSReadOnlyAccess (content not known offline) WHEN the table is rendered THEN its role's reach says what it may reach at most, never that it reaches its whole boundary", () => {
    const report = verifyClaims(env, targets, claims, { alg: "RS256", length: 900 }, { nowS: NOW });
    const table = renderReport(report, []);
    expect(table).toContain(
      "    may reach at most arn:aws:s3:::acme-dev-globex/*: s3:GetObject, s3:PutObject by its inline policy; whatever AmazonSQSReadOnlyAccess allows (a managed policy: its content is not known offline), up to its boundary's every action",
    );
    expect(table).not.toMatch(/^ {4}reaches arn:aws:/m);
    expect(report.aws[0]?.reaches).toContainEqual(
      expect.stringMatching(
        /^at most arn:aws:sqs:eu-west-1:111111111111:dev_globex_\*: whatever AmazonSQSReadOnlyAccess allows/,
      ),
    );
  });

  it("GIVEN initech/report-export's GCP token WHEN the table is rendered THEN a reach the model knows exactly (a role on a dataset) is said as reached", () => {
    const gcp = env.apis.find((a) => a.key === "gcp");
    if (!gcp) throw new Error("dev has no gcp API");
    const token = issuedClaims(env, {
      tenantId: "initech",
      workload: "report-export",
      clientId: ids["initech/report-export"] as string,
      api: gcp,
      scopes: [],
      iat: NOW - 60,
    });
    const table = renderReport(
      verifyClaims(env, targets, token, { alg: "RS256", length: 900 }, { nowS: NOW }),
      [],
    );
    expect(table).toMatch(
      /^ {4}reaches projects\/acme-m2m-dev\/datasets\/dev_initech: roles\/bigquery\.dataViewer/m,
    );
  });
});
