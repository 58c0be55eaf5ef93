/**
 * Folders only this user can enter, for cached tokens and GCP executable responses: a token in a
 * folder others can read is theirs too, and a folder others can write lets them plant one.
 */
import { lstatSync, mkdirSync } from "node:fs";
import { TokenCacheError } from "./token-errors.ts";

/**
 * Creates `folder` (and its parents) 0700 if missing, then checks it: a real folder, not a
 * symbolic link, owned by this user, with no access for group or others. Throws TokenCacheError
 * naming the fix otherwise; nothing is written there before the check passes.
 */
export function ensurePrivateFolder(
  folder: string,
  purpose: string,
  /** How to choose another folder, for the messages (`--cache-dir DIR`). */
  another: string,
): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new TokenCacheError(
      `cannot create the ${purpose} folder ${folder} (${(error as NodeJS.ErrnoException).code ?? "error"}): create it with mode 0700, or choose another: ${another}`,
    );
  }
  const stat = lstatSync(folder);
  if (stat.isSymbolicLink() || !stat.isDirectory())
    throw new TokenCacheError(
      `the ${purpose} folder ${folder} is ${stat.isSymbolicLink() ? "a symbolic link" : "not a folder"}: remove it, or choose another: ${another}`,
    );
  // Windows has neither POSIX owners nor modes; its user profile folders are private already.
  if (process.platform === "win32") return;
  if (process.getuid && stat.uid !== process.getuid())
    throw new TokenCacheError(
      `the ${purpose} folder ${folder} belongs to another user (uid ${stat.uid}): remove it, or choose another: ${another}`,
    );
  if ((stat.mode & 0o077) !== 0)
    throw new TokenCacheError(
      `the ${purpose} folder ${folder} is open to others (mode ${(stat.mode & 0o777).toString(8).padStart(4, "0")}): chmod 700 ${folder}, or choose another: ${another}`,
    );
}
