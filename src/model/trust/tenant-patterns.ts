/**
 * Tenant resource patterns: the model's declaration of which cloud resources belong to which
 * tenant, written once as a template (`arn:aws:s3:::acme-{env}-data/{tenant}/*`) and
 * instantiated per tenant. Isolation rests on two checks made here: a template must tell any
 * two tenants apart on its own (`tenantPatternProblems`), and the instantiated patterns of
 * different templates must not overlap across tenants (`overlappingTenantPatterns`).
 * Dependency-free on purpose, like tenant-id.ts: only the IAM wildcard rules are shared.
 */
import { hasIamWildcard } from "./evaluate/iam-pattern.ts";

/** What a template is instantiated with: the stack, the tenant and, for per-workload patterns, the workload. */
export type PatternContext = { readonly env: string; readonly tenant: string; readonly workload?: string };

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(["env", "tenant", "workload"]);
/**
 * What may not follow `{tenant}` or `{workload}`: a character that can continue an id, or stand
 * for more of one (a wildcard, another placeholder). Upper case too: some clouds compare names
 * case-insensitively (Azure).
 */
const CONTINUES_ID = /[A-Za-z0-9*?{-]/;

/**
 * The pattern for one tenant: `{env}`, `{tenant}` and `{workload}` replaced by the context's
 * values. Unknown placeholders are left as written (`tenantPatternProblems` refuses them).
 * Throws if the pattern has `{workload}` and the context names none, rather than leaving a
 * literal `{workload}` that matches nothing and hides the mistake.
 */
export function instantiatePattern(pattern: string, context: PatternContext): string {
  return pattern.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === "env") return context.env;
    if (name === "tenant") return context.tenant;
    if (name !== "workload") return whole;
    if (context.workload === undefined) {
      throw new Error(
        `The pattern "${pattern}" has {workload} but no workload was given: it can only be instantiated per workload.`,
      );
    }
    return context.workload;
  });
}

/**
 * What keeps a template from telling tenants apart, one sentence each with the fix; empty when
 * none. A template separates tenants when its literal text pins where the tenant id starts
 * (nothing variable before the first `{tenant}`) and where it ends (each `{tenant}` and
 * `{workload}` is followed by the end or a character no id can hold). Then two tenants'
 * instantiations differ at a fixed position in every string either could match.
 */
export function tenantPatternProblems(pattern: string): string[] {
  const problems = new Set<string>();
  const placeholders = [...pattern.matchAll(PLACEHOLDER)];
  const firstTenant = placeholders.find((m) => m[1] === "tenant");
  if (!firstTenant) {
    problems.add(
      `The pattern "${pattern}" has no {tenant}, so it names the same resources for every tenant; put {tenant} in it, e.g. "arn:aws:s3:::acme-{tenant}/*".`,
    );
  }
  for (const m of placeholders) {
    const [whole, name = ""] = m;
    if (!KNOWN.has(name)) {
      problems.add(`"${whole}" is not a placeholder; use {env}, {tenant} or {workload}.`);
      continue;
    }
    // {env} is one fixed name in a stack, without '-': it pins the text as a literal would.
    if (firstTenant && m.index < firstTenant.index && name !== "env") {
      problems.add(
        `"${whole}" comes before the first {tenant}, so the text before the tenant id is not fixed and cannot pin where it starts; write the part before {tenant} literally.`,
      );
    }
    const next = pattern[m.index + whole.length];
    if ((name === "tenant" || name === "workload") && next !== undefined && CONTINUES_ID.test(next)) {
      problems.add(
        `"${whole}" is followed by "${next}", so it does not pin where the id ends and also matches another ${name} whose id extends this one: "acme-dev-{tenant}-*" for tenant "abc" matches "acme-dev-abc-def-x" of tenant "abc-def". End the pattern after ${whole} or follow it with a character no id holds, such as '/', ':', '_' or '.'.`,
      );
    }
  }
  if (firstTenant && hasIamWildcard(pattern.slice(0, firstTenant.index))) {
    problems.add(
      `The pattern "${pattern}" has a wildcard (* or ?) before the first {tenant}, so it does not pin where the tenant id starts and can match another tenant's resources; write the part before {tenant} literally.`,
    );
  }
  return [...problems];
}

