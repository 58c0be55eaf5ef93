/**
 * How `pulumi up` ends when the program refuses to run, seen from the engine: the program runs
 * under cmd/run against a recording engine (test/support/recording-monitor.ts).
 */
import { describe, expect, it } from "vitest";
import { committedEnvironment, stackConfig } from "../support/mocked-stack.ts";
import { type CliRun, runAsPulumiCli, Severity } from "../support/recording-monitor.ts";
import { committedRaw, validationIssues } from "../support/validation.ts";

/** The exit code with which cmd/run tells the language host the user has been told everything. */
const ALREADY_REPORTED = 32;

function up(config: Record<string, string>, env: Record<string, string> = {}): Promise<CliRun> {
  return runAsPulumiCli({ stack: "dev", preview: false, config, secretKeys: ["m2m:auth0ClientSecret"], env });
}

/** The refusal reached the engine as one error and nothing else, and nothing was registered. */
function expectOneReportedError(run: CliRun): string {
  expect(run.exitCode).toBe(ALREADY_REPORTED);
  const reported = run.recording.logs.filter((l) => l.severity >= Severity.WARNING);
  expect(reported).toHaveLength(1);
  const [error] = reported;
  expect(error?.severity).toBe(Severity.ERROR);
  // No stack trace, and not cmd/run's "failed with an unhandled exception" wrapping.
  expect(error?.message).not.toMatch(/\n\s+at |unhandled exception/);
  expect(run.stderr).toBe("");
  expect(run.recording.registrations.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
  return error?.message ?? "";
}

describe("the program's refusals under the Pulumi CLI (cmd/run, against a recording engine)", () => {
  it("GIVEN an environment with several problems WHEN `pulumi up` runs it THEN the engine gets one error naming each, and cmd/run exits 32", async () => {
    const raw = committedRaw("dev");
    raw.auth0.domain = "https://acme-dev.eu.auth0.com/";
    raw.tenants[0].id = "Globex!";
    const issues = validationIssues(raw, "dev");
    expect(issues.length).toBeGreaterThanOrEqual(3);

    const message = expectOneReportedError(await up(stackConfig(raw)));
    expect(message).toMatch(/^The environment of stack "dev"/);
    for (const issue of issues) expect(message).toContain(`${issue.path}: ${issue.message}`);
  });

  it("GIVEN AUTH0_API_TOKEN and AUTH0_CLI_LOGIN in the shell WHEN `pulumi up` runs the dev stack THEN the engine gets one error naming both, and cmd/run exits 32", async () => {
    const run = await up(stackConfig(committedEnvironment("dev")), {
      AUTH0_API_TOKEN: "eyJ-some-other-token",
      AUTH0_CLI_LOGIN: "true",
    });
    const message = expectOneReportedError(run);
    expect(message).toMatch(/^AUTH0_API_TOKEN, AUTH0_CLI_LOGIN are set in the shell/);
    expect(message).toContain("unset AUTH0_API_TOKEN AUTH0_CLI_LOGIN");
  });
});
