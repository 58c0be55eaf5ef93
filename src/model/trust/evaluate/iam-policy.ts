/**
 * One IAM policy evaluator with IAM's semantics, used by the trust evaluator (STS), the
 * invariants, the policy pack and `verify` alike. Statements are read defensively: a policy is
 * whatever JSON a stack holds, and a malformed statement is reported as a finding and grants
 * nothing (IAM refuses such a policy outright), rather than throwing and hiding the rest.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

import {
  evaluateCondition,
  type PolicyValues,
  parseOperator,
  type RequestContext,
  type UnknownKeys,
} from "./iam-condition.ts";
import { arnMatches, hasIamWildcard, iamMatches } from "./iam-pattern.ts";
import { substituteVariables, unknownVariableIn } from "./iam-variables.ts";

/** The kinds of principal a resource-based or trust policy names. */
export type PrincipalKind = "AWS" | "Federated" | "Service" | "CanonicalUser";

/** A `Principal` element read: `*`, or ids by kind. */
export type PrincipalElement = "*" | Readonly<Partial<Record<PrincipalKind, readonly string[]>>>;

/** A statement as IAM reads it, each element normalised to lists. */
export interface IamStatement {
  readonly sid: string | undefined;
  /** Where it stands in the policy: `Statement[2]`. */
  readonly at: string;
  readonly effect: "Allow" | "Deny";
  readonly principal?: PrincipalElement;
  readonly notPrincipal?: PrincipalElement;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly condition: Readonly<Record<string, Readonly<Record<string, PolicyValues>>>>;
}

/** A policy read: its well-formed statements, and a finding for each part IAM would refuse. */
export interface IamPolicy {
  /** Policy variables are substituted only under 2012-10-17. */
  readonly variables: boolean;
  readonly statements: readonly IamStatement[];
  readonly findings: readonly string[];
}

/** Which elements a policy of this kind must or must not have. */
export type PolicyKind = "identity" | "resource";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const stringList = (v: unknown): string[] | undefined => {
  const list = [v].flat();
  return list.length > 0 && list.every((x) => typeof x === "string") ? (list as string[]) : undefined;
};

function readPrincipal(value: unknown, at: string, findings: string[]): PrincipalElement | undefined {
  if (value === "*") return "*";
  if (!isRecord(value)) {
    findings.push(`${at}: must be "*" or an object of principal kinds`);
    return undefined;
  }
  const element: Partial<Record<PrincipalKind, readonly string[]>> = {};
  for (const [kind, ids] of Object.entries(value)) {
    const list = stringList(ids);
    if (!["AWS", "Federated", "Service", "CanonicalUser"].includes(kind) || !list) {
      findings.push(`${at}.${kind}: not a principal kind with string ids`);
      return undefined;
    }
    // IAM allows "*" alone, never a wildcard inside a principal.
    const partial = list.find((id) => id !== "*" && hasIamWildcard(id));
    if (partial !== undefined) {
      findings.push(`${at}.${kind}: ${partial} has a wildcard, which IAM refuses in a principal`);
      return undefined;
    }
    element[kind as PrincipalKind] = list;
  }
  return element;
}