/**
 * Whether some string matches both IAM globs (`*` any run, possibly empty; `?` one character;
 * all else literal and case-sensitive). Exact: literal ends compared directly, then a DP over
 * position pairs of what lies between, O(len(a) × len(b)), where ok[i][j] says whether the
 * suffixes a[i..] and b[j..] match a common string.
 * Plain glob semantics: ARN matching, where `*` stops at ':', matches less, so an overlap
 * missed here cannot exist there.
 */
export function globsIntersect(left: string, right: string): boolean {
  // Literal characters at either end must be the same on both sides: compared directly, they
  // settle most pairs (tenants' patterns differ in the tenant id) in one pass, and shorten the DP.
  const literal = (c: string | undefined) => c !== undefined && c !== "*" && c !== "?";
  let start = 0;
  let endA = left.length;
  let endB = right.length;
  while (start < endA && start < endB && literal(left[start]) && literal(right[start])) {
    if (left[start] !== right[start]) return false;
    start++;
  }
  while (endA > start && endB > start && literal(left[endA - 1]) && literal(right[endB - 1])) {
    if (left[endA - 1] !== right[endB - 1]) return false;
    endA--;
    endB--;
  }
  const a = left.slice(start, endA);
  const b = right.slice(start, endB);
  const width = b.length + 1;
  const ok = new Uint8Array((a.length + 1) * width);
  const at = (i: number, j: number) => ok[i * width + j] === 1;
  for (let i = a.length; i >= 0; i--) {
    for (let j = b.length; j >= 0; j--) {
      const x = a[i];
      const y = b[j];
      let value: boolean;
      if (x === undefined && y === undefined) value = true;
      // A star matches nothing more, or also the other side's next character (or star).
      else if (x === "*") value = at(i + 1, j) || (y !== undefined && at(i, j + 1));
      else if (y === "*") value = at(i, j + 1) || (x !== undefined && at(i + 1, j));
      else
        value = x !== undefined && y !== undefined && (x === y || x === "?" || y === "?") && at(i + 1, j + 1);
      ok[i * width + j] = value ? 1 : 0;
    }
  }
  return at(0, 0);
}

/** An instantiated pattern, with the tenant it belongs to and where in the config it is declared. */
type TenantPatternEntry = { readonly tenant: string; readonly pattern: string; readonly at: string };

/**
 * Every pair of entries of different tenants whose patterns some resource matches both, in
 * input order (`a` before `b`). Catches what `tenantPatternProblems` cannot see across
 * templates: `arn:aws:s3:::acme-{tenant}/*` for tenant `dev-x` and `arn:aws:s3:::acme-dev-{tenant}/*`
 * for tenant `x` both match `arn:aws:s3:::acme-dev-x/a`.
 *
 * Two globs can only intersect if one's literal prefix (the text before its first wildcard) is
 * a prefix of the other's. Sorted by literal prefix, the entries whose prefix extends a given
 * one form a contiguous run after it, so a scan keeping a stack of the chain of prefixes of the
 * current one compares each entry only with its chain. O(n log n · L) to sort plus one
 * globsIntersect (O(L²)) per entry on each chain: near-linear when tenants' prefixes are
 * distinct, quadratic only when many prefixes nest (e.g. many starting with a wildcard).
 */
export function overlappingTenantPatterns<E extends TenantPatternEntry>(
  entries: readonly E[],
): { readonly a: E; readonly b: E }[] {
  const prefixOf = (pattern: string) => {
    const wildcard = pattern.search(/[*?]/);
    return wildcard < 0 ? pattern : pattern.slice(0, wildcard);
  };
  const sorted = entries
    .map((entry, index) => ({ entry, index, prefix: prefixOf(entry.pattern) }))
    .sort((x, y) => (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : x.index - y.index));
  const pairs: [number, number][] = [];
  const chain: typeof sorted = [];
  for (const current of sorted) {
    while (chain.length > 0 && !current.prefix.startsWith(chain.at(-1)?.prefix ?? "")) chain.pop();
    for (const earlier of chain) {
      if (
        earlier.entry.tenant !== current.entry.tenant &&
        globsIntersect(earlier.entry.pattern, current.entry.pattern)
      ) {
        pairs.push(
          earlier.index < current.index ? [earlier.index, current.index] : [current.index, earlier.index],
        );
      }
    }
    chain.push(current);
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return pairs.map(([i, j]) => ({ a: entries[i] as E, b: entries[j] as E }));
}
