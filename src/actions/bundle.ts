import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { ACTIONS_RUNTIME, type ProjectAction } from "../model/project-actions.ts";

/** Auth0 accepts Action code up to 100 kB (npm dependencies excluded). */
export const ACTION_CODE_LIMIT = 100 * 1024;

/** Where the project's Action sources live. */
export const ACTIONS_DIR = fileURLToPath(new URL("../../actions/", import.meta.url));

/** The build-time constants an Action receives: per environment, never edited into the code. */
export interface ActionConstants {
  /** The claim namespace, e.g. `https://claims.example.com/`. */
  readonly claimNamespace: string;
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
  const key = `${action}\0${constants.claimNamespace}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = buildSync({
    entryPoints: [path.join(ACTIONS_DIR, `${action}.ts`)],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: ACTIONS_RUNTIME,
    write: false,
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
    define: { M2M_CLAIM_NAMESPACE: JSON.stringify(constants.claimNamespace) },
  });
  const code = result.outputFiles[0]?.text ?? "";
  const bytes = Buffer.byteLength(code);
  if (bytes > ACTION_CODE_LIMIT) {
    throw new Error(
      `Action ${action} bundles to ${bytes} bytes, over Auth0's ${ACTION_CODE_LIMIT}: move dependencies to the Action's npm dependencies or trim the code`,
    );
  }
  const bundle = { action, code, bytes };
  cache.set(key, bundle);
  return bundle;
}
