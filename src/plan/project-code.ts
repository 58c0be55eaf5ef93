/**
 * The code a plan is produced with: the Pulumi program and the model modules it derives from,
 * loaded from a checkout of the project. The working tree's plan loads this package's own; the
 * base plan of `m2m diff` loads the base commit's, so a change to infra/, src/model/ or actions/
 * shows even when the stack file did not change.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "yaml";
import type { Environment } from "../model/environment/environment.ts";
import type { KindOptions, OptionsContext, ResourceKind } from "../model/environment/resource-options.ts";
import type { ReachEntry } from "../model/trust/reach.ts";

/** The root of this package: the working tree's code. */
export const OWN_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Where a checkout keeps the model modules a plan calls, per layout the model has had, newest
 * first: the base commit of `m2m diff` may predate the model's folders (src/model/environment/,
 * src/model/trust/) and have them at flat paths. The type checker does not see these paths:
 * moving one of the modules means adding its new path here.
 */
export const MODEL_MODULES = {
  environment: ["src/model/environment/environment.ts", "src/model/environment.ts"],
  reachCheck: ["src/model/trust/reach-check.ts", "src/model/reach-check.ts"],
  resourceOptions: ["src/model/environment/resource-options.ts", "src/model/resource-options.ts"],
} as const;

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
  const load = async <T>(candidates: readonly string[], exported: string): Promise<T> => {
    const relative = candidates.find((candidate) => existsSync(path.join(root, candidate)));
    if (relative === undefined)
      throw new ProjectCodeError(
        candidates.length === 1
          ? `Pulumi.yaml's main, ${candidates[0]}, does not exist in ${root}`
          : `the checkout has neither ${candidates.join(" nor ")} (the model's ${exported}, which a plan calls): its code is older than the offline plan, or keeps them elsewhere`,
      );
    const file = path.join(root, relative);
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
      [isDirectory(path.join(root, mainFile)) ? path.join(mainFile, "index.ts") : mainFile],
      "default",
    ),
    parseEnvironment: await load(MODEL_MODULES.environment, "parseEnvironment"),
    environmentReach: await load(MODEL_MODULES.reachCheck, "environmentReach"),
    resourceOptions: await load(MODEL_MODULES.resourceOptions, "resourceOptions"),
  };
}

const isDirectory = (file: string) => statSync(file, { throwIfNoEntry: false })?.isDirectory() === true;
