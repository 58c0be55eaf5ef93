/**
 * The base commit of `m2m diff`, checked out under the project root (in .m2m/, which git and the
 * linters ignore) so that its program resolves its packages from the working tree's
 * node_modules: the base plan is what the base commit's own program registers.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

/** A base checkout, removed by `remove()`. */
export interface BaseCheckout {
  /** The full commit id `ref` named. */
  readonly commit: string;
  /** Where the commit's tree is. */
  readonly root: string;
  /** `projectDir` within the checkout. */
  readonly projectDir: string;
  remove(): void;
}

/** The ref cannot be resolved, or the checkout failed: the diff cannot be made. */
export class BaseCheckoutError extends Error {
  override readonly name = "BaseCheckoutError";
}

const git = (cwd: string, args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** Checks out `ref`'s tree for the project at `projectDir`. */
export function checkOutBase(projectDir: string, ref: string): BaseCheckout {
  let top: string;
  let commit: string;
  try {
    top = git(projectDir, ["rev-parse", "--show-toplevel"]);
  } catch {
    throw new BaseCheckoutError(
      `${projectDir} is not in a git repository: m2m diff compares with a commit of one`,
    );
  }
  try {
    commit = git(projectDir, ["rev-parse", "--verify", "--end-of-options", `${ref}^{commit}`]);
  } catch {
    throw new BaseCheckoutError(
      `--base ${ref} names no commit here: give a branch, tag or commit (in CI, fetch the base first: git fetch origin main, then --base origin/main)`,
    );
  }
  const root = path.join(projectDir, ".m2m", "diff", `${commit.slice(0, 12)}-${process.pid}-${Date.now()}`);
  mkdirSync(root, { recursive: true });
  const archive = spawnSync("git", ["archive", "--format=tar", commit], {
    cwd: top,
    maxBuffer: 512 * 1024 * 1024,
  });
  const extract =
    archive.status === 0
      ? spawnSync("tar", ["-x", "-f", "-", "-C", root], {
          input: archive.stdout,
          maxBuffer: 64 * 1024 * 1024,
        })
      : undefined;
  if (archive.status !== 0 || extract?.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new BaseCheckoutError(
      `cannot check out ${ref} (${commit.slice(0, 12)}): ${String((archive.status !== 0 ? archive.stderr : extract?.stderr) ?? "").trim() || "git archive or tar failed"}`,
    );
  }
  return {
    commit,
    root,
    projectDir: path.join(root, path.relative(top, path.resolve(projectDir))),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Whether `file` (relative to the project) differs between `commit` and the working tree. */
export function differsFromCommit(projectDir: string, commit: string, file: string): boolean {
  const result = spawnSync("git", ["diff", "--quiet", commit, "--", file], { cwd: projectDir });
  return result.status === 1;
}
