/**
 * The `m2m` command. `m2m up --local --stack dev` serves the stack's embedded environment (what
 * `npm start` runs). Bad usage and invalid stacks end with a message that says what to fix,
 * never a stack trace.
 */
import { parseArgs } from "node:util";
import { EnvironmentError } from "../model/errors.ts";
import { upLocal } from "./up-local.ts";

const USAGE = `usage: m2m up --local --stack <name> [--port 4321] [--https] [--show-secrets] [--state-dir DIR]

  up --local   provision the stack into an embedded Auth0-compatible tenant and serve it on 127.0.0.1
               (real deployments run: pulumi up --stack <name>)`;

/** A mistake in how the command was called. */
class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      local: { type: "boolean", default: false },
      stack: { type: "string" },
      port: { type: "string", default: "4321" },
      https: { type: "boolean", default: false },
      "show-secrets": { type: "boolean", default: false },
      "state-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const [command] = positionals;
  if (command !== "up") throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  if (!values.local)
    throw new UsageError("m2m up needs --local here; deploy for real with: pulumi up --stack <name>");
  if (!values.stack)
    throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)");
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be 0 to 65535, not ${values.port}`);
  await upLocal({
    projectDir: process.cwd(),
    stack: values.stack,
    port,
    https: values.https,
    showSecrets: values["show-secrets"],
    ...(values["state-dir"] ? { stateDir: values["state-dir"] } : {}),
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof EnvironmentError) {
    console.error(error.message);
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`m2m: ${(error as Error).message}\n\n${USAGE}`);
  } else if ((error as { code?: string }).code === "EADDRINUSE") {
    console.error(`m2m: the port is in use: choose another with --port, or stop what listens there`);
  } else {
    console.error(`m2m: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
});
