/**
 * The Pulumi program (Pulumi.yaml `main`): reads the stack's environment, refuses an invalid one
 * before registering anything, and registers the environment (without stack traces while it
 * registers: see stack-traces.ts). Pulumi calls the default export and turns what it returns
 * into the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseEnvironment } from "../src/model/environment.ts";
import { EnvironmentError } from "../src/model/errors.ts";
import { ambientCredentialVariables } from "./auth0/tenant-provider.ts";
import { m2mProgram, type ProgramOutputs } from "./program.ts";
import { registerWithoutStackTraces } from "./stack-traces.ts";

export default async function program(): Promise<ProgramOutputs> {
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
