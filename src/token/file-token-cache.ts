/**
 * The cross-process token cache: one 0600 file per key in a 0700 folder of this user, written
 * atomically (a reader never sees half a token), and a lock file per key so that when a token is
 * due, one process requests it and the others wait and read it. Without it every short-lived
 * process (a GCP executable source, an AWS credential_process) mints its own token, and Auth0's
 * Free plan blocks tokens once over quota.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { writePrivateFile } from "../issuer/state-files.ts";
import { ensurePrivateFolder } from "./private-folder.ts";
import type { TokenCache } from "./token-cache.ts";
import type { IssuedToken } from "./token-request.ts";

/** Options of the file cache. */
export interface FileTokenCacheOptions {
  /** Where the files go; created 0700. Default: defaultTokenCacheFolder(). */
  readonly folder?: string;
  /** The longest wait for another process's request before making one, whatever the caller allows. Default: 25,000 ms. */
  readonly lockWaitMs?: number;
  /** A lock older than this is taken to be left by a process that died. Default: 30,000 ms. */
  readonly staleLockMs?: number;
}

/**
 * `$XDG_CACHE_HOME/m2m/tokens`, else `~/.cache/m2m/tokens`, else (no home) `<tmp>/m2m-<uid>/tokens`.
 */
export function defaultTokenCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME))
    return path.join(env.XDG_CACHE_HOME, "m2m", "tokens");
  let home = "";
  try {
    home = homedir();
  } catch {
    // No home folder (some containers): fall back to a per-user folder under tmp.
  }
  if (home && home !== "/") return path.join(home, ".cache", "m2m", "tokens");
  return path.join(tmpdir(), `m2m-${process.getuid?.() ?? "user"}`, "tokens");
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseEntry(text: string): IssuedToken | undefined {
  try {
    const value = JSON.parse(text) as Partial<IssuedToken> & { version?: unknown };
    if (
      value.version === 1 &&
      typeof value.accessToken === "string" &&
      typeof value.issuedAt === "number" &&
      typeof value.expiresAt === "number"
    )
      return { accessToken: value.accessToken, issuedAt: value.issuedAt, expiresAt: value.expiresAt };
  } catch {
    // A damaged entry is a miss: the next write replaces it.
  }
  return undefined;
}

/** A token cache in files; checks its folder (0700, this user's) before the first use. */
export function fileTokenCache(options: FileTokenCacheOptions = {}): TokenCache {
  const folder = options.folder ?? defaultTokenCacheFolder();
  const lockWaitMs = options.lockWaitMs ?? 25_000;
  const staleLockMs = options.staleLockMs ?? 30_000;
  let checked = false;
  const ready = () => {
    if (!checked)
      ensurePrivateFolder(folder, "token cache", "m2m token --cache-dir DIR, or fileTokenCache({folder})");
    checked = true;
  };
  const file = (key: string) => path.join(folder, `${key}.json`);

  /** Removes the lock at `lockFile` if the process holding it is gone or it is too old. */
  const clearStale = (lockFile: string) => {
    try {
      const pid = Number(readFileSync(lockFile, "utf8"));
      const age = Date.now() - statSync(lockFile).mtimeMs;
      if ((Number.isInteger(pid) && pid > 0 && !isAlive(pid)) || age > staleLockMs) unlinkSync(lockFile);
    } catch {
      // Gone already, or being written: look again on the next turn.
    }
  };

  return {
    async read(key) {
      ready();
      try {
        return parseEntry(readFileSync(file(key), "utf8"));
      } catch {
        return undefined;
      }
    },
    async write(key, token) {
      ready();
      writePrivateFile(file(key), `${JSON.stringify({ version: 1, ...token })}\n`);
    },
    async lock(key, maxWaitMs) {
      ready();
      const lockFile = path.join(folder, `${key}.lock`);
      const giveUpAt = Date.now() + Math.min(lockWaitMs, maxWaitMs);
      for (;;) {
        try {
          const fd = openSync(lockFile, "wx", 0o600);
          writeSync(fd, String(process.pid));
          closeSync(fd);
          return async () => {
            try {
              unlinkSync(lockFile);
            } catch {
              // Cleared as stale by another process: nothing to release.
            }
          };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        // Past the wait, request anyway: one token too many beats no token.
        if (Date.now() >= giveUpAt) return async () => {};
        clearStale(lockFile);
        await sleep(20 + Math.random() * 30);
      }
    },
  };
}
