import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { type LocalEnvironment, startLocalEnvironment } from "../../src/issuer/local-environment.ts";
import type { ServerLimits } from "../../src/issuer/server-limits.ts";
import { localFixtureEnvironment, projectWithStack } from "../fixtures/local-project.ts";

/** The fixture's local environment with some limits shortened, so that a test is quick. */
function startWith(limits: Partial<ServerLimits>): Promise<LocalEnvironment> {
  const projectDir = projectWithStack("local", localFixtureEnvironment());
  return startLocalEnvironment({ projectDir, stack: "local", port: 0, limits });
}

/** A raw TCP connection to the issuer, and everything it receives until it closes. */
async function rawConnection(local: LocalEnvironment) {
  const socket: Socket = connect(Number(new URL(local.issuer).port), "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    received += chunk;
  });
  // A connection the server drops may be reset, and writes after it fail: only `closed` matters.
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  await new Promise((resolve) => socket.once("connect", resolve));
  return { socket, closed, received: () => received };
}

const DISCOVERY = "GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n";

describe("the issuer's connection limits", () => {
  it("GIVEN a client that sends part of its headers and stalls WHEN the headers timeout passes THEN the server answers 408 and closes the connection", async () => {
    const local = await startWith({
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      timeoutCheckIntervalMs: 50,
    });
    try {
      const client = await rawConnection(local);
      client.socket.write("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
      expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await local.close();
    }
  });

  it("GIVEN a client that trickles its headers a byte at a time WHEN it never finishes them THEN the server answers 408 and closes the connection", async () => {
    const local = await startWith({
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      timeoutCheckIntervalMs: 50,
    });
    try {
      const client = await rawConnection(local);
      const header = `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${"z".repeat(100_000)}`;
      let sent = 0;
      const trickle = setInterval(() => client.socket.write(header.charAt(sent++)), 10);
      try {
        expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        clearInterval(trickle);
      }
    } finally {
      await local.close();
    }
  });

  it("GIVEN a client that sends its headers but stalls in the body WHEN the request timeout passes THEN the server answers 408 and closes the connection", async () => {
    const local = await startWith({
      headersTimeoutMs: 200,
      requestTimeoutMs: 300,
      timeoutCheckIntervalMs: 50,
    });
    try {
      const client = await rawConnection(local);
      client.socket.write(
        "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
      );
      expect(await client.closed).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await local.close();
    }
  });

  it("GIVEN the connection cap is reached WHEN one more client connects THEN it is closed unanswered, while the others are still served", async () => {
    const local = await startWith({ maxConnections: 2 });
    const held: Awaited<ReturnType<typeof rawConnection>>[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const client = await rawConnection(local);
        held.push(client);
        client.socket.write(`${DISCOVERY}\r\n`);
        await expect.poll(client.received, { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 /);
      }
      const surplus = await rawConnection(local);
      surplus.socket.write(`${DISCOVERY}Connection: close\r\n\r\n`);
      expect(await surplus.closed).toBe("");
      const [first] = held;
      first?.socket.write(`${DISCOVERY}Connection: close\r\n\r\n`);
      expect(await first?.closed).toMatch(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 200 /);
    } finally {
      for (const client of held) client.socket.destroy();
      await local.close();
    }
  });
});
