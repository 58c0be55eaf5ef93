import { inspect } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import { committedEnvironment, mockStack, settled, stackConfig } from "../support/mocked-stack.ts";
import { committedRaw } from "../support/validation.ts";

const SECRET_KEYS = ["m2m:auth0ClientSecret"];

/** The error the program fails with for `config`. */
async function refusal(config: Record<string, string>): Promise<unknown> {
  await mockStack("dev", config, SECRET_KEYS);
  const error = await program().then(
    () => undefined,
    (e: unknown) => e,
  );
  await settled();
  return error;
}

const invalid = committedRaw("dev");
invalid.auth0.domain = "https://not-a-host/";
const { "m2m:auth0ClientId": _, ...withoutClientId } = stackConfig(committedEnvironment("dev"));

describe("how the program's refusals reach cmd/run", () => {
  afterEach(() => {
    delete process.env.AUTH0_API_TOKEN;
  });

  const cases: [string, () => Promise<unknown>, RegExp][] = [
    ["an invalid environment", () => refusal(stackConfig(invalid)), /auth0\.domain: must be a bare/],
    [
      "an AUTH0_API_TOKEN in the shell",
      () => {
        process.env.AUTH0_API_TOKEN = "eyJ-some-other-token";
        return refusal(stackConfig(committedEnvironment("dev")));
      },
      /AUTH0_API_TOKEN is set in the shell/,
    ],
    ["no m2m:auth0ClientId (the SDK's own config error)", () => refusal(withoutClientId), /auth0ClientId/],
  ];
  for (const [given, fail, message] of cases) {
    it(`GIVEN ${given} WHEN the program fails THEN its RunError has no stack frames, and formats as cmd/run formats it to its message`, async () => {
      const error = await fail();
      expect(pulumi.RunError.isInstance(error)).toBe(true);
      // Frames mapped into node_modules/@pulumi/*.ts make Node's colored inspect loop
      // (nodejs/node#64011); a RunError's frames are never shown anyway.
      expect((error as Error).stack).not.toMatch(/\n\s+at /);
      expect(inspect(error, { colors: true })).toMatch(message);
    });
  }
});
