import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import path from "node:path";

/**
 * Writes `text` to `file` atomically and durably (a temporary file, synced, renamed over it, and
 * the folder synced), readable by its owner only (0600): a crash never leaves a half-written or
 * lost state, and secrets never sit world-readable.
 */
export function writePrivateFile(file: string, text: string): void {
  const folder = path.dirname(file);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  // A fresh name, created 0600 (and set again, whatever the umask): never readable by others.
  const fd = openSync(temporary, "wx", 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  syncFolder(folder);
}

/**
 * Makes the entries of `folder` (a file created, renamed or removed there) survive a crash.
 * Windows can neither open nor sync a folder, and its file system logs renames itself.
 */
export function syncFolder(folder: string): void {
  if (process.platform === "win32") return;
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The text of `file`, or undefined when there is none. */
export function readOptionalFile(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
