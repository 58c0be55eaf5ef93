import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startLocalEnvironment } from "../../src/issuer/local-environment.ts";
import { findLocalServer } from "../../src/issuer/server-discovery.ts";
import { startFixture } from "../fixtures/local-project.ts";

// The whole message, exactly: commands print it as it is.
const NOT_RUNNING = /^no local environment running for stack local$/;

/** A state folder holding `record` as its server.json. */
function stateWithServerFile(record: unknown): string {
  const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-state-"));
  writeFileSync(path.join(stateDir, "server.json"), JSON.stringify(record));
  return stateDir;
}

/** A port nothing listens on: one the system handed out, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("finding the local environment through server.json", () => {
  it("GIVEN no server.json WHEN a command looks for the environment THEN it is told none runs", async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-state-"));
    await expect(findLocalServer("/nowhere", "local", stateDir)).rejects.toThrow(NOT_RUNNING);
  });

  it("GIVEN the project's default state folder WHEN nothing was ever served THEN it is told none runs", async () => {
    const projectDir = mkdtempSync(path.join(tmpdir(), "m2m-project-"));
    await expect(findLocalServer(projectDir, "local")).rejects.toThrow(NOT_RUNNING);
  });

  it("GIVEN a server.json whose process has died WHEN read THEN it is stale: none runs", async () => {
    // A process that has exited: its pid names nothing any more. The issuer it names does serve,
    // so only the dead pid makes the record stale.
    const { pid } = spawnSync(process.execPath, ["-e", ""]);
    const local = await startFixture();
    try {
      const port = Number(new URL(local.issuer).port);
      const stateDir = stateWithServerFile({ issuer: local.issuer, port, pid });
      await expect(findLocalServer("/nowhere", "local", stateDir)).rejects.toThrow(NOT_RUNNING);
    } finally {
      await local.close();
    }
  });

  it("GIVEN a server.json whose process lives but nothing serves its issuer WHEN read THEN it is stale", async () => {
    const port = await closedPort();
    const stateDir = stateWithServerFile({ issuer: `http://127.0.0.1:${port}/`, port, pid: process.pid });
    await expect(findLocalServer("/nowhere", "local", stateDir)).rejects.toThrow(NOT_RUNNING);
  });

  it("GIVEN a server.json that is not one up --local wrote WHEN read THEN none runs", async () => {
    for (const record of ["{", { issuer: "http://example.com/", port: 80, pid: process.pid }, { pid: 0 }]) {
      const stateDir = mkdtempSync(path.join(tmpdir(), "m2m-state-"));
      writeFileSync(
        path.join(stateDir, "server.json"),
        typeof record === "string" ? record : JSON.stringify(record),
      );
      await expect(findLocalServer("/nowhere", "local", stateDir)).rejects.toThrow(NOT_RUNNING);
    }
  });

  it("GIVEN an environment serving HTTPS WHEN found THEN it names its issuer, port and certificate; once closed, none runs", async () => {
    const local = await startFixture({ https: true });
    const serverFile = path.join(local.stateDir, "server.json");
    try {
      expect(statSync(serverFile).mode & 0o777).toBe(0o600);
      const found = await findLocalServer(local.projectDir, "local");
      expect(found).toEqual({
        issuer: local.issuer,
        port: Number(new URL(local.issuer).port),
        pid: process.pid,
        certificatePath: local.certificatePath,
        stack: "local",
        stateDir: local.stateDir,
      });
    } finally {
      await local.close();
    }
    expect(existsSync(serverFile)).toBe(false);
    await expect(findLocalServer(local.projectDir, "local")).rejects.toThrow(NOT_RUNNING);
  });

  it("GIVEN a second environment on the same state folder WHEN the first closes THEN the second stays found", async () => {
    const first = await startFixture();
    const second = await startLocalEnvironment({
      projectDir: first.projectDir,
      stack: "local",
      port: 0,
      stateDir: first.stateDir,
    });
    try {
      await first.close();
      await expect(findLocalServer(first.projectDir, "local")).resolves.toMatchObject({
        issuer: second.issuer,
      });
    } finally {
      await second.close();
    }
    await expect(findLocalServer(first.projectDir, "local")).rejects.toThrow(NOT_RUNNING);
  });

  it("GIVEN the environment of stack local running WHEN a command asks for stack prod with its state folder THEN it is refused, naming both stacks and how to fix it", async () => {
    const local = await startFixture();
    try {
      const asked = findLocalServer(local.projectDir, "prod", local.stateDir);
      await expect(asked).rejects.toThrow(
        `the local environment in ${local.stateDir} serves stack local, not prod: start prod's with m2m up --local --stack prod (in a state folder of its own: the default, or another --state-dir), or pass --stack local to use the one running`,
      );
      await expect(asked).rejects.toMatchObject({ served: "local", stackName: "prod" });
    } finally {
      await local.close();
    }
  });

  it("GIVEN a live server.json from an older m2m that did not record its stack WHEN read THEN it is refused, not guessed: the message says so and to restart it", async () => {
    const local = await startFixture();
    try {
      // What up --local wrote before server.json named its stack.
      const port = Number(new URL(local.issuer).port);
      writeFileSync(
        path.join(local.stateDir, "server.json"),
        JSON.stringify({ issuer: local.issuer, port, pid: process.pid }),
      );
      await expect(findLocalServer(local.projectDir, "local")).rejects.toThrow(
        `the local environment in ${local.stateDir} was started by an older m2m, whose server.json does not say which stack it serves, so it cannot be taken for stack local: stop it and start it again with m2m up --local --stack local (and the same --state-dir, if any)`,
      );
    } finally {
      await local.close();
    }
  });
});
