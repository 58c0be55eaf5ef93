/**
 * IAM's condition operators, from the IAM User Guide's "Condition operators" and "Single-valued
 * and multivalued context keys" pages:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 *
 * - Key names are case-insensitive, values case-sensitive except for the IgnoreCase forms.
 * - Within a block every operator must hold, within an operator every key; the values of one
 *   key are alternatives (OR). A negated operator holds when the request value matches none of
 *   them (a NOR).
 * - A key the request lacks: a positive operator is false, a negated one true; `IfExists` makes
 *   any operator true; `ForAllValues:` is true (and on an empty set), `ForAnyValue:` false.
 * - `Null: true` holds when the key is absent, `Null: false` when it is present.
 */

import { arnMatches, iamMatches } from "./iam-pattern.ts";
import { type SingleValue, substituteVariables, unknownVariableIn } from "./iam-variables.ts";

/** The request's context keys, by lower-cased name, each with its values. */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

/** A request context from keys in any case. Booleans and numbers become IAM's strings. */
export function requestContext(
  keys: Readonly<Record<string, string | number | boolean | readonly (string | number | boolean)[]>>,
): RequestContext {
  return new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), [v].flat().map(String)]));
}

type Compare = (request: string, policy: string) => boolean;

interface Operator {
  readonly compare: Compare;
  /** A Not operator: true when no policy value matches. */
  readonly negated: boolean;
  /** Policy variables are substituted in its values (string and ARN operators). */
  readonly variables: boolean;
}

const number = (s: string) => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : Number.NaN);
/** IAM dates: ISO 8601, or epoch seconds. */
const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
const numeric = (cmp: (a: number, b: number) => boolean, parse: (s: string) => number) => {
  return (r: string, p: string) => {
    const a = parse(r);
    const b = parse(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && cmp(a, b);
  };
};

function ipv4(address: string): bigint | undefined {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function ipv6(address: string): bigint | undefined {
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] ?? "");
  const tail = groups(halves[1] ?? "");
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(Math.max(fill, 0)).fill("0"), ...tail];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

/** Whether `address` lies in `cidr` (a bare address is a /32 or /128). */
function inCidr(address: string, cidr: string): boolean {
  const [network = "", bits] = cidr.split("/");
  const v6 = network.includes(":");
  const width = v6 ? 128 : 32;
  const parse = v6 ? ipv6 : ipv4;
  const a = address.includes(":") === v6 ? parse(address) : undefined;
  const n = parse(network);
  const prefix = bits === undefined ? width : Number(bits);
  if (a === undefined || n === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > width)
    return false;
  const shift = BigInt(width - prefix);
  return a >> shift === n >> shift;
}

const equalsIgnoreCase: Compare = (r, p) => r.toLowerCase() === p.toLowerCase();
const bool: Compare = (r, p) => r.toLowerCase() === p.toLowerCase();
const base64: Compare = (r, p) => Buffer.from(r).toString("base64") === p;

const OPERATORS: Readonly<Record<string, Operator>> = {
  stringequals: { compare: (r, p) => r === p, negated: false, variables: true },
  stringnotequals: { compare: (r, p) => r === p, negated: true, variables: true },
  stringequalsignorecase: { compare: equalsIgnoreCase, negated: false, variables: true },
  stringnotequalsignorecase: { compare: equalsIgnoreCase, negated: true, variables: true },
  stringlike: { compare: (r, p) => iamMatches(p, r), negated: false, variables: true },
  stringnotlike: { compare: (r, p) => iamMatches(p, r), negated: true, variables: true },
  numericequals: { compare: numeric((a, b) => a === b, number), negated: false, variables: false },
  numericnotequals: { compare: numeric((a, b) => a === b, number), negated: true, variables: false },
  numericlessthan: { compare: numeric((a, b) => a < b, number), negated: false, variables: false },
  numericlessthanequals: { compare: numeric((a, b) => a <= b, number), negated: false, variables: false },
  numericgreaterthan: { compare: numeric((a, b) => a > b, number), negated: false, variables: false },
  numericgreaterthanequals: { compare: numeric((a, b) => a >= b, number), negated: false, variables: false },
  dateequals: { compare: numeric((a, b) => a === b, date), negated: false, variables: false },
  datenotequals: { compare: numeric((a, b) => a === b, date), negated: true, variables: false },
  datelessthan: { compare: numeric((a, b) => a < b, date), negated: false, variables: false },
  datelessthanequals: { compare: numeric((a, b) => a <= b, date), negated: false, variables: false },
  dategreaterthan: { compare: numeric((a, b) => a > b, date), negated: false, variables: false },
  dategreaterthanequals: { compare: numeric((a, b) => a >= b, date), negated: false, variables: false },
  bool: { compare: bool, negated: false, variables: false },
  binaryequals: { compare: base64, negated: false, variables: false },
  ipaddress: { compare: inCidr, negated: false, variables: false },
  notipaddress: { compare: inCidr, negated: true, variables: false },
  arnequals: { compare: (r, p) => arnMatches(p, r), negated: false, variables: true },
  arnlike: { compare: (r, p) => arnMatches(p, r), negated: false, variables: true },
  arnnotequals: { compare: (r, p) => arnMatches(p, r), negated: true, variables: true },
  arnnotlike: { compare: (r, p) => arnMatches(p, r), negated: true, variables: true },
};

