import { readFileSync } from "node:fs";
import path from "node:path";
import { CORE_SCHEMA, load } from "js-yaml";
import { type Document, parseDocument } from "yaml";
import { environmentNameProblem } from "../model/environment/names.ts";

/**
 * A stack file that cannot be read as one: a stack name the model refuses, a missing file
 * (`missing`), or text that is not YAML. Input the user gave, with the fix in the message.
 */
export class StackFileError extends Error {
  override readonly name = "StackFileError";

  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
  }
}

/** The config of one stack as its Pulumi.<stack>.yaml holds it (values still raw). */
export interface StackFile {
  readonly stack: string;
  readonly path: string;
  /** `namespace:key` -> value; secure values stay as `{secure: "..."}` ciphertext. */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * Reads `Pulumi.{stack}.yaml` from `projectDir` without the Pulumi runtime, so the CLI and the
 * tests see exactly what `pulumi.Config` sees. A stack name the model refuses is refused before
 * any file is read: it would never validate, and it must not name a path outside the project.
 */
export function readStackFile(projectDir: string, stack: string): StackFile {
  const { path: file, text } = readStackText(projectDir, stack);
  return { stack, path: file, config: stackConfigOf(text, file) };
}

/**
 * The `config:` block of a stack file's text, as every command reads it (`m2m tenant` included:
 * its yaml Document only locates what to edit); `file` names it in errors. Read with js-yaml (the
 * parser Pulumi's Node SDK reads its own YAML with) and YAML 1.2's core schema: a thousand
 * tenants' file (1.1 MB) reads in about 30 ms, against 0.45 s for the yaml package. The two
 * disagree on a few scalars outside the core schema's usual forms (`0b101` and `-0x1F` are
 * numbers here, strings to the yaml package). UNCONFIRMED: that the Pulumi CLI's Go reader reads
 * those as js-yaml does.
 */
export function stackConfigOf(text: string, file: string): Readonly<Record<string, unknown>> {
  let doc: { config?: Record<string, unknown> } | null | undefined;
  try {
    doc = load(text, { schema: CORE_SCHEMA }) as typeof doc;
  } catch (error) {
    throw new StackFileError(`${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  return doc?.config ?? {};
}

/**
 * The text of `Pulumi.{stack}.yaml` in `projectDir`, byte for byte, for commands that edit it in
 * place (`m2m tenant`). The stack name is checked as readStackFile checks it.
 */
export function readStackText(projectDir: string, stack: string): { path: string; text: string } {
  const nameProblem = environmentNameProblem(stack);
  if (nameProblem) throw new StackFileError(nameProblem);
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  try {
    return { path: file, text: readFileSync(file, "utf8") };
  } catch {
    throw new StackFileError(
      `no stack file ${file}: create it with "pulumi stack init ${stack}" or pick an existing stack`,
      true,
    );
  }
}

/**
 * A stack file's text as a yaml Document whose nodes keep their source positions, for commands
 * that edit the file in place; its `toJS().config` is what stackConfigOf reads.
 */
export function stackDocumentOf(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: true });
  const [error] = doc.errors;
  if (error) throw new StackFileError(`${file} is not valid YAML: ${error.message.split("\n")[0]}`);
  return doc;
}
