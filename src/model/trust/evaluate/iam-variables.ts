/**
 * IAM policy variables: `${aws:PrincipalTag/tenant_id}`, with an optional default
 * (`${aws:PrincipalTag/team, 'none'}`) and the escapes `${*}`, `${?}`, `${$}`. Substituted only
 * in policies of version 2012-10-17, in the Resource element and in string and ARN condition
 * values. A variable whose key the request lacks (or that is multivalued) and that has no default
 * has no value, so the string it stands in matches nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */

import { LITERAL_WILDCARD } from "./iam-pattern.ts";

const VARIABLE = /\$\{([^}]*)\}/g;
const ESCAPES: Readonly<Record<string, string>> = {
  "*": LITERAL_WILDCARD["*"],
  "?": LITERAL_WILDCARD["?"],
  $: "$",
};
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

/** Looks a request key up (names are case-insensitive); a single value, or undefined. */
export type SingleValue = (key: string) => string | undefined;

/**
 * `text` with its variables replaced, or undefined when one has no value. An escaped `*` or `?`
 * becomes its LITERAL_WILDCARD, which matching compares literally.
 */
export function substituteVariables(text: string, lookup: SingleValue): string | undefined {
  let missing = false;
  const result = text.replace(VARIABLE, (_, inner: string) => {
    const escaped = Object.hasOwn(ESCAPES, inner.trim()) ? ESCAPES[inner.trim()] : undefined;
    if (escaped !== undefined) return escaped;
    const withDefault = WITH_DEFAULT.exec(inner);
    const key = (withDefault?.[1] ?? inner).trim();
    const value = lookup(key) ?? withDefault?.[2];
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? undefined : result;
}

/** Whether `text` names a variable whose key `knows` says is not known (and has no default). */
export function unknownVariableIn(text: string, knows: (key: string) => boolean): boolean {
  return [...text.matchAll(VARIABLE)].some(([, inner = ""]) => {
    if (Object.hasOwn(ESCAPES, inner.trim()) || WITH_DEFAULT.test(inner)) return false;
    return !knows(inner.trim());
  });
}
