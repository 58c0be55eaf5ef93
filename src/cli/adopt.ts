import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, parseDocument } from "yaml";
import { type Adoption, adoptTenant, providerUrn } from "../management/adopt.ts";
import { connectForAdoption, readTenant } from "../management/connection.ts";
import { ENVIRONMENT_CONFIG_KEY, parseEnvironment } from "../model/environment/environment.ts";
import { EnvironmentError } from "../model/environment/errors.ts";
import { readStackFile, StackFileError } from "../stack/stack-file.ts";
import { EXIT } from "./exit-codes.ts";

/** Options of `m2m adopt`, as the command line gives them. */
export interface AdoptOptions {
  readonly projectDir: string;
  readonly stack: string;
  readonly local: boolean;
  readonly stateDir?: string;
  /** `--map FILE`: JSON `{"<client id>": "<tenant>/<workload>"}`. */
  readonly mapFile?: string;
  /** Where the Management API credentials are read. Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** A mistake in the input of `m2m adopt` (the map file): exit 2, nothing written. */
export class AdoptInputError extends Error {}

function readMap(file: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new AdoptInputError(
      `--map ${file} is not a readable JSON file (${(error as Error).message.split("\n")[0]})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new AdoptInputError(
      `--map ${file} must hold one JSON object: {"<client id>": "<tenant>/<workload>", ...}`,
    );
  for (const [id, owner] of Object.entries(value))
    if (typeof owner !== "string" || !/^[^/]+\/[^/]+$/.test(owner))
      throw new AdoptInputError(
        `--map ${file}: the value for client ${id} must be "<tenant>/<workload>", not ${JSON.stringify(owner)}`,
      );
  return value as Record<string, string>;
}

/** The stack file's text and its `m2m:environment`, or a new file when there is none. */
function stackOf(
  projectDir: string,
  stack: string,
): { file: string; text?: string; base: Record<string, unknown> } {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  let config: Readonly<Record<string, unknown>>;
  try {
    config = readStackFile(projectDir, stack).config;
  } catch (error) {
    if (error instanceof StackFileError && error.missing) return { file, base: {} };
    throw error;
  }
  const raw = config[ENVIRONMENT_CONFIG_KEY];
  return {
    file,
    text: readFileSync(file, "utf8"),
    base:
      raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {},
  };
}

function projectName(projectDir: string): string {
  try {
    const name = (parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: unknown })
      ?.name;
    return typeof name === "string" && name ? name : "m2m";
  } catch {
    return "m2m";
  }
}

/** Replaces a file with `text` in one rename, so it is never half-written. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function render(
  adoption: Adoption,
  written: { stackFile: string; importFile: string },
  urn: string,
  stack: string,
): string {
  const tenants = adoption.environment.tenants as { id: string; workloads: unknown[] }[];
  const workloads = tenants.reduce((n, t) => n + t.workloads.length, 0);
  const apis = (adoption.environment.apis as unknown[]).length;
  const lines = [
    `Adopted ${workloads} workload${workloads === 1 ? "" : "s"} in ${tenants.length} tenant${tenants.length === 1 ? "" : "s"}, ${apis} API${apis === 1 ? "" : "s"} and the credentials-exchange binding list`,
    `  model        ${written.stackFile}`,
    `  import file  ${written.importFile} (${adoption.importFile.resources.length} resources)`,
  ];
  const section = (title: string, items: readonly string[]) => {
    if (items.length > 0) lines.push("", title, ...items.map((i) => `  - ${i}`));
  };
  section("Not adopted (the model cannot say it; nothing was dropped silently):", adoption.notAdopted);
  section("pulumi up will change in place (no replacement; client ids and secrets stay):", adoption.updates);
  section("pulumi up will create:", adoption.creates);
  lines.push(
    "",
    "Next:",
    `  pulumi up --stack ${stack} --target '${urn}'   (creates only the stack's Auth0 provider)`,
    `  pulumi import --stack ${stack} --file ${path.basename(written.importFile)}`,
    `  pulumi preview --stack ${stack}   (shows no create or replace for what was imported)`,
  );
  return lines.join("\n");
}

/**
 * Runs `m2m adopt`: reads the tenant, writes the stack's model into Pulumi.<stack>.yaml (other
 * config kept) and the import file beside it, once the model validates; nothing is written
 * otherwise.
 */
export async function adopt(options: AdoptOptions): Promise<number> {
  const map = options.mapFile ? readMap(options.mapFile) : {};
  const stack = stackOf(options.projectDir, options.stack);
  const connection = await connectForAdoption({
    projectDir: options.projectDir,
    stack: options.stack,
    base: stack.base,
    local: options.local,
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const live = await readTenant(connection);
  const project = projectName(options.projectDir);
  const adoption = adoptTenant(live, {
    stack: options.stack,
    project,
    base: stack.base,
    map,
    managementClientId: connection.managementClientId,
  });
  try {
    parseEnvironment(adoption.environment, options.stack);
  } catch (error) {
    if (error instanceof EnvironmentError)
      throw new AdoptInputError(
        `nothing was written: the adopted model does not validate.\n${error.message}`,
      );
    throw error;
  }
  const doc = stack.text !== undefined ? parseDocument(stack.text) : parseDocument("config: {}\n");
  doc.setIn(["config", ENVIRONMENT_CONFIG_KEY], doc.createNode(adoption.environment));
  const importFile = path.join(options.projectDir, `import.${options.stack}.json`);
  writeAtomically(importFile, `${JSON.stringify(adoption.importFile, null, 2)}\n`);
  writeAtomically(stack.file, doc.toString());
  console.log(
    render(
      adoption,
      { stackFile: stack.file, importFile },
      providerUrn(project, options.stack),
      options.stack,
    ),
  );
  return EXIT.ok;
}
