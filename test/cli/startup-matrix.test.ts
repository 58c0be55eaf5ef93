import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderStartupMatrix, startupMatrix, startupWarning } from "../../src/cli/startup-matrix.ts";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { readLocalState } from "../../src/issuer/local-state.ts";
import { newSigningKeyPem } from "../../src/issuer/signing-key.ts";
import { AWS_TAGS_CLAIM } from "../../src/model/contract/aws-session-tags.ts";
import { loadActionSource } from "../../src/runtime/index.ts";
import type { KeySource } from "../../src/verify/token-input.ts";
import { startFixture } from "../fixtures/local-project.ts";

const NOW = () => Math.floor(Date.now() / 1000);

/** Every (workload, cloud) whose cloud API the model grants it: the rows the matrix must hold. */
function expectedRows(local: LocalEnvironment): string[] {
  const env = local.tenant.env;
  return env.tenants.flatMap((t) =>
    t.workloads.flatMap((w) =>
      w.grants.flatMap((g) => {
        const cloud = env.apis.find((a) => a.key === g.api)?.cloud;
        return cloud ? [`${t.id}/${w.name} ${cloud}`] : [];
      }),
    ),
  );
}

/** A forging Action bound after tenant-claims, as a buggy one could be on a real tenant. */
const forger = (claim: string, value: unknown) =>
  loadActionSource("test/fixtures/actions/claim-forger.ts", {
    name: `forge-${claim}`,
    constants: { CLAIM: claim, VALUE: JSON.stringify(value) },
  });

