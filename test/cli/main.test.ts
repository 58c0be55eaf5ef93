import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findLocalServer } from "../../src/issuer/server-discovery.ts";
import { localFixtureEnvironment, projectWithStack } from "../fixtures/local-project.ts";

// The installed entry point, as users run it, whatever folder the command runs in.
const BIN = path.resolve("bin/m2m.js");
const m2m = (args: string[], cwd = process.cwd(), input = "") =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: "utf8", timeout: 30_000 });

/** Starts `m2m up --local`, returns its output once it serves, then stops it. */
function upUntilServing(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "up", "--local", "--port", "0", ...args], { cwd });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("Try it:")) child.kill("SIGINT");
    });
    child.stderr.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", () => resolve(out));
    child.on("error", reject);
  });
}

describe("the m2m command", () => {
  it("GIVEN no command WHEN run THEN it exits 2 with the list of commands", () => {
    const result = m2m([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^m2m: no command given\n\nusage: m2m <command> \[flags\]\n\nCommands:\n {2}up /,
    );
  });

  it("GIVEN --help WHEN run THEN it lists every command in one line each, and the exit codes", () => {
    const result = m2m(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /\nCommands:\n {2}up +serve a stack's environment locally[^\n]*\n {2}verify +which AWS, GCP and Azure targets[^\n]*\n(?: {2}\S[^\n]*\n)*\n/,
    );
    expect(result.stdout).toMatch(/\n {2}token +a workload's Auth0 token: raw, JSON, GCP executable source/);
    expect(result.stdout).toMatch(
      /\nExit codes:\n {2}0 ok\n {2}1 .*\n {2}2 usage, input or internal error\n {2}3 isolation breach.*\n {2}4 /,
    );
  });

  it("GIVEN verify --help WHEN run THEN it prints verify's usage and every flag, not up's", () => {
    const result = m2m(["verify", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^usage: m2m verify --stack <env> \(--token <JWT \| -> \| --claims <file>\) \[--local \[--state-dir DIR\]\] \[--outputs FILE\] \[--jwks <file\|url>\] \[--json\]\n/,
    );
    for (const flag of [
      "--stack <env>",
      "--token <JWT | ->",
      "--claims <file>",
      "--local",
      "--state-dir DIR",
      "--outputs FILE",
      "--jwks <file|url>",
      "--json",
      "-h, --help",
    ])
      expect(result.stdout).toMatch(new RegExp(`\\n {2}${flag.replace(/[|()]/g, "\\$&")} +\\S`));
    expect(result.stdout).not.toContain("--port");
  });

  it("GIVEN up --help WHEN run THEN it prints up's usage and flags", () => {
    const result = m2m(["up", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: m2m up --local --stack <name> \[--port 4321\]/);
    expect(result.stdout).toMatch(/\n {2}--port <port> +port on 127\.0\.0\.1; 0 picks a free one\n/);
    expect(result.stdout).not.toContain("--token");
  });

  it("GIVEN an unknown command, even with --help, WHEN run THEN it exits 2 naming it", () => {
    const result = m2m(["deploy", "--help"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^m2m: unknown command "deploy"\n/);
    expect(result.stdout).toBe("");
  });

  it("GIVEN an unknown flag WHEN run THEN it exits 2 naming the flag and the command's usage", () => {
    const up = m2m(["up", "--local", "--stack", "dev", "--colour"]);
    expect(up.status).toBe(2);
    expect(up.stderr).toMatch(/^m2m up: unknown flag --colour\n\nusage: m2m up --local/);
    const verify = m2m(["verify", "--stack", "dev", "--claims", "c.json", "--port", "4321"]);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toMatch(/^m2m verify: unknown flag --port\n\nusage: m2m verify --stack <env>/);
  });

  it("GIVEN up without --local WHEN run THEN it exits 2 and points at pulumi up", () => {
    const result = m2m(["up", "--stack", "dev"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/needs --local here; deploy for real with: pulumi up --stack <name>/);
  });

  it("GIVEN a bad port WHEN run THEN it exits 2 saying which", () => {
    const result = m2m(["up", "--local", "--stack", "dev", "--port", "http"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--port must be 0 to 65535, not http/);
  });

  it("GIVEN verify with neither or both of --token and --claims, or --state-dir without --local, or --outputs or --jwks with it WHEN run THEN it exits 2", () => {
    for (const args of [
      ["verify", "--stack", "dev"],
      ["verify", "--stack", "dev", "--token", "a.b.c", "--claims", "c.json"],
    ]) {
      const result = m2m(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /^m2m verify: give exactly one of --token <JWT \| -> and --claims <file>\n/,
      );
    }
    const stateDir = m2m(["verify", "--stack", "dev", "--claims", "c.json", "--state-dir", "x"]);
    expect(stateDir.status).toBe(2);
    expect(stateDir.stderr).toMatch(/^m2m verify: --state-dir goes with --local/);
    for (const [flag, what] of [
      ["--outputs", "client ids"],
      ["--jwks", "signing keys"],
    ]) {
      const withLocal = m2m([
        "verify",
        "--stack",
        "dev",
        "--local",
        "--claims",
        "c.json",
        flag as string,
        "f",
      ]);
      expect(withLocal.status).toBe(2);
      expect(withLocal.stderr).toMatch(
        new RegExp(
          `^m2m verify: ${flag} does not go with --local: the local environment's own ${what} are used`,
        ),
      );
    }
  });

  it("GIVEN verify --token - and nothing on standard input WHEN run THEN it exits 2 saying so", () => {
    const result = m2m(["verify", "--stack", "dev", "--token", "-"], process.cwd(), "\n");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^m2m verify: --token -: standard input was empty\n/);
  });

  it("GIVEN verify --local and no local environment running WHEN run THEN it exits 2 saying so", () => {
    const projectDir = projectWithStack("local", localFixtureEnvironment());
    const result = m2m(["verify", "--stack", "local", "--local", "--claims", "c.json"], projectDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^m2m: no local environment running for stack local\nstart it with: m2m up --local --stack local/,
    );
  });

  it("GIVEN a stack with no file WHEN run THEN it exits 2 naming the file and how to create it", () => {
    const result = m2m(["up", "--local", "--stack", "qa"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no stack file .*Pulumi\.qa\.yaml: create it with "pulumi stack init qa"/);
  });

  it("GIVEN an invalid stack WHEN run THEN it prints the problems, never a stack trace", () => {
    const environment = localFixtureEnvironment();
    environment.claimNamespace = "http://claims.acme.example/";
    const result = m2m(["up", "--local", "--stack", "local"], projectWithStack("local", environment));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^The environment of stack "local" .* 1 problem; nothing was created or changed:\n {2}- claimNamespace: /,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("GIVEN a valid stack WHEN served THEN it prints issuer, client ids and a curl line, but no secret", async () => {
    const projectDir = projectWithStack("local", localFixtureEnvironment());
    const out = await upUntilServing(["--stack", "local"], projectDir);
    expect(out).toMatch(/issuer {10}http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(
      /globex\/billing +client_id [A-Za-z0-9]{32} {2}client_secret_post, secret in the secrets file/,
    );
    expect(out).toMatch(
      /--data-urlencode client_secret="\$\(grep '\^globex\/billing=' .*client-secrets \| cut -d= -f2-\)"/,
    );
    const secrets = (await import("node:fs")).readFileSync(
      path.join(projectDir, ".m2m/local/client-secrets"),
      "utf8",
    );
    for (const line of secrets.trim().split("\n")) expect(out).not.toContain(line.split("=")[1]);
  });

  it("GIVEN --show-secrets WHEN served THEN the secrets are printed", async () => {
    const projectDir = projectWithStack("local", localFixtureEnvironment());
    const out = await upUntilServing(["--stack", "local", "--show-secrets"], projectDir);
    expect(out).toMatch(/globex\/billing +client_id \w{32} {2}client_secret_post, secret [\w-]{64}/);
  });

  it("GIVEN up --local WHEN it serves THEN server.json (0600) names it, and after SIGTERM it is gone", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-state-"));
    const serverFile = path.join(stateDir, "server.json");
    const child = spawn(process.execPath, [
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
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // The startup report is printed after server.json is written: once it is out, the file is there.
    const out = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout.on("data", (chunk) => {
        text += chunk;
        if (text.includes("Client secrets (0600):")) resolve(text);
      });
      child.stderr.on("data", (chunk) => {
        text += chunk;
      });
      child.on("exit", () => reject(new Error(`m2m up stopped before serving:\n${text}`)));
    });
    try {
      const issuer = /issuer {10}(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      expect(statSync(serverFile).mode & 0o777).toBe(0o600);
      const recorded = JSON.parse(readFileSync(serverFile, "utf8"));
      expect(recorded).toEqual({
        stack: "dev",
        issuer,
        port: Number(new URL(issuer ?? "").port),
        pid: child.pid,
      });
      await expect(findLocalServer(process.cwd(), "dev", stateDir)).resolves.toEqual({
        ...recorded,
        stateDir,
      });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(existsSync(serverFile)).toBe(false);
    await expect(findLocalServer(process.cwd(), "dev", stateDir)).rejects.toThrow(
      /^no local environment running for stack dev$/,
    );
  });
});
