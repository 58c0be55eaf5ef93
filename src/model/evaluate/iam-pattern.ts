/**
 * IAM's wildcard matching: `*` any run of characters, `?` exactly one. Actions compare
 * case-insensitively (`STS:assumerole*` allows sts:AssumeRoleWithWebIdentity); resources and
 * condition values case-sensitively.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function iamMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  if (!hasIamWildcard(pattern)) {
    const literal = unescapeWildcards(pattern);
    return caseInsensitive ? literal.toLowerCase() === value.toLowerCase() : literal === value;
  }
  return compiled(pattern, caseInsensitive).test(value);
}

/** Compiled patterns: checks try the same few patterns against many values. */
const COMPILED = new Map<string, RegExp>();
const COMPILED_MAX = 10_000;

function compiled(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let regex = COMPILED.get(key);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[\\s\\S]*")
      .replace(/\?/g, "[\\s\\S]")
      .replaceAll(LITERAL_WILDCARD["*"], "\\*")
      .replaceAll(LITERAL_WILDCARD["?"], "\\?");
    regex = new RegExp(`^${source}$`, caseInsensitive ? "i" : "");
    if (COMPILED.size >= COMPILED_MAX) COMPILED.clear();
    COMPILED.set(key, regex);
  }
  return regex;
}

/**
 * Private-use characters that stand for a `*` or `?` to be compared literally: what the policy
 * variables `${*}` and `${?}` become, so that matching does not read them as wildcards.
 */
export const LITERAL_WILDCARD = { "*": "\u{F8FF}", "?": "\u{F8FE}" } as const;

const unescapeWildcards = (text: string) =>
  text.replaceAll(LITERAL_WILDCARD["*"], "*").replaceAll(LITERAL_WILDCARD["?"], "?");

/** Whether an IAM string holds a wildcard (`*` or `?`), so it names a set rather than one value. */
export function hasIamWildcard(value: string): boolean {
  return /[*?]/.test(value);
}

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