function readStatement(
  raw: unknown,
  at: string,
  kind: PolicyKind,
  findings: string[],
): IamStatement | undefined {
  const before = findings.length;
  if (!isRecord(raw)) {
    findings.push(`${at}: a statement must be an object`);
    return undefined;
  }
  const effect = raw.Effect;
  if (effect !== "Allow" && effect !== "Deny") findings.push(`${at}.Effect: must be "Allow" or "Deny"`);
  const pair = (name: string, not: string, required: boolean) => {
    const has = raw[name] !== undefined;
    const hasNot = raw[not] !== undefined;
    if (has && hasNot) findings.push(`${at}: has both ${name} and ${not}`);
    if (required && !has && !hasNot) findings.push(`${at}: needs ${name} or ${not}`);
    for (const element of [name, not]) {
      if (raw[element] !== undefined && !stringList(raw[element]))
        findings.push(`${at}.${element}: must be a string or a list of strings`);
    }
  };
  pair("Action", "NotAction", true);
  pair("Resource", "NotResource", kind === "identity");
  const hasPrincipal = raw.Principal !== undefined || raw.NotPrincipal !== undefined;
  if (raw.Principal !== undefined && raw.NotPrincipal !== undefined)
    findings.push(`${at}: has both Principal and NotPrincipal`);
  if (kind === "identity" && hasPrincipal) findings.push(`${at}: an identity policy names no Principal`);
  if (kind === "resource" && !hasPrincipal) findings.push(`${at}: needs Principal or NotPrincipal`);
  const principal =
    raw.Principal === undefined ? undefined : readPrincipal(raw.Principal, `${at}.Principal`, findings);
  const notPrincipal =
    raw.NotPrincipal === undefined
      ? undefined
      : readPrincipal(raw.NotPrincipal, `${at}.NotPrincipal`, findings);
  const condition = raw.Condition ?? {};
  if (!isRecord(condition)) findings.push(`${at}.Condition: must be an object`);
  else {
    for (const [operator, keys] of Object.entries(condition)) {
      const parsed = parseOperator(operator);
      if (!parsed.operator && !parsed.isNull) findings.push(`${at}.Condition: unknown operator ${operator}`);
      if (!isRecord(keys)) {
        findings.push(`${at}.Condition.${operator}: must be an object of keys`);
        continue;
      }
      for (const [key, values] of Object.entries(keys)) {
        const list = [values].flat();
        if (list.length === 0 || !list.every((v) => ["string", "number", "boolean"].includes(typeof v)))
          findings.push(`${at}.Condition.${operator}.${key}: values must be strings, numbers or booleans`);
      }
    }
  }
  if (findings.length > before) return undefined;
  return {
    sid: typeof raw.Sid === "string" ? raw.Sid : undefined,
    at,
    effect: effect as "Allow" | "Deny",
    ...(principal ? { principal } : {}),
    ...(notPrincipal ? { notPrincipal } : {}),
    ...(raw.Action !== undefined ? { action: stringList(raw.Action) } : {}),
    ...(raw.NotAction !== undefined ? { notAction: stringList(raw.NotAction) } : {}),
    ...(raw.Resource !== undefined ? { resource: stringList(raw.Resource) } : {}),
    ...(raw.NotResource !== undefined ? { notResource: stringList(raw.NotResource) } : {}),
    condition: condition as IamStatement["condition"],
  };
}

/**
 * Reads a policy document (an object or its JSON text). `kind` says whether it is an identity
 * policy (no Principal, Resource required) or a resource-based or trust policy (a Principal).
 */
export function parsePolicy(document: unknown, kind: PolicyKind): IamPolicy {
  const findings: string[] = [];
  let doc = document;
  if (typeof document === "string") {
    try {
      doc = JSON.parse(document);
    } catch {
      return { variables: false, statements: [], findings: ["the policy is not valid JSON"] };
    }
  }
  if (!isRecord(doc)) return { variables: false, statements: [], findings: ["the policy must be an object"] };
  const version = doc.Version;
  if (version !== undefined && version !== "2012-10-17" && version !== "2008-10-17")
    findings.push(`Version: ${String(version)} is not 2012-10-17 or 2008-10-17`);
  const raw = doc.Statement;
  if (raw === undefined) findings.push("the policy has no Statement");
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const statements = list.flatMap((s, i) => readStatement(s, `Statement[${i}]`, kind, findings) ?? []);
  return { variables: version === "2012-10-17", statements, findings };
}

/** A request as a policy sees it. */
export interface IamRequest {
  readonly action: string;
  /** The resource's ARN; statements without Resource (trust policies) apply to any. */
  readonly resource?: string;
  /** Who asks, for resource-based and trust policies. */
  readonly principal?: { readonly kind: PrincipalKind; readonly id: string };
  readonly context: RequestContext;
  /**
   * Keys the context lacks: absent, as in a real request (default), or unknown to a checker that
   * built only part of the context (`may-hold`): an Allow that depends on them is taken to
   * apply, a Deny not, so the decision is what the request may get at most.
   */
  readonly unknownKeys?: UnknownKeys;
}

/** IAM's decision: an explicit Deny wins over any Allow; with neither, the request is denied. */
export type Decision = "allow" | "explicit-deny" | "implicit-deny";

/** The decision, and for each statement whether it applied and why not. */
export interface PolicyResult {
  readonly decision: Decision;
  readonly statements: readonly {
    readonly at: string;
    readonly effect: "Allow" | "Deny";
    /** Applies for certain (no reasons, no unknown keys). */
    readonly applies: boolean;
    readonly reasons: readonly string[];
    /** Keys it depends on that the request did not know (`may-hold` only). */
    readonly maybe: readonly string[];
  }[];
  readonly findings: readonly string[];
}

