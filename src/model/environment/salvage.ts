import type { EnvironmentIssue } from "./errors.ts";
import { type EnvironmentConfig, environmentSchema } from "./schema.ts";

/**
 * The part of a refused `m2m:environment` value the rules can still check, so that one run
 * reports the schema's problems and the rules' together (docs/configuration.md, "Validation").
 *
 * A value refused for its content (a pattern, a range, a length, a refinement) keeps its place,
 * as written, with defaults applied around it and unknown keys dropped: the rules check it like
 * any other. A value of the wrong shape (wrong type, missing, no member of its enum or union)
 * cannot be read by any rule:
 * - inside a tenant, that tenant is set aside and the rules check the others; their findings
 *   keep each tenant's own index;
 * - anywhere else, its part is broken, and the rules that read the part are not run
 *   (Rule.reads).
 */
export interface Salvage {
  /** The value as far as it parsed, without the tenants set aside. */
  readonly config: EnvironmentConfig;
  /** Dotted paths of the values of the wrong shape outside tenants, e.g. `auth0.domain`. */
  readonly broken: readonly string[];
  /** A rule's finding with the tenant indexes of `config` turned back into the value's. */
  renumber(issue: EnvironmentIssue): EnvironmentIssue;
}

/**
 * What the schema made of `raw`: its output as far as it got, and the paths of the values of
 * the wrong shape (the issues after which zod checks nothing further there: `continue` unset).
 * zod's public parse returns no output on failure, so this runs the schema the way `safeParse`
 * does, through `_zod.run`; zod's version is pinned, and test/model/environment/salvage.test.ts holds it to
 * this behaviour.
 */
function partialParse(raw: unknown): { value: unknown; wrongShape: readonly PropertyKey[][] } | undefined {
  const result = environmentSchema._zod.run({ value: raw, issues: [] }, { async: false });
  if (result instanceof Promise) return undefined;
  return {
    value: result.value,
    wrongShape: result.issues.filter((issue) => issue.continue !== true).map((issue) => issue.path ?? []),
  };
}

/**
 * The part of `raw` the rules can check, or undefined when there is none (the value is no
 * object at all). Call it only for a value the schema refused.
 */
export function salvage(raw: unknown): Salvage | undefined {
  const parsed = partialParse(raw);
  if (!parsed || parsed.wrongShape.some((path) => path.length === 0)) return undefined;
  const setAside = new Set<number>();
  const broken: string[] = [];
  for (const path of parsed.wrongShape) {
    const [part, index] = path;
    if (part === "tenants" && typeof index === "number") setAside.add(index);
    else broken.push(path.map(String).join("."));
  }
  const value = parsed.value as EnvironmentConfig;
  // Not a list, `tenants` is broken, and no rule reading it runs.
  if (!Array.isArray(value.tenants)) return { config: value, broken, renumber: (issue) => issue };
  const kept = value.tenants.flatMap((_, i) => (setAside.has(i) ? [] : [i]));
  const renumber = (text: string) =>
    text.replace(/\btenants\[(\d+)\]/g, (_, i: string) => `tenants[${kept[Number(i)] ?? i}]`);
  return {
    config: { ...value, tenants: value.tenants.filter((_, i) => !setAside.has(i)) },
    broken,
    renumber: (issue) => ({ path: renumber(issue.path), message: renumber(issue.message) }),
  };
}