describe("the startup matrix of m2m up --local", () => {
  let local: LocalEnvironment;
  let keys: KeySource;

  beforeAll(async () => {
    local = await startFixture();
    const state = readLocalState(local.stateDir);
    if (!state) throw new Error("no local state");
    keys = { kind: "local", signingKeyPem: state.signingKeyPem, apiSecrets: state.apiSecrets };
  });
  afterAll(() => local.close());

  it("GIVEN the fixture environment with all three clouds WHEN the matrix is built THEN every workload's token for every cloud API it is granted reaches its own targets and nothing else, private_key_jwt included", async () => {
    const matrix = await startupMatrix(local.tenant, keys, NOW());

    expect(matrix.rows.map((r) => `${r.tenant}/${r.workload} ${r.cloud}`).sort()).toEqual(
      expectedRows(local).sort(),
    );
    expect(matrix.rows.map((r) => r.cloud)).toEqual(expect.arrayContaining(["aws", "gcp", "azure"]));
    const keyed = matrix.rows.filter((r) => `${r.tenant}/${r.workload}` === "initech/analytics");
    expect(keyed.length).toBeGreaterThan(0);
    for (const row of matrix.rows) {
      expect(row, `${row.tenant}/${row.workload} ${row.cloud}`).toMatchObject({ ok: true, breaches: [] });
      expect(row.own.allowed).toBe(row.own.total);
    }
    for (const cloud of ["aws", "gcp", "azure"])
      expect(
        matrix.rows.some((r) => r.cloud === cloud && r.own.total > 0),
        cloud,
      ).toBe(true);
    expect(matrix.failed).toBe(0);
    expect(startupWarning(matrix, "local")).toBeUndefined();
    const text = renderStartupMatrix(matrix);
    expect(text.split("\n").filter((l) => /^ {2}ok {4}/.test(l))).toHaveLength(matrix.rows.length);
    // Granted the GCP API without a GCP binding in the model: its token reaches nothing there.
    expect(text).toMatch(/^ {2}ok {4}globex\/billing +gcp +no target of its own there, no other target$/m);
  });

  it("GIVEN an Action after tenant-claims that rewrites the tenant claim and the AWS session tags WHEN the matrix is built THEN the AWS tokens fail on their role's tag conditions, GCP's and Azure's (bound to the subject) pass, and the warning is loud", async () => {
    const env = local.tenant.env;
    const forged = {
      ...local.tenant,
      actions: [
        ...local.tenant.actions,
        forger(env.claims.tenantId, "nobody"),
        forger(AWS_TAGS_CLAIM, { principal_tags: { tenant_id: ["nobody"], workload: ["x"] } }),
      ],
    };

    const matrix = await startupMatrix(forged, keys, NOW());

    const failed = matrix.rows.filter((r) => !r.ok);
    const key = (r: { tenant: string; workload: string; cloud: string }) =>
      `${r.tenant}/${r.workload} ${r.cloud}`;
    expect(failed.map(key).sort()).toEqual(
      matrix.rows
        .filter((r) => r.cloud === "aws")
        .map(key)
        .sort(),
    );
    for (const row of failed) {
      expect(row.own.allowed, key(row)).toBe(0);
      expect(row.problems.join("\n")).toMatch(/tenant_id/);
    }
    expect(matrix.failed).toBe(failed.length);
    const text = renderStartupMatrix(matrix);
    expect(text).toMatch(/^ {2}FAIL/m);
    expect(startupWarning(matrix, "local")).toBe(
      [
        `WARNING: ${failed.length} of ${matrix.rows.length} tokens are not accepted exactly by their own targets (FAIL above).`,
        "WARNING: workloads of this environment would fail or reach what is not theirs. The server keeps running: look with m2m verify --local --stack local --token <JWT>",
      ].join("\n"),
    );
  });

  it("GIVEN an Action that puts the AWS session tags on every token WHEN the matrix is built THEN a workload's GCP and Azure tokens, which its own AWS role now lets in, fail", async () => {
    const forged = {
      ...local.tenant,
      actions: [
        ...local.tenant.actions,
        forger(AWS_TAGS_CLAIM, { principal_tags: { tenant_id: ["initech"], workload: ["analytics"] } }),
      ],
    };

    const matrix = await startupMatrix(forged, keys, NOW());

    const analytics = matrix.rows.filter((r) => `${r.tenant}/${r.workload}` === "initech/analytics");
    const other = analytics.filter((r) => r.cloud !== "aws");
    expect(other.length).toBeGreaterThan(0);
    for (const row of other) {
      expect(row.ok, row.cloud).toBe(false);
      expect(row.breaches).toContainEqual(expect.stringMatching(/^initech\/analytics role arn:aws:iam::/));
    }
    expect(renderStartupMatrix(matrix)).toMatch(/OTHER TARGETS LET IT IN/);
  });

  it("GIVEN keys that are not the environment's WHEN the matrix is built THEN every token fails on its signature", async () => {
    const matrix = await startupMatrix(
      local.tenant,
      { kind: "local", signingKeyPem: newSigningKeyPem(), apiSecrets: {} },
      NOW(),
    );

    expect(matrix.rows.length).toBeGreaterThan(0);
    expect(matrix.failed).toBe(matrix.rows.length);
    for (const row of matrix.rows) expect(row.problems.join("\n")).toMatch(/signature does not verify/);
  });
});

describe("m2m up --local prints the matrix", () => {
  it("GIVEN the dev stack WHEN m2m up --local starts THEN its output ends with an ok row for each workload's cloud API and no warning", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-matrix-"));
    const child = spawn(process.execPath, [
      path.resolve("bin/m2m.js"),
      ...["up", "--local", "--stack", "dev", "--port", "0", "--state-dir", stateDir],
    ]);
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d) => {
          out += d;
          // The dev stack grants six (workload, cloud API) pairs.
          if ((out.match(/^ {2}(ok {2}|FAIL)/gm) ?? []).length >= 6) resolve();
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
    } finally {
      child.kill("SIGTERM");
    }
    expect(out).toContain("Verified at startup (simulated)");
    expect(out).toMatch(/^ {2}ok {4}globex\/billing-sync +aws +own 1\/1 let in, no other target$/m);
    expect(out).toMatch(/^ {2}ok {4}umbrella\/analytics +azure +own 1\/1 let in, no other target$/m);
    expect(out).not.toMatch(/FAIL/);
    expect(err).not.toMatch(/WARNING/);
  });
});
