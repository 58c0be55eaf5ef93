import { AWS_TAG_KEYS } from "../../contract/aws-session-tags.ts";
import { clientIdOf, clientSubject } from "../../contract/subject.ts";
import { iamMatches, namesASet } from "../evaluate/iam-pattern.ts";
import { type IamStatement, parsePolicy } from "../evaluate/iam-policy.ts";
import type { Violation } from "../invariant.ts";

/** The values a statement requires with plain StringEquals for a key ending in `suffix` (any case). */
function stringEqualsValues(statement: IamStatement, suffix: string): string[] | undefined {
  const found = Object.entries(statement.condition)
    .filter(([op]) => op.toLowerCase() === "stringequals")
    .flatMap(([, keys]) => Object.entries(keys))
    .filter(([key]) => key.toLowerCase().endsWith(suffix.toLowerCase()));
  return found.length === 0 ? undefined : found.flatMap(([, v]) => [v].flat().map(String));
}

/** Whether a statement can let a web identity of `providerArn` (any provider if unknown) in. */
function admitsWebIdentity(statement: IamStatement, providerArn: string | undefined): boolean {
  if (statement.effect !== "Allow") return false;
  const action = "sts:AssumeRoleWithWebIdentity";
  const allowsAction =
    (statement.action?.some((a) => iamMatches(a, action, true)) ?? false) ||
    (statement.notAction !== undefined && !statement.notAction.some((a) => iamMatches(a, action, true)));
  if (!allowsAction) return false;
  if (statement.notPrincipal) return true;
  const principal = statement.principal;
  if (principal === undefined || principal === "*") return true;
  const federated = principal.Federated ?? [];
  return (
    federated.includes("*") ||
    (providerArn === undefined ? federated.length > 0 : federated.includes(providerArn))
  );
}

/**
 * Whether a role's trust policy can let a web identity of the provider in (of any provider when
 * its ARN is not known): the roles the invariants must check, whether or not they are tagged.
 * A malformed policy that names an OIDC provider counts, so that its findings are reported.
 */
export function trustLetsProviderIn(document: unknown, providerArn?: string): boolean {
  const policy = parsePolicy(document, "resource");
  return (
    policy.statements.some((s) => admitsWebIdentity(s, providerArn)) ||
    (policy.findings.length > 0 && JSON.stringify(document ?? "").includes(":oidc-provider/"))
  );
}

/** Actions that let a principal into a role, or shape its session. */
const ASSUME_ACTIONS = [
  "sts:AssumeRole",
  "sts:AssumeRoleWithWebIdentity",
  "sts:AssumeRoleWithSAML",
  "sts:TagSession",
  "sts:SetSourceIdentity",
  "sts:SetContext",
];

const describePrincipal = (s: IamStatement) =>
  s.notPrincipal
    ? "every principal but those NotPrincipal names"
    : s.principal === "*" || s.principal === undefined
      ? "any principal (*)"
      : Object.entries(s.principal)
          .map(([kind, ids]) => `${kind} ${ids.join(", ")}`)
          .join("; ");

/**
 * Invariants of one AWS role's trust policy, read with IAM's semantics (key names in any case,
 * Action or NotAction, Principal as string or list): every statement that lets a web identity
 * in names the provider exactly and requires, with plain StringEquals, one exact subject, exact
 * audiences and the tenant's session tag; never `:oaud`. No other principal is let in at all.
 * Given its owner, the subject is the owner workload's and the tag the owner's tenant. A
 * malformed policy is a violation.
 */
