import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { EnvironmentError, type EnvironmentIssue } from "../../src/model/environment/errors.ts";
import { readStackFile } from "../../src/stack/stack-file.ts";

/** The issues validation reports for `raw`, none when it is valid. */
export function validationIssues(raw: unknown, stack = "test"): EnvironmentIssue[] {
  try {
    parseEnvironment(raw, stack);
    return [];
  } catch (error) {
    if (error instanceof EnvironmentError) return [...error.issues];
    throw error;
  }
}

/** A committed stack's raw environment, a copy the test may change. */
// biome-ignore lint/suspicious/noExplicitAny: tests write into the raw, untyped shape
export function committedRaw(stack: string): any {
  return structuredClone(readStackFile(process.cwd(), stack).config["m2m:environment"]);
}
