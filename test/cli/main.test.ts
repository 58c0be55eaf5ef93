import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { localFixtureEnvironment, projectWithStack } from "../fixtures/local-project.ts";

const MAIN = path.resolve("src/cli/main.ts");
// The project's tsx, whatever folder the command runs in.
const TSX = import.meta.resolve("tsx");
const m2m = (args: string[], cwd = process.cwd()) =>
  spawnSync(process.execPath, ["--import", TSX, MAIN, ...args], { cwd, encoding: "utf8", timeout: 30_000 });

/** Starts `m2m up --local`, returns its output once it serves, then stops it. */
function upUntilServing(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, MAIN, "up", "--local", "--port", "0", ...args], {
      cwd,
    });
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
  it("GIVEN no command WHEN run THEN it exits 1 with the usage", () => {
    const result = m2m([]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^m2m: no command given\n\nusage: m2m up --local --stack <name>/);
  });

  it("GIVEN up without --local WHEN run THEN it points at pulumi up", () => {
    expect(m2m(["up", "--stack", "dev"]).stderr).toMatch(
      /needs --local here; deploy for real with: pulumi up --stack <name>/,
    );
  });

  it("GIVEN an unknown option or a bad port WHEN run THEN it says which", () => {
    expect(m2m(["up", "--local", "--stack", "dev", "--colour"]).stderr).toMatch(/Unknown option '--colour'/);
    expect(m2m(["up", "--local", "--stack", "dev", "--port", "http"]).stderr).toMatch(
      /--port must be 0 to 65535, not http/,
    );
  });

  it("GIVEN a stack with no file WHEN run THEN it names the file and how to create it", () => {
    expect(m2m(["up", "--local", "--stack", "qa"]).stderr).toMatch(
      /no stack file .*Pulumi\.qa\.yaml: create it with "pulumi stack init qa"/,
    );
  });

  it("GIVEN an invalid stack WHEN run THEN it prints the problems, never a stack trace", () => {
    const environment = localFixtureEnvironment();
    environment.claimNamespace = "http://claims.acme.example/";
    const result = m2m(["up", "--local", "--stack", "local"], projectWithStack("local", environment));
    expect(result.status).toBe(1);
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
});
