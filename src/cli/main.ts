/**
 * The `m2m` command (bin/m2m.js): `m2m --help` lists the commands (commands.ts). Bad usage,
 * invalid stacks and every other failure end with a message that says what to fix, never a
 * stack trace, and exit 2 (exit-codes.ts).
 */
import { NoLocalEnvironmentError } from "../issuer/server-discovery.ts";
import { EnvironmentError } from "../model/environment/errors.ts";
import { runM2m, UsageError, usageMessage } from "./commands.ts";
import { EXIT } from "./exit-codes.ts";

function messageOf(error: unknown): string {
  if (error instanceof UsageError) return usageMessage(error);
  if (error instanceof EnvironmentError) return error.message;
  if (error instanceof NoLocalEnvironmentError)
    return `m2m: ${error.message}\nstart it with: m2m up --local --stack ${error.stackName} (and the same --state-dir, if any)`;
  if ((error as { code?: string }).code === "EADDRINUSE")
    return "m2m: the port is in use: choose another with --port, or stop what listens there";
  return `m2m: ${error instanceof Error ? error.message : String(error)}`;
}

runM2m(process.argv.slice(2), { projectDir: process.cwd(), stdin: process.stdin }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(messageOf(error));
    process.exitCode = EXIT.error;
  },
);
