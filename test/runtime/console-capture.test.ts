// Each execution's console lines reach its own log, however executions interleave, while the
// log's async context is tracked only when some handler runs (action-module.ts, runWithLog).

import { describe, expect, it } from "vitest";
import { CredentialsExchangeRuntime, loadAction } from "../../src/runtime/index.ts";

const chatty = loadAction({
  name: "chatty",
  code: `exports.onExecuteCredentialsExchange = async (event) => {
    const id = event.client.client_id;
    console.log("start " + id);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    console.log("middle " + id);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.resolve();
    console.log("end " + id);
  };`,
});

const quiet = loadAction({
  name: "quiet",
  code: "exports.onExecuteCredentialsExchange = async () => {};",
});

describe("GIVEN Actions that log across awaits", () => {
  it("WHEN many executions interleave, some with a quiet Action only THEN each log holds exactly its own lines", async () => {
    const runtime = new CredentialsExchangeRuntime();
    const ids = Array.from({ length: 40 }, (_, i) => `client-${i}`);
    const results = await Promise.all(
      ids.map((id, i) =>
        runtime.execute(i % 3 === 0 ? [quiet] : [chatty, quiet], { event: { client: { client_id: id } } }),
      ),
    );
    results.forEach((result, i) => {
      const id = ids[i];
      const chattyLog = result.logs.find((l) => l.action === "chatty");
      if (i % 3 === 0) expect(chattyLog).toBeUndefined();
      else expect(chattyLog?.output).toBe(`start ${id}\nmiddle ${id}\nend ${id}`);
      expect(result.logs.find((l) => l.action === "quiet")?.output).toBe("");
    });
  });

  it("WHEN an execution comes after every earlier one has settled THEN its lines are captured again", async () => {
    const runtime = new CredentialsExchangeRuntime();
    const first = await runtime.execute([chatty], { event: { client: { client_id: "first" } } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await runtime.execute([chatty], { event: { client: { client_id: "second" } } });
    expect(first.logs[0]?.output).toBe("start first\nmiddle first\nend first");
    expect(second.logs[0]?.output).toBe("start second\nmiddle second\nend second");
  });
});

describe("GIVEN an Action loaded with a console of its own (LoadOptions.console)", () => {
  const streamed: string[] = [];
  const streaming = loadAction(
    {
      name: "streaming",
      code: `console.log("loaded");
      exports.onExecuteCredentialsExchange = async (event) => {
        console.info("start", event.client.client_id, { n: 1 });
        await new Promise((resolve) => setTimeout(resolve, 2));
        console.error("key " + event.secrets.API_KEY);
      };`,
      secrets: { API_KEY: "s3cr3t-value" },
    },
    { console: (line) => streamed.push(line) },
  );

  it("WHEN it loads and runs beside an Action that keeps its log THEN its lines reach that console as written, secrets redacted, and only the other Action has a log entry", async () => {
    const runtime = new CredentialsExchangeRuntime();
    const [a, b] = await Promise.all(
      ["client-a", "client-b"].map((id) =>
        runtime.execute([streaming, chatty], { event: { client: { client_id: id } } }),
      ),
    );
    expect(streamed[0]).toBe("loaded");
    expect(streamed.slice(1, 3).sort()).toEqual(['start client-a {"n":1}', 'start client-b {"n":1}']);
    expect(streamed.slice(3)).toEqual(["key [redacted secret]", "key [redacted secret]"]);
    expect(a?.executed).toEqual(["streaming", "chatty"]);
    expect(a?.logs.map((l) => l.action)).toEqual(["chatty"]);
    expect(a?.logs[0]?.output).toBe("start client-a\nmiddle client-a\nend client-a");
    expect(b?.logs[0]?.output).toBe("start client-b\nmiddle client-b\nend client-b");
  });
});
