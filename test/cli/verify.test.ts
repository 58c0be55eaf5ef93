import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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
      /\nAWS\n {2}globex\/billing-sync +role arn:aws:iam::111111111111:role\/m2m-dev-globex-billing-sync\n {4}allowed {2}\[azp allowed, aud allowed\]\n {4}may reach at most arn:aws:s3:::acme-dev-globex: whatever AmazonSQSReadOnlyAccess allows \(a managed policy: its content is not known offline\), up to its boundary's every action\n {4}may reach at most arn:aws:s3:::acme-dev-globex\/\*: s3:GetObject, s3:PutObject by its inline policy; whatever AmazonSQSReadOnlyAccess allows/,
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

  /** A claim set of globex/billing-sync's placeholder client for the AWS API, in a file of its own. */
  function claimsFile(dir: string): string {
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
    return file;
  }

  /** Outputs as `pulumi stack output --json` writes them, with each workload's client id. */
  function outputsFile(dir: string, issuer: string | undefined, ids: Record<string, string>): string {
    const file = path.join(dir, "outputs.json");
    writeFileSync(
      file,
      JSON.stringify({
        ...(issuer ? { issuer } : {}),
        workloads: Object.fromEntries(Object.entries(ids).map(([key, clientId]) => [key, { clientId }])),
      }),
    );
    return file;
  }

  it("GIVEN outputs giving one client id to two workloads WHEN a claim set of that client is verified THEN it exits 2 naming the id and both workloads, never a false 3", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-verify-outputs-"));
    const outputs = outputsFile(dir, "https://acme-dev.eu.auth0.com/", {
      "globex/billing-sync": "placeholder-globex-billing-sync",
      "initech/order-api": "placeholder-initech-order-api",
      "initech/report-export": "placeholder-initech-report-export",
      "umbrella/analytics": "placeholder-globex-billing-sync",
    });
    const result = m2m(["verify", "--stack", "dev", "--claims", claimsFile(dir), "--outputs", outputs]);
    expect(result.stderr).toBe(
      `m2m: --outputs ${outputs} gives one client id to more than one workload (placeholder-globex-billing-sync: globex/billing-sync, umbrella/analytics); Auth0 gives every application its own, so the file was edited or mixes stacks; write it with: pulumi stack output --json --stack dev > ${outputs}\n`,
    );
    expect(result.status).toBe(2);
  });

  it("GIVEN prod's outputs WHEN a dev claim set is verified with them THEN it exits 2 naming both issuers, and how to write dev's", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-verify-outputs-"));
    const outputs = outputsFile(dir, "https://acme-prod.eu.auth0.com/", {
      "globex/billing-sync": "placeholder-globex-billing-sync",
    });
    const result = m2m(["verify", "--stack", "dev", "--claims", claimsFile(dir), "--outputs", outputs]);
    expect(result.stderr).toBe(
      `m2m: --outputs ${outputs} is the outputs of a stack whose issuer is https://acme-prod.eu.auth0.com/, but stack dev's issuer is https://acme-dev.eu.auth0.com/: its client ids are not this stack's; write it with: pulumi stack output --json --stack dev > ${outputs}\n`,
    );
    expect(result.status).toBe(2);
  });

  it("GIVEN dev's outputs with its issuer WHEN a claim set is verified THEN its own role lets it in and it exits 0; without an issuer the output says it was not compared", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-verify-outputs-"));
    const ids = Object.fromEntries(
      ["globex/billing-sync", "initech/order-api", "initech/report-export", "umbrella/analytics"].map(
        (key) => [key, `placeholder-${key.replace("/", "-")}`],
      ),
    );
    const claims = claimsFile(dir);
    const matching = m2m([
      "verify",
      "--stack",
      "dev",
      "--claims",
      claims,
      "--outputs",
      outputsFile(dir, "https://acme-dev.eu.auth0.com/", ids),
    ]);
    expect(matching.stdout).toMatch(/globex\/billing-sync +role .*\n {4}allowed/);
    expect(matching.status).toBe(0);
    const outputs = outputsFile(dir, undefined, ids);
    const unnamed = m2m(["verify", "--stack", "dev", "--claims", claims, "--outputs", outputs]);
    expect(unnamed.stdout).toContain(
      `--outputs ${outputs} names no issuer: whether it is stack dev's outputs could not be checked`,
    );
    expect(unnamed.status).toBe(0);
  });

  it("GIVEN a JWKS URL nothing listens on WHEN a token is verified THEN it exits 2: it cannot fetch the issuer's keys, not a bad signature", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT({ sub: "placeholder-globex-billing-sync@clients", aud: AWS_API })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/.well-known/jwks.json`;
    await new Promise((resolve) => gone.close(resolve));
    const result = m2m(["verify", "--stack", "dev", "--token", token, "--jwks", url]);
    expect(result.stderr).toMatch(
      new RegExp(`^m2m: cannot fetch the issuer's keys from ${url.replaceAll(".", "\\.")}: ECONNREFUSED`),
    );
    expect(result.stderr).not.toMatch(/signature/);
    expect(result.status).toBe(2);
  });

  it("GIVEN --claims pointing at a token file by mistake WHEN verified THEN it exits 2 naming the file, line and column and what was expected, and prints none of the file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-verify-wrong-file-"));
    const file = path.join(dir, "token.txt");
    const secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzM2NyM3QifQ.c2lnbmF0dXJl";
    writeFileSync(file, `${secret}\n`);
    const result = m2m(["verify", "--stack", "dev", "--claims", file]);
    expect(result.stderr).toBe(
      `m2m: --claims ${file} is not JSON: line 1, column 1: expected a JSON value (an object, array, string, number, true, false or null); it looks like a JWT: give a token with --token\n`,
    );
    for (const part of secret.split("."))
      expect(result.stderr + result.stdout).not.toContain(part.slice(0, 6));
    expect(result.status).toBe(2);
  });

  it("GIVEN --outputs pointing at a secrets file WHEN verified THEN it exits 2 without printing any of it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-verify-wrong-file-"));
    const outputs = path.join(dir, "client-secrets");
    writeFileSync(outputs, "globex/billing-sync=s3cr3t-Zq9x\n");
    const result = m2m(["verify", "--stack", "dev", "--claims", claimsFile(dir), "--outputs", outputs]);
    expect(result.stderr).toBe(
      `m2m: --outputs ${outputs} is not JSON: line 1, column 1: expected a JSON value (an object, array, string, number, true, false or null); write it with: pulumi stack output --json --stack dev > ${outputs}\n`,
    );
    expect(result.stderr).not.toContain("s3cr3t");
    expect(result.status).toBe(2);
  });
});