/** An operator as written: `ForAnyValue:StringLikeIfExists` and the like. */
interface ParsedOperator {
  readonly name: string;
  readonly qualifier: "ForAnyValue" | "ForAllValues" | undefined;
  readonly ifExists: boolean;
  /** `Null`, which tests presence rather than values. */
  readonly isNull: boolean;
  readonly operator: Operator | undefined;
}

/** Parses an operator name; `operator` and `isNull` both unset when IAM does not know it. */
export function parseOperator(written: string): ParsedOperator {
  const qualified = /^(ForAnyValue|ForAllValues):(.+)$/i.exec(written);
  const qualifier = qualified
    ? (qualified[1] ?? "").toLowerCase() === "foranyvalue"
      ? "ForAnyValue"
      : "ForAllValues"
    : undefined;
  const rest = (qualified?.[2] ?? written).toLowerCase();
  const isNull = rest === "null" && qualifier === undefined;
  const ifExists = !isNull && rest.endsWith("ifexists");
  const name = ifExists ? rest.slice(0, -"ifexists".length) : rest;
  // Own properties only: `constructor` or `__proto__` is no operator IAM knows.
  const operator = !isNull && Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
  return { name: written, qualifier, ifExists, isNull, operator };
}

/**
 * The outcome of one condition block: whether it holds, and each failing test as a reason.
 * `maybe` lists the keys a test needed that the caller could not know (see `unknownKeys`): the
 * block may hold or not depending on them.
 */
export interface ConditionResult {
  readonly holds: boolean;
  readonly reasons: readonly string[];
  readonly maybe: readonly string[];
}

/** The values of one key as the policy gives them (a string, a number, a boolean or a list). */
export type PolicyValues = string | number | boolean | readonly (string | number | boolean)[];

/**
 * How to treat a key the request context lacks: `absent` (IAM's reading of a real request, the
 * default), or `may-hold` for a checker that builds only part of the context: a test on such a
 * key, or a variable naming one, is reported in `maybe` instead of deciding the block.
 */
export type UnknownKeys = "absent" | "may-hold";

/**
 * Evaluates a statement's Condition block against a request. `variables` enables policy
 * variables (policy version 2012-10-17). Malformed blocks never get here: the policy parser
 * reports them.
 */
export function evaluateCondition(
  block: Readonly<Record<string, Readonly<Record<string, PolicyValues>>>>,
  context: RequestContext,
  variables: boolean,
  unknownKeys: UnknownKeys = "absent",
): ConditionResult {
  const reasons: string[] = [];
  const maybe: string[] = [];
  const knows = (key: string) => unknownKeys === "absent" || context.has(key.toLowerCase());
  const single: SingleValue = (key) => {
    const values = context.get(key.toLowerCase());
    return values?.length === 1 ? values[0] : undefined;
  };
  for (const [written, keys] of Object.entries(block)) {
    const op = parseOperator(written);
    for (const [key, raw] of Object.entries(keys)) {
      const wanted = [raw].flat().map(String);
      if (!knows(key)) {
        maybe.push(key);
        continue;
      }
      const actual = context.get(key.toLowerCase()) ?? [];
      const present = actual.length > 0;
      if (op.isNull) {
        // Values of one key are alternatives: ["true", "false"] holds either way.
        const holds = wanted.some((w) => (w.toLowerCase() === "true") !== present);
        if (!holds) reasons.push(`Null ${key}: the key is ${present ? "present" : "absent"} in the request`);
        continue;
      }
      const operator = op.operator;
      if (!operator) continue;
      const unknownVariable =
        operator.variables && variables && wanted.some((w) => unknownVariableIn(w, knows));
      if (unknownVariable) {
        maybe.push(key);
        continue;
      }
      const policyValues = wanted.flatMap((w) => {
        if (!operator.variables || !variables) return [w];
        const substituted = substituteVariables(w, single);
        return substituted === undefined ? [] : [substituted];
      });
      const matchesAny = (value: string) => policyValues.some((p) => operator.compare(value, p));
      /** One request value against the operator: a NOR of the policy values when negated. */
      const holdsFor = (value: string) => (operator.negated ? !matchesAny(value) : matchesAny(value));
      let holds: boolean;
      if (!present) {
        holds =
          op.ifExists || op.qualifier === "ForAllValues" || (op.qualifier === undefined && operator.negated);
      } else if (op.qualifier === "ForAllValues") {
        holds = actual.every(holdsFor);
      } else if (op.qualifier === "ForAnyValue") {
        holds = actual.some(holdsFor);
      } else {
        holds = operator.negated ? actual.every(holdsFor) : actual.some(holdsFor);
      }
      if (!holds) {
        reasons.push(
          !present
            ? `${key} is not in the request (${written} on a missing key fails)`
            : `${written} ${key}: ${actual.join(",")} ${operator.negated ? "matches" : "is not"} ${wanted.join(" or ")}`,
        );
      }
    }
  }
  return { holds: reasons.length === 0 && maybe.length === 0, reasons, maybe };
}
