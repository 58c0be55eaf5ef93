import type { EnvironmentIssue } from "./errors.ts";
import type { EnvironmentConfig } from "./schema.ts";

/** Every violation a rule finds in a config, each with its path and the fix. */
export type RuleCheck = (config: EnvironmentConfig, envName: string) => EnvironmentIssue[];

/** A rule that relates fields of the environment to each other. */
export interface Rule {
  readonly check: RuleCheck;
  /**
   * The parts of the config the check reads, as dotted paths (`apis`, `auth0.plan`). When the
   * schema refuses the shape of a part, the rules that read it are not run (salvage.ts); a test
   * holds each check to its list.
   */
  readonly reads: readonly string[];
}

/** Whether `a` and `b` are one part, or one lies inside the other (`apis` and `apis.2.key`). */
function overlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * The findings of every rule whose parts are whole, in rule order. `broken` lists the dotted
 * paths of the parts whose shape the schema refused (none once the schema passed).
 */
export function ruleIssues(
  rules: readonly Rule[],
  config: EnvironmentConfig,
  envName: string,
  broken: readonly string[] = [],
): EnvironmentIssue[] {
  return rules
    .filter((rule) => !rule.reads.some((part) => broken.some((path) => overlap(part, path))))
    .flatMap((rule) => rule.check(config, envName));
}

/** The index and key of every item whose key an earlier item already has. */
export function duplicates<T>(items: readonly T[], key: (item: T) => string): [number, string][] {
  const seen = new Set<string>();
  const found: [number, string][] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) found.push([i, k]);
    seen.add(k);
  });
  return found;
}
