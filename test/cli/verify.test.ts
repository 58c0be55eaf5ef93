import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = path.resolve("bin/m2m.js");
const AWS_API = "https://aws.m2m.acme.example";
const m2m = (args: string[], input = "") =>
  spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8", timeout: 60_000 });

describe("m2m verify against the running local environment", () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-verify-"));
  let child: ReturnType<typeof spawn>;
  let issuer = "";

  beforeAll(async () => {
    child = spawn(process.execPath, [
      BIN,
      "up",
      "--local",
      "--stack",
      "dev",
      "--port",
      "0",
      "--state-dir",
      stateDir,
    ]);
    const out = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout?.on("data", (chunk) => {
        text += chunk;
        if (text.includes("Client secrets (0600):")) resolve(text);
      });
      child.on("exit", () => reject(new Error(`m2m up stopped before serving:\n${text}`)));
    });
    issuer = /issuer {10}(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1] ?? "";
  }, 60_000);
  afterAll(() => {
    child.kill("SIGTERM");
  });

  /** A token the local issuer mints for `key` (a client_secret_post workload) and `audience`. */
  async function tokenFor(key: string, audience: string): Promise<string> {
    const secrets = readFileSync(path.join(stateDir, "client-secrets"), "utf8");
    const secret =
      secrets
        .split("\n")
        .find((l) => l.startsWith(`${key}=`))
        ?.slice(key.length + 1) ?? "";
    const state = JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8"));
    const response = await fetch(`${issuer}oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: state.clients[key].clientId,
        client_secret: secret,
        audience,
      }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  it("GIVEN globex/billing-sync's token from the local issuer WHEN verified with --local THEN its role lets it in under both readings, labelled simulated, and it exits 0", async () => {
    const token = await tokenFor("globex/billing-sync", AWS_API);
    const result = m2m(["verify", "--stack", "dev", "--local", "--state-dir", stateDir, "--token", token]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^Simulated against the local environment at http:\/\/127\.0\.0\.1:\d+\//);
    expect(result.stdout).toContain("Token of workload globex/billing-sync");
    expect(result.stdout).toMatch(
      /\nAWS\n {2}globex\/billing-sync +role arn:aws:iam::111111111111:role\/m2m-dev-globex-billing-sync\n {4}allowed {2}\[azp allowed, aud allowed\]\n {4}reaches /,
    );
    expect(result.status).toBe(0);
  });

  it("GIVEN the same token on standard input WHEN verified with --json THEN the report is version 1 with its AWS entry", async () => {
    const token = await tokenFor("globex/billing-sync", AWS_API);
    const result = m2m(
      ["verify", "--stack", "dev", "--local", "--state-dir", stateDir, "--token", "-", "--json"],
      token,
    );
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      version: 1,
      workload: { tenant: "globex", workload: "billing-sync" },
      gcp: [],
      azure: [],
    });
    expect(report.aws).toEqual([
      expect.objectContaining({
        tenant: "globex",
        workload: "billing-sync",
        own: true,
        allowed: true,
        allowedByReading: { azp: true, aud: true },
        reasons: [],
      }),
    ]);
    expect(result.status).toBe(0);
  });

  it("GIVEN a token signed by another key WHEN verified THEN it exits 2, saying the signature does not verify", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ sub: "x@clients", aud: AWS_API, iss: issuer })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    const result = m2m(["verify", "--stack", "dev", "--local", "--state-dir", stateDir, "--token", forged]);
    expect(result.stderr).toMatch(
      /^m2m: the token's signature does not verify against the local environment's key/,
    );
    expect(result.status).toBe(2);
  });

  it("GIVEN dev's local environment running WHEN a prod token is verified with --stack prod --local and dev's state folder THEN it exits 2, naming both stacks and how to fix it, and verifies nothing against dev", async () => {
    const token = await tokenFor("globex/billing-sync", AWS_API);
    const result = m2m(["verify", "--stack", "prod", "--local", "--state-dir", stateDir, "--token", token]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `m2m: the local environment in ${stateDir} serves stack dev, not prod: start prod's with m2m up --local --stack prod (in a state folder of its own: the default, or another --state-dir), or pass --stack dev to use the one running\n`,
    );
    expect(result.status).toBe(2);
  });

  it("GIVEN a what-if claim set giving umbrella's subject globex's tenant claim WHEN verified with --claims THEN globex's role stays closed and it exits 1 (umbrella's own role refuses the wrong tags)", () => {
    const state = JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8"));
    const file = path.join(stateDir, "what-if.json");
    writeFileSync(
      file,
      JSON.stringify({
        iss: issuer,
        sub: `${state.clients["umbrella/analytics"].clientId}@clients`,
        aud: AWS_API,
        azp: state.clients["umbrella/analytics"].clientId,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 3600,
        "https://aws.amazon.com/tags": {
          principal_tags: { tenant_id: ["globex"], workload: ["billing-sync"] },
        },
      }),
    );
    const result = m2m(["verify", "--stack", "dev", "--local", "--state-dir", stateDir, "--claims", file]);
    expect(result.stdout).toContain(`Claims from ${file}, evaluated as if signed`);
    expect(result.stdout).not.toMatch(/globex\/billing-sync/);
    expect(result.stdout).toMatch(/umbrella\/analytics +role .*\n {4}denied/);
    expect(result.status).toBe(1);
  });
});

describe("m2m verify without a local environment", () => {
  it("GIVEN --local and a state folder nothing serves WHEN verified THEN it exits 2: no local environment running for stack dev", () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-verify-none-"));
    const result = m2m(["verify", "--stack", "dev", "--local", "--state-dir", stateDir, "--token", "a.b.c"]);
    expect(result.stderr).toMatch(/no local environment running for stack dev/);
    expect(result.status).toBe(2);
  });

  it("GIVEN a claim set and no outputs WHEN verified THEN the placeholder ids are said, and a placeholder subject gets its own role", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-verify-plan-"));
    const file = path.join(dir, "claims.json");
    const now = Math.floor(Date.now() / 1000);
    writeFileSync(
      file,
      JSON.stringify({
        iss: "https://acme-dev.eu.auth0.com/",
        sub: "placeholder-globex-billing-sync@clients",
        aud: AWS_API,
        azp: "placeholder-globex-billing-sync",
        iat: now,
        exp: now + 3600,
        "https://aws.amazon.com/tags": {
          principal_tags: { tenant_id: ["globex"], workload: ["billing-sync"] },
        },
      }),
    );
    const result = m2m(["verify", "--stack", "dev", "--claims", file]);
    expect(result.stdout).toMatch(/^Client ids are the plan's placeholders/);
    expect(result.stdout).toMatch(/globex\/billing-sync +role .*\n {4}allowed/);
    expect(result.status).toBe(0);
  });
});
