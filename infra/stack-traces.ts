import * as pulumi from "@pulumi/pulumi";

/**
 * The SDK's wait for its queue of outstanding RPCs, the one `pulumi.runtime.disconnect` and the
 * CLI wait for before exiting. Exported by the SDK's runtime but left out of its typings, so it
 * is looked up here; @pulumi/pulumi is pinned to one version, and test/infra/stack-traces.test.ts
 * fails if it goes away.
 */
const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;

/** What an error thrown while traces were off says instead of its frames. */
export const NO_TRACE_HINT =
  "(no stack trace: traces are off while the program registers resources; run again with PULUMI_DEBUG_PROMISE_LEAKS=1 to keep them)";

/**
 * Runs `register` (which constructs the program's resources, tenant by tenant across turns of the
 * event loop: engine-turns.ts) with `Error.stackTraceLimit` at 0 until every registration it
 * started has reached the engine and the stack outputs it returns have been serialized, then puts
 * the limit back.
 *
 * Why: the SDK captures and formats a stack trace for every promise it makes
 * (`debuggablePromise`, several per declared property of every resource), only to print them if
 * promises leak; with tsx's source maps that was most of a 1,000-tenant run (82 s, 22 s without,
 * and 3.4 GB against 2.7). The SDK walks the returned stack outputs right after the program
 * returns, every Output in them already resolved, so in promise jobs before the event loop turns:
 * the limit comes back on the next turn (setImmediate), which spares that walk the same cost
 * (0.15 s of traces and 0.3 s of collection at 1,000 tenants). Errors thrown by `register` itself
 * come back with a hint instead of frames, and the limit is back before they do; errors after
 * that turn get their stacks as usual. With PULUMI_DEBUG_PROMISE_LEAKS set, the SDK's switch for
 * reporting leaked promises with their stacks, nothing changes.
 */
export async function registerWithoutStackTraces<T>(
  register: () => T | Promise<T>,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Promise<T> {
  if (environment.PULUMI_DEBUG_PROMISE_LEAKS || waitForRPCs === undefined) return register();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const registered = await register();
    await waitForRPCs();
    // Unless a caller has already put its own limit back (m2m plan keeps traces off around the
    // whole run and restores them when the program returns): that one stands.
    setImmediate(() => {
      if (Error.stackTraceLimit === 0) Error.stackTraceLimit = limit;
    });
    return registered;
  } catch (error) {
    Error.stackTraceLimit = limit;
    if (error instanceof Error && !error.stack?.includes("\n    at ")) {
      error.stack = `${error.stack ?? `${error.name}: ${error.message}`}\n    ${NO_TRACE_HINT}`;
    }
    throw error;
  }
}