export function awsTrustViolations(
  subject: string,
  document: unknown,
  providerArn?: string,
  owner?: { readonly tenantId: string; readonly clientId?: string | undefined },
): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: Violation["invariant"], message: string) =>
    violations.push({ invariant, subject, message });
  const policy = parsePolicy(document, "resource");
  for (const finding of policy.findings) add("malformed-policy", `IAM refuses this trust policy: ${finding}`);
  const webIdentity = policy.statements.filter((s) => admitsWebIdentity(s, providerArn));
  if (webIdentity.length === 0 && policy.findings.length === 0)
    add("exact-subject", "no statement allows sts:AssumeRoleWithWebIdentity");
  for (const statement of policy.statements.filter((s) => s.effect === "Allow" && !webIdentity.includes(s))) {
    const lets = ASSUME_ACTIONS.filter(
      (action) =>
        (statement.action?.some((a) => iamMatches(a, action, true)) ?? false) ||
        (statement.notAction !== undefined && !statement.notAction.some((a) => iamMatches(a, action, true))),
    );
    if (lets.length > 0)
      add(
        "foreign-principal",
        `${statement.at}: lets ${describePrincipal(statement)} in (${lets.join(", ")}); an m2m role admits only the m2m provider's web identities`,
      );
  }
  for (const statement of webIdentity) {
    const federated =
      statement.principal && statement.principal !== "*" ? (statement.principal.Federated ?? []) : [];
    if (
      statement.notPrincipal !== undefined ||
      federated.length !== 1 ||
      federated[0] === "*" ||
      (providerArn !== undefined && federated[0] !== providerArn)
    ) {
      add(
        "exact-subject",
        `${statement.at}: the trust must name the OIDC provider exactly${providerArn ? ` (${providerArn})` : ""}, not ${statement.notPrincipal ? "NotPrincipal" : federated.join(", ") || "any principal"}`,
      );
    }
    const subs = stringEqualsValues(statement, ":sub") ?? [];
    if (subs.length !== 1 || namesASet(subs[0] ?? "") || !clientIdOf(subs[0] ?? "")) {
      add(
        "exact-subject",
        `${statement.at}: the trust must require StringEquals :sub = one exact {client_id}@clients`,
      );
    } else if (owner?.clientId !== undefined && subs[0] !== clientSubject(owner.clientId)) {
      add(
        "exact-subject",
        `${statement.at}: :sub ${subs[0]} is not ${clientSubject(owner.clientId)}, the subject of the role's own workload`,
      );
    }
    const keyed = Object.entries(statement.condition).flatMap(([op, keys]) =>
      Object.keys(keys).map((key) => ({ op, key: key.toLowerCase() })),
    );
    if (keyed.some(({ op, key }) => op.toLowerCase() !== "stringequals" && /:(sub|aud)$/.test(key))) {
      add(
        "exact-subject",
        `${statement.at}: subject and audience are matched with StringEquals only, never a pattern, a negation, IfExists or a set qualifier`,
      );
    }
    const aud = stringEqualsValues(statement, ":aud");
    if (aud === undefined || aud.some(namesASet)) {
      add(
        "audience-condition",
        `${statement.at}: the trust must require StringEquals :aud with exact values`,
      );
    }
    const tenantTag = stringEqualsValues(statement, `aws:RequestTag/${AWS_TAG_KEYS.tenantId}`);
    if (tenantTag === undefined) {
      add(
        "request-tag",
        `${statement.at}: the trust must require aws:RequestTag/${AWS_TAG_KEYS.tenantId}, set only on tokens minted for AWS`,
      );
    } else if (owner !== undefined && (tenantTag.length !== 1 || tenantTag[0] !== owner.tenantId)) {
      add(
        "request-tag",
        `${statement.at}: aws:RequestTag/${AWS_TAG_KEYS.tenantId} must be exactly ${owner.tenantId}, the role's tenant, not ${tenantTag.join(" or ")}`,
      );
    }
    if (keyed.some(({ key }) => key.endsWith(":oaud"))) {
      add(
        "no-oaud",
        `${statement.at}: :oaud is documented for Google only; a condition on a key the request lacks fails`,
      );
    }
  }
  return violations;
}

/**
 * The subjects a trust policy can let in, when each of its statements that admits a web
 * identity requires one literal subject with plain StringEquals; undefined otherwise (then every
 * workload's token is tried). A token whose `sub` is not among them satisfies no such statement.
 */
export function awsTrustSubjects(document: unknown, providerArn?: string): ReadonlySet<string> | undefined {
  const policy = parsePolicy(document, "resource");
  if (policy.findings.length > 0) return undefined;
  const subjects = new Set<string>();
  for (const s of policy.statements.filter((x) => admitsWebIdentity(x, providerArn))) {
    const values = stringEqualsValues(s, ":sub");
    if (values?.length !== 1 || namesASet(values[0] as string)) return undefined;
    subjects.add(values[0] as string);
  }
  return subjects;
}
