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
