// One timer serves every execution of a runtime (src/runtime/deadline.ts): each execution must
// still fail at its own deadline, not at the oldest one's, and only when it overruns.

import { describe, expect, it } from "vitest";
import { CredentialsExchangeRuntime, loadAction } from "../../src/runtime/index.ts";

const LIMIT_MS = 1_000;

/** Gates the test opens to let a waiting Action finish. */
const gates = new Map<string, () => void>();
(globalThis as Record<string, unknown>).__gate = (name: string) =>
  new Promise<void>((resolve) => gates.set(name, resolve));

const waiting = loadAction({
  name: "waiting",
  code: `exports.onExecuteCredentialsExchange = async (event, api) => {
    await globalThis.__gate(event.client.client_id);
    api.accessToken.setCustomClaim("https://t/done", event.client.client_id);
  };`,
});

const run = (runtime: CredentialsExchangeRuntime, clientId: string) =>
  runtime.execute([waiting], { event: { client: { client_id: clientId } } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("GIVEN executions of one runtime started at different times", () => {
  it("WHEN the oldest overruns its limit THEN only it fails; a later one finishing within its own limit is issued, and a later one overrunning fails at its own deadline", async () => {
    const runtime = new CredentialsExchangeRuntime({ executionLimitMs: LIMIT_MS });
    const oldest = run(runtime, "oldest");
    await sleep(LIMIT_MS / 2);
    const finishes = run(runtime, "finishes");
    const overruns = run(runtime, "overruns");

    const first = await oldest;
    expect(first).toMatchObject({ outcome: "failed", failure: { action: "waiting" } });
    expect(first.diagnostics.map((d) => d.rule)).toEqual(["execution-limit"]);
    // The oldest's deadline has passed, the others' have not (they started LIMIT_MS / 2 later).
    gates.get("finishes")?.();
    expect(await finishes).toMatchObject({ outcome: "issued", claims: { "https://t/done": "finishes" } });
    const last = await overruns;
    expect(last.outcome).toBe("failed");
    expect(last.diagnostics.map((d) => d.rule)).toEqual(["execution-limit"]);

    // The timer re-arms for an execution started after the queue emptied.
    const later = run(runtime, "later");
    gates.get("later")?.();
    expect((await later).outcome).toBe("issued");
    gates.get("oldest")?.();
    gates.get("overruns")?.();
  });
});
