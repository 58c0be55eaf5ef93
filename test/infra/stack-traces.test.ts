import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it, vi } from "vitest";
import program from "../../infra/index.ts";
import { NO_TRACE_HINT, registerWithoutStackTraces } from "../../infra/stack-traces.ts";
import { validEnvironment } from "../fixtures/environment.ts";
import { settled, stackConfig } from "../support/mocked-stack.ts";

/**
 * Mocks that note `Error.stackTraceLimit` as each resource reaches them: registration is
 * asynchronous, so this is the limit the SDK's promises were made under, not only the
 * constructors'.
 */
async function mocksNotingTheLimit(): Promise<number[]> {
  const limits: number[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        limits.push(Error.stackTraceLimit);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "m2m",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig(stackConfig(validEnvironment()), ["m2m:auth0ClientSecret"]);
  return limits;
}

const hasFrames = (error: unknown) => error instanceof Error && /\n {4}at /.test(error.stack ?? "");

describe("stack traces while the program registers", () => {
  const limit = Error.stackTraceLimit;
  afterEach(() => {
    vi.unstubAllEnvs();
    Error.stackTraceLimit = limit;
  });

  it("GIVEN the SDK WHEN its runtime is read THEN it still exports the RPC queue wait the program waits on", () => {
    expect(typeof (pulumi.runtime as unknown as { waitForRPCs: unknown }).waitForRPCs).toBe("function");
  });

  it("GIVEN a stack WHEN the program runs THEN every resource registers with traces off, they stay off while the SDK walks the returned stack outputs, and the limit is back on the next turn of the event loop", async () => {
    vi.stubEnv("PULUMI_DEBUG_PROMISE_LEAKS", "");
    const limits = await mocksNotingTheLimit();
    await program();
    expect(Error.stackTraceLimit).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(Error.stackTraceLimit).toBe(limit);
    await settled();
    expect(limits.length).toBeGreaterThan(10);
    expect(new Set(limits)).toEqual(new Set([0]));
  });

  it("GIVEN a caller that turns traces off around the program and back on once it returns, as m2m plan does WHEN the event loop turns THEN the limit stays as the caller put it back", async () => {
    vi.stubEnv("PULUMI_DEBUG_PROMISE_LEAKS", "");
    await mocksNotingTheLimit();
    Error.stackTraceLimit = 0;
    await program();
    Error.stackTraceLimit = limit;
    await new Promise((resolve) => setImmediate(resolve));
    expect(Error.stackTraceLimit).toBe(limit);
    await settled();
  });

  it("GIVEN PULUMI_DEBUG_PROMISE_LEAKS is set WHEN the program runs THEN every resource registers with the limit as it was", async () => {
    vi.stubEnv("PULUMI_DEBUG_PROMISE_LEAKS", "1");
    const limits = await mocksNotingTheLimit();
    await program();
    await settled();
    expect(limit).toBeGreaterThan(0);
    expect(new Set(limits)).toEqual(new Set([limit]));
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it("GIVEN registration throws WHEN traces are off THEN the error says how to get its stack, and the limit is restored", async () => {
    const failure = registerWithoutStackTraces(() => {
      throw new Error("wiring mistake");
    }, {});
    await expect(failure).rejects.toThrow(/wiring mistake/);
    const error = await failure.catch((e: unknown) => e);
    expect(hasFrames(error)).toBe(false);
    expect((error as Error).stack).toContain(NO_TRACE_HINT);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(hasFrames(new Error("after registration"))).toBe(true);
  });

  it("GIVEN PULUMI_DEBUG_PROMISE_LEAKS is set WHEN registration throws THEN the error keeps its stack", async () => {
    const error = await registerWithoutStackTraces(
      () => {
        throw new Error("wiring mistake");
      },
      { PULUMI_DEBUG_PROMISE_LEAKS: "1" },
    ).catch((e: unknown) => e);
    expect(hasFrames(error)).toBe(true);
    expect((error as Error).stack).not.toContain(NO_TRACE_HINT);
  });
});
