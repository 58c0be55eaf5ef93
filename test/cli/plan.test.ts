import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { renderDiff } from "../../src/cli/diff.ts";
import { renderPlan } from "../../src/cli/plan.ts";
import { diffPlans } from "../../src/plan/plan-diff.ts";
import { producePlan } from "../../src/plan/produce-plan.ts";
import { rsaKeyPair } from "../fixtures/keys.ts";
import { ANALYTICS_KEY } from "../fixtures/local-project.ts";
import { committedEnvironment, MOCK_CREDENTIALS } from "../support/mocked-stack.ts";

const BIN = path.resolve("bin/m2m.js");

/** `m2m <args>` in `cwd` as a user runs it, with only PATH and `env` in its environment. */
function m2m(args: readonly string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A project whose dev stack carries every kind of secret a stack file and a shell can hold. */
const SECURE_CIPHERTEXT = "v1:c2VjcmV0LWNpcGhlcnRleHQtb2YtdGhlLW1hbmFnZW1lbnQtY2xpZW50";
const AMBIENT_SECRET = "ambient-AUTH0-client-SECRET-9f8e7d";
const OTHER_KEY = rsaKeyPair();
const GLOBEX_KEY = rsaKeyPair();
function secretProject(edit: (env: Record<string, unknown>) => void = () => {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-plan-"));
  const env = structuredClone(committedEnvironment("dev")) as Record<string, unknown> & {
    tenants: { workloads: { authentication?: unknown }[] }[];
  };
  // The private_key_jwt workload signs with the fixture's key: only its public half is in the stack.
  const analytics = env.tenants[2]?.workloads[0];
  if (analytics)
    analytics.authentication = {
      method: "private_key_jwt",
      keys: [
        { name: "analytics-1", pem: ANALYTICS_KEY.publicKey },
        { name: "analytics-2", pem: OTHER_KEY.publicKey },
      ],
    };
  edit(env);
  writeFileSync(
    path.join(dir, "Pulumi.dev.yaml"),
    stringify({
      config: {
        "m2m:environment": env,
        "m2m:auth0ClientId": MOCK_CREDENTIALS.clientId,
        "m2m:auth0ClientSecret": { secure: SECURE_CIPHERTEXT },
      },
    }),
  );
  return dir;
}

/** Every secret and private key of the fixtures, as strings that must never be printed. */
function secretsOfTheFixtures(): string[] {
  const bodyLines = (pem: string) =>
    pem
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"))
      .map((l) => l.trim());
  return [
    SECURE_CIPHERTEXT,
    AMBIENT_SECRET,
    MOCK_CREDENTIALS.clientSecret,
    ...bodyLines(ANALYTICS_KEY.privateKey),
    ...bodyLines(OTHER_KEY.privateKey),
    ...bodyLines(GLOBEX_KEY.privateKey),
    "PRIVATE KEY",
  ];
}

describe("m2m plan", () => {
  it("GIVEN a stack WHEN m2m plan --format json --out FILE runs THEN the plan is written there, whole, and exit is 0", () => {
    const dir = secretProject();
    const out = path.join(dir, "plan.json");
    const result = m2m(["plan", "--stack", "dev", "--format", "json", "--out", out], dir);
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(`wrote ${out}`);
    const plan = JSON.parse(readFileSync(out, "utf8"));
    expect(plan.format).toBe("m2m-plan/1");
    expect(plan.unsetConfig).toEqual([]);
    expect(plan.tenants.map((t: { id: string }) => t.id)).toEqual(["globex", "initech", "umbrella"]);
  });

  it("GIVEN bad usage WHEN m2m plan runs THEN exit 2 with what to write instead, and no stack trace", () => {
    const dir = secretProject();
    const missing = m2m(["plan"], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("m2m plan: --stack is required, e.g. --stack dev");
    const format = m2m(["plan", "--stack", "dev", "--format", "xml"], dir);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain("--format xml: use one of text, markdown, json");
    const unknown = m2m(["plan", "--stack", "qa"], dir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no stack file .*Pulumi\.qa\.yaml/);
    for (const r of [missing, format, unknown]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("GIVEN an invalid stack WHEN m2m plan runs THEN exit 2 with the model's issues", () => {
    const dir = secretProject((env) => {
      (env.apis as unknown[]).push({ key: "bad key", identifier: "x", name: "x", scopes: [] });
    });
    const result = m2m(["plan", "--stack", "dev"], dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /The environment of stack "dev" \(config key m2m:environment\) has \d+ problems?/,
    );
  });
});

describe("the leak test: plan, diff and CLI output never carry a secret or a private key", () => {
  it("GIVEN a stack with a secure config value, private_key_jwt keys and AUTH0_* credentials in the shell WHEN plan and diff print every format and the help THEN none of the fixtures' secrets or private keys appears", {
    timeout: 180_000,
  }, async () => {
    const dir = secretProject();
    const shell = {
      AUTH0_CLIENT_SECRET: AMBIENT_SECRET,
      AUTH0_CLIENT_ID: "ambient-id",
      AUTH0_DOMAIN: "x.auth0.com",
    };
    const outputs: string[] = [];
    for (const format of ["text", "markdown", "json"]) {
      const r = m2m(["plan", "--stack", "dev", "--format", format], dir, shell);
      expect(r.status, r.stderr).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    for (const args of [
      ["--help"],
      ["plan", "--help"],
      ["diff", "--help"],
      ["diff", "--stack", "dev", "--base", "HEAD"],
    ]) {
      const r = m2m(args, dir, shell);
      outputs.push(r.stdout, r.stderr);
    }
    // A diff that changes the keys, the secret-bearing credentials and the workloads.
    const base = await producePlan({ projectDir: dir, stack: "dev" });
    const head = await producePlan({
      projectDir: secretProject((env) => {
        (env.tenants as { workloads: { authentication?: unknown }[] }[])[0]?.workloads.forEach((w) => {
          w.authentication = { method: "private_key_jwt", keys: [{ name: "k", pem: GLOBEX_KEY.publicKey }] };
        });
      }),
      stack: "dev",
    });
    const diff = diffPlans(base, head, { ref: "main", commit: "0".repeat(40) });
    expect(diff.changes.length).toBeGreaterThan(0);
    for (const format of ["text", "markdown", "json"] as const)
      outputs.push(renderDiff(diff, format), renderPlan(head, format));
    const all = outputs.join("\n");
    expect(all).toContain("[secret]");
    for (const secret of secretsOfTheFixtures())
      expect(all.includes(secret), `leaked: ${secret.slice(0, 24)}`).toBe(false);
  });
});
