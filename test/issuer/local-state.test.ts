import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startLocalEnvironment } from "../../src/issuer/local-environment.ts";
import { localFixtureEnvironment, projectWithStack } from "../fixtures/local-project.ts";

const mode = (file: string) => statSync(file).mode & 0o777;

describe("the local tenant's state", () => {
  it("GIVEN a first run WHEN the stack is served THEN ids, secrets and the key are saved 0600, and every workload is added", async () => {
    const projectDir = projectWithStack("local", localFixtureEnvironment());
    const local = await startLocalEnvironment({ projectDir, stack: "local", port: 0 });
    await local.close();
    expect(local.changes).toEqual({
      added: ["globex/billing", "initech/exporter", "initech/analytics"],
      updated: [],
      removed: [],
      unchanged: [],
    });
    const dir = path.join(projectDir, ".m2m", "local");
    expect(readdirSync(dir).sort()).toEqual(["client-secrets", "state.json"]);
    expect(mode(path.join(dir, "state.json"))).toBe(0o600);
    expect(mode(path.join(dir, "client-secrets"))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    const secrets = readFileSync(path.join(dir, "client-secrets"), "utf8");
    expect(secrets).toMatch(
      /^globex\/billing=[\w-]{64}\ninitech\/exporter=[\w-]{64}\nmanagement-api=[\w-]{64}\n$/,
    );
  });

  it("GIVEN a restart WHEN served again THEN client ids, secrets and the signing key are the same", async () => {
    const projectDir = projectWithStack("local", localFixtureEnvironment());
    const first = await startLocalEnvironment({ projectDir, stack: "local", port: 0 });
    await first.close();
    const second = await startLocalEnvironment({ projectDir, stack: "local", port: 0 });
    await second.close();
    const ids = (l: typeof first) =>
      [...l.tenant.clients.values()].map((c) => [c.key, c.clientId, c.clientSecret]);
    expect(ids(second)).toEqual(ids(first));
    expect(second.tenant.signingKey.kid).toBe(first.tenant.signingKey.kid);
    expect(second.changes.unchanged).toHaveLength(3);
  });

  it("GIVEN the stack changed WHEN served again THEN it adds, updates and removes applications as an update would", async () => {
    const environment = localFixtureEnvironment();
    const projectDir = projectWithStack("local", environment);
    const first = await startLocalEnvironment({ projectDir, stack: "local", port: 0 });
    await first.close();
    environment.tenants[0] = {
      id: "umbrella",
      workloads: [{ name: "reporting", grants: [{ api: "orders", scopes: ["orders:read"] }] }],
    } as never;
    const exporter = environment.tenants[1]?.workloads[0] as { grants: { api: string }[] } | undefined;
    exporter?.grants.pop();
    writeFileSync(
      path.join(projectDir, "Pulumi.local.yaml"),
      stringify({ config: { "m2m:environment": environment } }),
    );
    const second = await startLocalEnvironment({ projectDir, stack: "local", port: 0 });
    await second.close();
    expect(second.changes).toEqual({
      added: ["umbrella/reporting"],
      updated: ["initech/exporter"],
      removed: ["globex/billing"],
      unchanged: ["initech/analytics"],
    });
    expect(readFileSync(second.clientSecretsFile, "utf8")).not.toMatch(/globex\/billing/);
  });

  it("GIVEN a state file that is not JSON WHEN started THEN the error says to delete it, quoting none of its secrets", async () => {
    const projectDir = projectWithStack("local", localFixtureEnvironment());
    const first = await startLocalEnvironment({ projectDir, stack: "local", port: 0 });
    await first.close();
    const file = path.join(projectDir, ".m2m", "local", "state.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("{", "{SUPERSECRET"));
    const failure = await startLocalEnvironment({ projectDir, stack: "local", port: 0 }).catch(
      (e: Error) => e,
    );
    expect((failure as Error).message).toMatch(
      /state\.json is not a state file this tool wrote; delete .* to start over/,
    );
    expect((failure as Error).message).not.toContain("SUPERSECRET");
  });

  it("GIVEN an invalid stack WHEN started THEN it fails with the model's errors and writes nothing", async () => {
    const environment = localFixtureEnvironment();
    environment.claimNamespace = "https://claims.auth0.com/";
    const projectDir = projectWithStack("local", environment);
    await expect(startLocalEnvironment({ projectDir, stack: "local", port: 0 })).rejects.toThrow(
      /claimNamespace: .*auth0\.com/,
    );
    expect(readdirSync(projectDir)).toEqual(["Pulumi.local.yaml"]);
  });
});
