/**
 * The code a plan is produced with: the Pulumi program and the model modules it derives from,
 * loaded from a checkout of the project. The working tree's plan loads this package's own; the
 * base plan of `m2m diff` loads the base commit's, so a change to infra/, src/model/ or actions/
 * shows even when the stack file did not change.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import type { Environment } from "../model/environment.ts";
import type { ReachEntry } from "../model/reach.ts";
import type { KindOptions, OptionsContext, ResourceKind } from "../model/resource-options.ts";

/** The root of this package: the working tree's code. */
export const OWN_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** What a plan needs from a checkout's code. */
export interface ProjectCode {
  /** Where the code lives. */
  readonly root: string;
  /** Pulumi.yaml `name`: the project, whose namespace the config keys carry. */
  readonly project: string;
  /** Pulumi.yaml `main`'s default export. */
  readonly program: () => Promise<unknown>;
  readonly parseEnvironment: (raw: unknown, stack: string) => Environment;
  readonly environmentReach: (env: Environment) => ReachEntry[];
  readonly resourceOptions: (kind: ResourceKind, context: OptionsContext) => KindOptions;
}

/** The code of a checkout cannot be loaded (a file is missing, or it fails to load). */
export class ProjectCodeError extends Error {
  override readonly name = "ProjectCodeError";
}

/** Loads the program and the model modules of the checkout at `root`. */
export async function loadProjectCode(root: string): Promise<ProjectCode> {
  const manifest = path.join(root, "Pulumi.yaml");
  if (!existsSync(manifest))
    throw new ProjectCodeError(`${manifest} does not exist: no Pulumi project there`);
  const { name, main } = (parse(readFileSync(manifest, "utf8")) ?? {}) as { name?: string; main?: string };
  const load = async <T>(relative: string, exported: string): Promise<T> => {
    const file = path.join(root, relative);
    if (!existsSync(file)) throw new ProjectCodeError(`${file} does not exist`);
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new ProjectCodeError(`${file} does not load: ${(error as Error).message.split("\n")[0]}`);
    }
    if (typeof module[exported] !== "function")
      throw new ProjectCodeError(`${file} exports no ${exported} function`);
    return module[exported] as T;
  };
  const mainFile = main ?? "index.ts";
  return {
    root,
    project: name ?? path.basename(root),
    program: await load(
      existsSync(path.join(root, mainFile, "index.ts")) ? path.join(mainFile, "index.ts") : mainFile,
      "default",
    ),
    parseEnvironment: await load("src/model/environment.ts", "parseEnvironment"),
    environmentReach: await load("src/model/reach-check.ts", "environmentReach"),
    resourceOptions: await load("src/model/resource-options.ts", "resourceOptions"),
  };
}
