import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync, transformSync } from "esbuild";
import { managementApiAudience } from "../model/contract/management-api.ts";
import { cloudApi } from "../model/environment/clouds.ts";
import type { Environment } from "../model/environment/environment.ts";
import { ACTIONS_RUNTIME, type ProjectAction } from "../model/environment/project-actions.ts";

/** Auth0 accepts Action code up to 100 kB (npm dependencies excluded). */
export const ACTION_CODE_LIMIT = 100 * 1024;

/** Where the project's Action sources live. */
export const ACTIONS_DIR = fileURLToPath(new URL("../../actions/", import.meta.url));

/**
 * The directory bundles are built from. esbuild writes each module's path into the bundle
 * relative to its working directory, by default the process's: `pulumi up` runs the program
 * from infra/ (main's directory), so the code would differ from a run at the root.
 */
const BUNDLE_WORKING_DIR = fileURLToPath(new URL("../../", import.meta.url));

/** The build-time constants an Action receives: per environment, never edited into the code. */
export interface ActionConstants {
  /** The claim namespace, e.g. `https://claims.example.com/`. */
  readonly claimNamespace: string;
  /** The tenant's Management API audience, whose tokens the Actions never deny. */
  readonly managementAudience: string;
  /** The AWS API identifier: only its tokens get the AWS session-tags claim. Default: AWS off. */
  readonly awsAudience?: string;
  /** Session tag keys passed on to chained roles. Default: none. */
  readonly awsTransitiveTagKeys?: readonly string[];
}

/** The constants of an environment's Actions. */
export function actionConstants(
  env: Pick<Environment, "claimNamespace" | "auth0" | "apis" | "clouds">,
): ActionConstants {
  return {
    claimNamespace: env.claimNamespace,
    managementAudience: managementApiAudience(env.auth0.domain),
    awsAudience: env.clouds.aws ? (cloudApi(env, "aws")?.identifier ?? "") : "",
    awsTransitiveTagKeys: env.clouds.aws?.transitiveTagKeys ?? [],
  };
}

/** A bundled Action: the exact JavaScript deployed to Auth0. */
export interface ActionBundle {
  readonly action: ProjectAction;
  readonly code: string;
  readonly bytes: number;
}

const cache = new Map<string, ActionBundle>();

/**
 * Bundles `actions/{action}.ts` into one CommonJS file for Auth0's node22 runtime, with the
 * model modules it imports inlined and the environment's constants defined. Deterministic for
 * the same inputs (so an unchanged Action shows no diff), cached per process, and refused when
 * over Auth0's size limit.
 */
export function bundleAction(action: ProjectAction, constants: ActionConstants): ActionBundle {
  const key = JSON.stringify([action, constants]);
  const cached = cache.get(key) ?? buildAction(action, constants);
  cache.set(key, cached);
  return cached;
}

/** Builds an Action afresh, bypassing the cache. */
export function buildAction(action: ProjectAction, constants: ActionConstants): ActionBundle {
  const code = bundleEntry(path.join(ACTIONS_DIR, `${action}.ts`), {
    M2M_CLAIM_NAMESPACE: constants.claimNamespace,
    M2M_MANAGEMENT_AUDIENCE: constants.managementAudience,
    M2M_AWS_AUDIENCE: constants.awsAudience ?? "",
    M2M_AWS_TRANSITIVE_TAG_KEYS: (constants.awsTransitiveTagKeys ?? []).join(","),
  });
  return { action, code, bytes: Buffer.byteLength(code) };
}

/**
 * Bundles any Action source (TypeScript or JavaScript) the way Auth0 needs it: one CommonJS
 * file for the node22 runtime, npm packages left as `require` calls (Auth0 installs the
 * Action's declared dependencies), `constants` defined as global identifiers. Throws when the
 * result is over Auth0's size limit.
 */
export function bundleEntry(entry: string, constants: Readonly<Record<string, string>> = {}): string {
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: BUNDLE_WORKING_DIR,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: ACTIONS_RUNTIME,
    packages: "external",
    write: false,
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
    define: Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, JSON.stringify(v)])),
  });
  const code = withModuleNames(result.outputFiles[0]?.text ?? "", Object.keys(result.metafile?.inputs ?? {}));
  const bytes = Buffer.byteLength(code);
  if (bytes > ACTION_CODE_LIMIT) {
    throw new Error(
      `${path.basename(entry)} bundles to ${bytes} bytes, over Auth0's ${ACTION_CODE_LIMIT}: move code into the Action's npm dependencies or trim it`,
    );
  }
  return code;
}

/**
 * esbuild heads each inlined module with a `// <path>` comment (by design, short of minifying:
 * https://github.com/evanw/esbuild/issues/1032). Deployed code naming the source layout would
 * change, and redeploy the Action, whenever a module moves; the file's name alone keeps the
 * bundle readable and the same across moves. Only header lines (after a blank line, naming one
 * of the bundle's inputs) are renamed, and the result is kept only if it is the same program:
 * both minified without comments must be equal, and no input's path may be left (esbuild also
 * names a module loaded by `import()` or `require()` by its path, in code). Otherwise the bundle
 * keeps esbuild's paths.
 */
function withModuleNames(code: string, inputs: readonly string[]): string {
  const names = new Map(inputs.map((input) => [`// ${input}`, `// ${path.posix.basename(input)}`]));
  const lines = code.split("\n");
  const renamed = lines
    .map((line, i) => (i > 0 && lines[i - 1] === "" ? (names.get(line) ?? line) : line))
    .join("\n");
  const program = (source: string) =>
    transformSync(source, { minifyWhitespace: true, legalComments: "none", format: "cjs" }).code;
  const samePlace = inputs.some((input) => renamed.includes(input));
  return !samePlace && program(renamed) === program(code) ? renamed : code;
}
