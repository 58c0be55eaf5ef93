/**
 * The Pulumi program (Pulumi.yaml `main`): reads the stack's environment, refuses an invalid one
 * before registering anything, and registers the environment. Pulumi calls the default export
 * and turns what it returns into the stack outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseEnvironment } from "../src/model/environment.ts";
import { EnvironmentError } from "../src/model/errors.ts";
import { m2mProgram, type ProgramOutputs } from "./program.ts";

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
  return m2mProgram(env, {
    clientId: config.require("auth0ClientId"),
    clientSecret: config.requireSecret("auth0ClientSecret"),
  });
}
