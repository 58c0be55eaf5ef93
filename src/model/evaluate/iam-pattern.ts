/**
 * IAM's wildcard matching (`*` any run of characters, `?` one character), case-insensitive for
 * actions as IAM compares them: `sts:*` and `*` allow sts:AssumeRoleWithWebIdentity too.
 */
export function iamMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, caseInsensitive ? "i" : "").test(value);
}

/** Whether a statement's Action (a string or a list, with wildcards) allows `action`. */
export function allowsAction(actions: string | readonly string[], action: string): boolean {
  return [actions].flat().some((a) => iamMatches(a, action, true));
}
