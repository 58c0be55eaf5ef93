import { createHash } from "node:crypto";
import { closeSync, fchmodSync, fdatasyncSync, ftruncateSync, openSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { ASSERTION_LIMITS } from "./client-authentication.ts";
import { readOptionalFile, syncFolder, writePrivateFile } from "./state-files.ts";

/** The journal's first line: what wrote it, and the format's version. */
const HEADER = "m2m replay journal 1";

/** `<forget after, epoch seconds> <base64url SHA-256 of client id:jti>`. */
const ENTRY = /^(\d{1,15}) ([A-Za-z0-9_-]{43})$/;

/**
 * How many entries past their expiry a running journal may carry before it is compacted, at
 * least (it is compacted once they also outnumber the live ones). Default: 256 (about 20 KiB):
 * a quiet journal is not rewritten at every request, and a busy one stays within twice its
 * live size.
 */
export const COMPACT_AFTER_EXPIRED_ENTRIES = 256;

/**
 * The longest an assertion can stay replayable after it was first used: its lifetime, an `iat`
 * up to the tolerance ahead, and the tolerance again past its `exp`. Six minutes by default.
 */
const LONGEST_RETENTION_S = ASSERTION_LIMITS.maxLifetimeS + 2 * ASSERTION_LIMITS.clockToleranceS;

function corrupt(file: string, line: number): Error {
  // Name the file, the line and the fix; never quote the line (a stray paste may hold a secret).
  const minutes = Math.ceil(LONGEST_RETENTION_S / 60);
  return new Error(
    `${file} is not a replay journal this tool wrote (line ${line}); delete it and wait ${minutes} minutes before starting again: every assertion it recorded has expired by then, so none can be replayed`,
  );
}

/**
 * The private_key_jwt assertions already used (by client id and `jti`) until they expire, so
 * none is accepted twice, even across restarts: an append-only file in the state folder (0600),
 * one line per assertion, holding digests only.
 *
 * Durability: each entry is appended and fdatasync'ed before `claim` returns, so before the
 * token is issued. The journal exists to close the replay window a restart would open; an entry
 * that a crash could lose after its token went out would reopen it, for up to six minutes. The
 * price is one sync per private_key_jwt token (secret-authenticated clients pay nothing), which
 * a local issuer can afford.
 *
 * Loading drops entries past their expiry and a torn last line (a crash mid-append: that entry's
 * token was never issued, since the sync comes first), then rewrites the file atomically; a
 * running journal is compacted the same way once expired entries outnumber live ones. Anything
 * else unreadable stops the start with an error naming the file and the fix. One issuer per
 * state folder, as for the rest of the state.
 */
export class ReplayJournal {
  readonly #file: string;
  /** Live entries: digest -> the second after which the assertion can no longer be presented. */
  readonly #entries = new Map<string, number>();
  #fd: number | undefined;
  /** Entry lines in the file, live or not. */
  #lines = 0;
  /** Bytes of the file known to be whole: where the next entry goes. */
  #bytes = 0;
  #sweptAtS = 0;

  private constructor(file: string) {
    this.#file = file;
  }

  /** The journal at `file` as of `nowS`: created on first use, compacted if it held anything stale. */
  static open(file: string, nowS: number): ReplayJournal {
    const journal = new ReplayJournal(file);
    const text = readOptionalFile(file);
    if (text === undefined) return journal;
    const lines = text.split("\n");
    // What follows the last newline is empty, unless an append was cut short.
    const torn = lines.pop() !== "";
    for (const [index, line] of lines.entries()) {
      if (index === 0) {
        if (line !== HEADER) throw corrupt(file, 1);
        continue;
      }
      const match = ENTRY.exec(line);
      if (!match?.[1] || !match[2]) throw corrupt(file, index + 1);
      const forgetAfterS = Number(match[1]);
      if (forgetAfterS >= nowS)
        journal.#entries.set(match[2], Math.max(forgetAfterS, journal.#entries.get(match[2]) ?? 0));
    }
    journal.#lines = Math.max(lines.length - 1, 0);
    journal.#bytes = Buffer.byteLength(text);
    journal.#sweptAtS = nowS;
    if (torn || journal.#lines !== journal.#entries.size || journal.#entries.size === 0) journal.#compact();
    return journal;
  }

  /**
   * Records the assertion `key` (client id and jti) as used until `forgetAfterS`, durably, and
   * answers true; answers false when it was used before (a replay). Throws when the entry cannot
   * be written: the token must then not be issued.
   */
  claim(key: string, forgetAfterS: number, nowS: number): boolean {
    const digest = createHash("sha256").update(key).digest("base64url");
    if (this.#entries.has(digest)) return false;
    this.#sweep(nowS);
    // In memory first: should the write fail, the assertion stays refused in this run.
    this.#entries.set(digest, forgetAfterS);
    this.#append(`${forgetAfterS} ${digest}\n`);
    const expired = this.#lines - this.#entries.size;
    if (expired >= COMPACT_AFTER_EXPIRED_ENTRIES && expired > this.#entries.size) this.#compact();
    return true;
  }

  /** Releases the file. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Forgets expired entries, at most once a second (a pass over every entry). */
  #sweep(nowS: number): void {
    if (nowS === this.#sweptAtS) return;
    this.#sweptAtS = nowS;
    for (const [digest, forgetAfterS] of this.#entries) if (forgetAfterS < nowS) this.#entries.delete(digest);
  }

  #append(line: string): void {
    const created = this.#bytes === 0;
    const text = Buffer.from(created ? `${HEADER}\n${line}` : line);
    if (this.#fd === undefined) {
      this.#fd = openSync(this.#file, "a", 0o600);
      fchmodSync(this.#fd, 0o600);
    }
    try {
      if (writeSync(this.#fd, text) !== text.length)
        throw new Error(`${this.#file}: short write (disk full?)`);
      fdatasyncSync(this.#fd);
      // A new file's name must survive a crash too, or its synced entries go with it.
      if (created) syncFolder(path.dirname(this.#file));
    } catch (error) {
      // Cut a partial line off, so the next append starts on a line of its own.
      try {
        ftruncateSync(this.#fd, this.#bytes);
      } catch {
        // the next load drops a torn last line anyway
      }
      throw error;
    }
    this.#bytes += text.length;
    this.#lines += 1;
  }

  /** Rewrites the file with the live entries only (atomically, synced), or removes it if none. */
  #compact(): void {
    this.close();
    if (this.#entries.size === 0) {
      rmSync(this.#file, { force: true });
      syncFolder(path.dirname(this.#file));
      this.#bytes = 0;
    } else {
      const text = [HEADER, ...[...this.#entries].map(([digest, s]) => `${s} ${digest}`), ""].join("\n");
      writePrivateFile(this.#file, text);
      this.#bytes = Buffer.byteLength(text);
    }
    this.#lines = this.#entries.size;
  }
}