function principalMatches(element: PrincipalElement, who: IamRequest["principal"]): boolean {
  if (element === "*") return true;
  if (!who) return false;
  const ids = element[who.kind] ?? [];
  return ids.includes("*") || ids.includes(who.id);
}

/** Why one statement does not apply to the request, and the unknown keys it depends on. */
function statementReasons(
  s: IamStatement,
  request: IamRequest,
  variables: boolean,
): { reasons: string[]; maybe: string[] } {
  const reasons: string[] = [];
  const maybe: string[] = [];
  const unknownKeys = request.unknownKeys ?? "absent";
  const knows = (key: string) => unknownKeys === "absent" || request.context.has(key.toLowerCase());
  if (s.principal && !principalMatches(s.principal, request.principal))
    reasons.push(`Principal does not name ${request.principal?.id ?? "the caller"}`);
  if (s.notPrincipal && principalMatches(s.notPrincipal, request.principal))
    reasons.push(`NotPrincipal names ${request.principal?.id ?? "the caller"}`);
  if (s.action && !s.action.some((a) => iamMatches(a, request.action, true)))
    reasons.push(`Action does not include ${request.action}`);
  if (s.notAction?.some((a) => iamMatches(a, request.action, true)))
    reasons.push(`NotAction excludes ${request.action}`);
  const single = (key: string) => {
    const values = request.context.get(key.toLowerCase());
    return values?.length === 1 ? values[0] : undefined;
  };
  const resourceMatches = (patterns: readonly string[], element: string) =>
    request.resource !== undefined &&
    patterns.some((p) => {
      if (variables && unknownVariableIn(p, knows)) {
        maybe.push(`${element} ${p}`);
        return false;
      }
      const pattern = variables ? substituteVariables(p, single) : p;
      return pattern !== undefined && arnMatches(pattern, request.resource ?? "");
    });
  if (s.resource && !resourceMatches(s.resource, "Resource") && maybe.length === 0)
    reasons.push(`Resource does not include ${request.resource ?? "the resource"}`);
  if (s.notResource && resourceMatches(s.notResource, "NotResource"))
    reasons.push(`NotResource excludes ${request.resource}`);
  const condition = evaluateCondition(s.condition, request.context, variables, unknownKeys);
  reasons.push(...condition.reasons);
  maybe.push(...condition.maybe);
  return { reasons, maybe };
}

/** Evaluates one policy for one request, with IAM's semantics. */
export function evaluatePolicy(policy: IamPolicy, request: IamRequest): PolicyResult {
  const statements = policy.statements.map((s) => {
    const { reasons, maybe } = statementReasons(s, request, policy.variables);
    return {
      at: s.sid ? `${s.at} (${s.sid})` : s.at,
      effect: s.effect,
      applies: reasons.length === 0 && maybe.length === 0,
      reasons,
      maybe,
    };
  });
  // A Deny counts only when it applies for certain; an Allow when it may.
  const decision: Decision = statements.some((s) => s.applies && s.effect === "Deny")
    ? "explicit-deny"
    : statements.some((s) => s.reasons.length === 0 && s.effect === "Allow")
      ? "allow"
      : "implicit-deny";
  return { decision, statements, findings: policy.findings };
}

/** Whether a statement's Action or NotAction covers `action`. */
function coversAction(s: IamStatement, action: string): boolean {
  return (
    (s.action?.some((a) => iamMatches(a, action, true)) ?? false) ||
    (s.notAction !== undefined && !s.notAction.some((a) => iamMatches(a, action, true)))
  );
}

/**
 * Whether the policy can allow `action` on some resource under some condition: an Allow that
 * covers it exists. Identity policies only (no principal to match). When it cannot, every request
 * of that action is implicitly denied by it, whatever the resource.
 */
export function mayAllowAction(policy: IamPolicy, action: string): boolean {
  return policy.statements.some((s) => s.effect === "Allow" && coversAction(s, action));
}

/**
 * Whether the policy denies `action` on every resource for certain: a Deny that covers it, on
 * `Resource: "*"`, with no condition. Then every request of that action is explicitly denied.
 */
export function deniesActionEverywhere(policy: IamPolicy, action: string): boolean {
  return policy.statements.some(
    (s) =>
      s.effect === "Deny" &&
      coversAction(s, action) &&
      s.notResource === undefined &&
      (s.resource?.includes("*") ?? false) &&
      s.principal === undefined &&
      s.notPrincipal === undefined &&
      Object.keys(s.condition).length === 0,
  );
}
