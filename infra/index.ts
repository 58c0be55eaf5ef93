/**
 * The Pulumi program (Pulumi.yaml `main`): reads the stack's environment, refuses an invalid one
 * before registering anything, and registers the environment (without stack traces while it
 * registers: see stack-traces.ts). Pulumi calls the default export and turns what it returns
 * into the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseEnvironment } from "../src/model/environment/environment.ts";
import { EnvironmentError } from "../src/model/environment/errors.ts";
import { ambientCredentialVariables } from "./auth0/tenant-provider.ts";
import { m2mProgram, type ProgramOutputs } from "./program.ts";
import { registerWithoutStackTraces } from "./stack-traces.ts";

export default async function program(): Promise<ProgramOutputs> {
  try {
    return await registerEnvironment();
  } catch (error) {
    throw withoutFrames(error);
  }
}

/**
 * A RunError (the program's refusals, the SDK's config errors) without its stack frames, which
 * the CLI never shows for one. cmd/run still formats the whole error for its tracing span
 * (util.inspect with colors), and frames that source-map-support maps to
 * node_modules/@pulumi/resource.ts send Node's inspect into a loop (nodejs/node#64011, in
 * Node 20 and 22): 15 s and 3 GB before it gives up, and the error reached `pulumi up` only then.
 */
function withoutFrames(error: unknown): unknown {
  if (pulumi.RunError.isInstance(error)) error.stack = `${error.name}: ${error.message}`;
  return error;
}

async function registerEnvironment(): Promise<ProgramOutputs> {
  const config = new pulumi.Config("m2m");
  let env: ReturnType<typeof parseEnvironment>;
  try {
    env = parseEnvironment(config.getObject<unknown>("environment"), pulumi.getStack());
  } catch (error) {
    // RunError ends the update with the message alone: the issues list, no stack trace.
    if (error instanceof EnvironmentError) throw new pulumi.RunError(error.message);
    throw error;
  }
  const ambient = ambientCredentialVariables(process.env);
  if (ambient.length > 0) {
    throw new pulumi.RunError(
      `${ambient.join(", ")} ${ambient.length > 1 ? "are" : "is"} set in the shell: the Auth0 provider could use ${ambient.length > 1 ? "them" : "it"} instead of stack ${env.name}'s own credentials. Unset ${ambient.length > 1 ? "them" : "it"} (unset ${ambient.join(" ")}) and run again; the stack authenticates with m2m:auth0ClientId and m2m:auth0ClientSecret.`,
    );
  }
  const credentials = {
    clientId: config.require("auth0ClientId"),
    clientSecret: config.requireSecret("auth0ClientSecret"),
  };
  return registerWithoutStackTraces(() => m2mProgram(env, credentials));
}
