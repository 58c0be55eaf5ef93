/**
 * The exit codes of every `m2m` command, in one table, so scripts and CI can tell a negative
 * answer (1) from a command that could not answer at all (2) and from a finding that must stop a
 * deploy (3, 4). The README's "Exit codes" table and `m2m --help` show the same.
 */
export const EXIT = {
  /** The command did what was asked, and found nothing wrong. */
  ok: 0,
  /** A negative result: verify reached none or not all of its own targets, smoke missed, drift found, diff has changes. */
  negative: 1,
  /**
   * Usage, input or internal error: bad flags, an invalid or unknown stack, unreadable input, no
   * local environment (or one serving another stack); for verify also a bad signature, the
   * issuer's keys that cannot be fetched (said as such, not as a bad signature), and `--outputs`
   * of another stack or giving one client id to two workloads.
   */
  error: 2,
  /** Isolation breach: another workload's or tenant's target accepts the token. */
  isolationBreach: 3,
  /** A security-relevant difference: m2m diff found trust, reach, grants, replacements or Action code changed. */
  securityDiff: 4,
} as const;

/** One of the codes above. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** One line per code, for `m2m --help`. */
export const EXIT_CODE_LINES: readonly string[] = [
  `${EXIT.ok} ok`,
  `${EXIT.negative} a negative result (verify: the token does not reach all of its own targets; smoke: a miss; drift: drift found; diff: changes)`,
  `${EXIT.error} usage, input or internal error`,
  `${EXIT.isolationBreach} isolation breach (verify: another workload's target accepts the token)`,
  `${EXIT.securityDiff} security-relevant difference (diff: trust, reach, grants, replacements, Action code)`,
];
