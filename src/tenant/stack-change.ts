import { isDeepStrictEqual } from "node:util";
import type { Document } from "yaml";
import {
  ENVIRONMENT_CONFIG_KEY,
  type Environment,
  parseEnvironment,
} from "../model/environment/environment.ts";
import { EnvironmentError, type EnvironmentIssue } from "../model/environment/errors.ts";
import { type EnvironmentConfig, environmentSchema } from "../model/environment/schema.ts";
import { writeFileAtomically } from "../stack/atomic-write.ts";
import { readStackText, stackConfigOf, stackDocumentOf } from "../stack/stack-file.ts";
import { TenantsTextError } from "./tenants-text.ts";

/** A change to a stack file that was not made; the message says why and that nothing was written. */
export class StackChangeError extends Error {
  override readonly name = "StackChangeError";
}

/** One change of a stack file's environment: the new text, and the value it must parse to. */
export interface StackChange {
  /** The file's text with the change made, every other byte as it was. */
  readonly text: string;
  /** The `m2m:environment` value the new text must hold (the old one changed in memory). */
  readonly expected: unknown;
}

/** The stack as it is before a change. */
export interface StackBefore {
  readonly path: string;
  readonly text: string;
  /** The file parsed, its nodes' source positions kept, for the text edits. */
  readonly document: Document.Parsed;
  /** The file's whole `config:` block, as written. */
  readonly stackConfig: Readonly<Record<string, unknown>>;
  /** The raw `m2m:environment` value, as written. */
  readonly raw: Record<string, unknown>;
  /** Its shape with defaults applied (the schema's; the rules run once, on the result). */
  readonly config: EnvironmentConfig;
}

function issueLines(issues: readonly EnvironmentIssue[], rename: (path: string) => string): string {
  return issues.map((i) => `  - ${rename(i.path) || "(root)"}: ${i.message}`).join("\n");
}

/** The error for a stack file the model refuses as it is, or undefined when it accepts it. */
function alreadyInvalid(path: string, raw: unknown, stack: string): StackChangeError | undefined {
  try {
    parseEnvironment(raw, stack);
    return undefined;
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    return new StackChangeError(
      `${path} is invalid already, so it was not changed; fix ${error.issues.length === 1 ? "this" : "these"} first:\n${issueLines(error.issues, (p) => p)}`,
    );
  }
}

/**
 * Reads the stack file and its environment's shape. A change starts only from a valid
 * environment; the rules, which take seconds at a thousand tenants, run on the result (and on
 * the file as it is only when the result fails them, to tell whose problems they are).
 */
export function readStackBefore(projectDir: string, stack: string): StackBefore {
  const { path, text } = readStackText(projectDir, stack);
  // The document only locates what to edit; values are read as every other command reads them
  // (stackConfigOf), so the read-back of the edited text is compared like with like.
  const document = stackDocumentOf(text, path);
  const stackConfig = stackConfigOf(text, path);
  const raw = stackConfig[ENVIRONMENT_CONFIG_KEY];
  const shape = environmentSchema.safeParse(raw);
  if (!shape.success)
    throw (
      alreadyInvalid(path, raw, stack) ??
      new StackChangeError(`${path} is invalid already, so it was not changed: ${shape.error.message}`)
    );
  return { path, text, document, stackConfig, raw: raw as Record<string, unknown>, config: shape.data };
}

/**
 * Makes `change` to the stack file, or nothing at all: the new text must parse to exactly the
 * expected value (so the text edit changed what it meant to and nothing else), and the model
 * must accept the result, before the file is replaced atomically.
 *
 * @param describe names paths in the model's messages, e.g. `tenants[3]` -> `tenants[3] (acme)`.
 * @returns the environment as written.
 */
export function applyStackChange(
  stack: string,
  before: StackBefore,
  make: () => StackChange,
  describe: (path: string) => string = (p) => p,
): Environment {
  let change: StackChange;
  try {
    change = make();
  } catch (error) {
    if (error instanceof TenantsTextError)
      throw new StackChangeError(`${before.path} was not changed: ${error.message}`);
    throw error;
  }
  const config = stackConfigOf(change.text, before.path);
  const expectedConfig = {
    ...before.stackConfig,
    [ENVIRONMENT_CONFIG_KEY]: change.expected,
  };
  if (!isDeepStrictEqual(config, expectedConfig))
    throw new StackChangeError(
      `${before.path} was not changed: the edited text did not read back as the intended change (a layout this tool does not handle); make the change by hand`,
    );
  let after: Environment;
  try {
    after = parseEnvironment(config[ENVIRONMENT_CONFIG_KEY], stack);
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    const invalidBefore = alreadyInvalid(before.path, before.raw, stack);
    if (invalidBefore) throw invalidBefore;
    const count = error.issues.length === 1 ? "1 problem" : `${error.issues.length} problems`;
    throw new StackChangeError(
      `${before.path} was not changed: the change would leave ${count}:\n${issueLines(error.issues, describe)}`,
    );
  }
  writeFileAtomically(before.path, change.text);
  return after;
}
