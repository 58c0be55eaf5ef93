/**
 * IAM's wildcard matching: `*` any run of characters, `?` exactly one. Actions compare
 * case-insensitively (`STS:assumerole*` allows sts:AssumeRoleWithWebIdentity); resources and
 * condition values case-sensitively.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function iamMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  // Linear-time glob matching (no regular expression, so no catastrophic backtracking on
  // patterns such as `*?*?*?#`): greedy `*` with one backtrack point.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    const c = p[pi];
    if (c === "?" || (c !== undefined && c !== "*" && literal(c) === v[vi])) {
      pi++;
      vi++;
    } else if (c === "*") {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

/** A pattern character as the value holds it: an escaped wildcard is the wildcard itself. */
const literal = (c: string) => (c === LITERAL_WILDCARD["*"] ? "*" : c === LITERAL_WILDCARD["?"] ? "?" : c);

/**
 * Private-use characters that stand for a `*` or `?` to be compared literally: what the policy
 * variables `${*}` and `${?}` become, so that matching does not read them as wildcards.
 */
export const LITERAL_WILDCARD = { "*": "\u{F8FF}", "?": "\u{F8FE}" } as const;

/** Whether an IAM string holds a wildcard (`*` or `?`), so it names a set rather than one value. */
export function hasIamWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

/** A value that names a set rather than one string: an IAM wildcard or a policy variable. */
export const namesASet = (value: string): boolean => hasIamWildcard(value) || value.includes("${");

/** The six colon-separated parts of an ARN, the last keeping any further colons; undefined if not an ARN. */
function arnParts(value: string): string[] | undefined {
  const parts = value.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/**
 * ARN matching as the `Resource` element and the `Arn*` condition operators do it: each of the
 * six parts is matched on its own, with wildcards, so `*` never reaches across a part. A pattern
 * that is not an ARN (`*`) is matched whole.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function arnMatches(pattern: string, value: string): boolean {
  const p = arnParts(pattern);
  // An ARN-shaped pattern with too few parts names no resource.
  if (!p) return !pattern.startsWith("arn:") && iamMatches(pattern, value);
  const v = arnParts(value);
  return v !== undefined && p.every((part, i) => iamMatches(part, v[i] ?? ""));
}
