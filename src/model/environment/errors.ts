/** One violation of the environment model: where it is, and what is wrong and how to fix it. */
export interface EnvironmentIssue {
  /** Path inside the environment value, e.g. `tenants[2].workloads[0].grants`. */
  readonly path: string;
  /** What is wrong, and the fix. */
  readonly message: string;
}

/**
 * The environment of a stack is invalid. Carries every violation found, so a user fixes them
 * in one pass; the message lists them all, one per line, and never includes a stack trace's
 * worth of internals.
 */
export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";

  constructor(
    /** The stack whose environment was read. */
    readonly stackName: string,
    /** Every violation found. */
    readonly issues: readonly EnvironmentIssue[],
  ) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(
      `The environment of stack "${stackName}" (config key m2m:environment) has ${count}; nothing was created or changed:\n${issues
        .map((i) => `  - ${i.path || "(root)"}: ${i.message}`)
        .join("\n")}`,
    );
  }
}

/** `["tenants", 2, "workloads", 0]` -> `tenants[2].workloads[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}
