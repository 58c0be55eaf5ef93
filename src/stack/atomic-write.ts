import { randomBytes } from "node:crypto";
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import path from "node:path";

/**
 * Replaces `file` with `text` so that a reader (or a crash) sees the old file or the new one,
 * never half of each: the text goes to a temporary file in the same folder, is flushed to disk,
 * and is renamed over the original, whose permission bits it keeps. A symlink is followed.
 */
export function writeFileAtomically(target: string, text: string): void {
  // A symlinked stack file stays a link: the file it points to is replaced.
  const file = realpathSync(target);
  const mode = statSync(file).mode & 0o777;
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const fd = openSync(temporary, "wx", mode);
    try {
      fchmodSync(fd, mode); // open's mode is narrowed by the umask
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
