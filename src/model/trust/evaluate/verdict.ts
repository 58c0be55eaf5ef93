/** One check a cloud makes of a token, and whether it passed. */
export interface Check {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

/** Whether a cloud would accept a token, and every check that decided it. */
export interface Verdict {
  readonly accepted: boolean;
  readonly checks: readonly Check[];
}

/** A token's claims as a cloud reads them. */
export type Claims = Readonly<Record<string, unknown>>;

/** Builds a verdict from checks: accepted only when every check passed. */
export function verdict(checks: readonly Check[]): Verdict {
  return { accepted: checks.every((c) => c.passed), checks };
}

/** The `aud` claim as a list. */
export function audiences(claims: Claims): string[] {
  const aud = claims.aud;
  return Array.isArray(aud)
    ? aud.filter((a): a is string => typeof a === "string")
    : typeof aud === "string"
      ? [aud]
      : [];
}
