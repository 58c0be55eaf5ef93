import { spawn } from "node:child_process";
import path from "node:path";
import type { ManagementClient } from "auth0";
import { vi } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { connect } from "../../src/management/connection.ts";
import { localFixtureEnvironment, startFixture } from "../fixtures/local-project.ts";

/** A running fixture environment (stack "local") and a ManagementClient on it, as a user's script would have. */
export interface LocalTenantFixture {
  readonly local: LocalEnvironment & { projectDir: string };
  readonly management: ManagementClient;
}

/** Starts the fixture's local environment and connects auth0's ManagementClient to it. */
export async function startManagedFixture(
  environment: unknown = localFixtureEnvironment(),
): Promise<LocalTenantFixture> {
  const local = await startFixture({ environment });
  // Tests change the tenant quickly: a roomy bucket keeps them from waiting on the plan's rate.
  local.tenant.management.limiter.limit = { burst: 1_000, perSecond: 1_000 };
  const connection = await connect({
    projectDir: local.projectDir,
    stack: "local",
    raw: environment,
    local: true,
    environment: {},
  });
  return { local, management: connection.client };
}

/** Runs `fn` with console.log captured; returns its result and what it printed. */
export async function captured<T>(fn: () => Promise<T>): Promise<{ result: T; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  });
  try {
    return { result: await fn(), out: lines.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

const BIN = path.resolve("bin/m2m.js");

/**
 * `m2m <args>` in `cwd`, as a user runs it; the environment is `env` alone (plus PATH). Not
 * spawnSync: the local environment serving it runs in this process and must keep answering.
 */
export function m2m(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
