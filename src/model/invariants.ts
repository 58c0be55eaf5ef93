import { AWS_TAG_KEYS, AWS_TAGS_CLAIM } from "./aws-session-tags.ts";
import { evaluateAws } from "./evaluate/aws.ts";
import { evaluateAzure } from "./evaluate/azure.ts";
import { evaluateGcp } from "./evaluate/gcp.ts";
import { hasIamWildcard, iamMatches } from "./evaluate/iam-pattern.ts";
import { type IamStatement, parsePolicy } from "./evaluate/iam-policy.ts";
import type { Claims } from "./evaluate/verdict.ts";
import { parseGcpFederatedMember } from "./gcp-principal.ts";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "./limits.ts";
import { clientIdOf } from "./subject.ts";
import type { TrustArtifacts } from "./trust-artifacts.ts";

/** A broken invariant: which one, on what, and why. */
export interface Violation {
  readonly invariant:
    | "exact-subject"
    | "audience-condition"
    | "request-tag"
    | "no-oaud"
    | "gcp-condition"
    | "no-pool-wide-binding"
    | "azure-exact-match"
    | "tenant-isolation"
    | "cloud-audience"
    | "own-token"
    | "malformed-policy";
  readonly subject: string;
  readonly message: string;
}

/** An audience no cloud API has, for "a token minted for another API" checks. */
const OTHER_API = "https://another-api.invalid";

/** A value that names a set rather than one string: an IAM wildcard or a policy variable. */
const namesASet = (value: string) => hasIamWildcard(value) || value.includes("${");

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

/**
 * Invariants of one AWS role's trust policy, read with IAM's semantics (key names in any case,
 * Action or NotAction, Principal as string or list): every statement that lets a web identity
 * in names the provider exactly and requires, with plain StringEquals, one exact subject, exact
 * audiences and the tenant's session tag; never `:oaud`. A malformed policy is a violation.
 */
export function awsTrustViolations(subject: string, document: unknown, providerArn?: string): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: Violation["invariant"], message: string) =>
    violations.push({ invariant, subject, message });
  const policy = parsePolicy(document, "resource");
  for (const finding of policy.findings) add("malformed-policy", `IAM refuses this trust policy: ${finding}`);
  const statements = policy.statements.filter((s) => admitsWebIdentity(s, providerArn));
  if (statements.length === 0 && policy.findings.length === 0)
    add("exact-subject", "no statement allows sts:AssumeRoleWithWebIdentity");
  for (const statement of statements) {
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
    if (stringEqualsValues(statement, `aws:RequestTag/${AWS_TAG_KEYS.tenantId}`) === undefined) {
      add(
        "request-tag",
        `${statement.at}: the trust must require aws:RequestTag/${AWS_TAG_KEYS.tenantId}, set only on tokens minted for AWS`,
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

/** Invariants of the GCP pool provider. */
export function gcpProviderViolations(
  subject: string,
  provider: { readonly attributeCondition?: string },
): Violation[] {
  return (provider.attributeCondition ?? "").trim() === ""
    ? [
        {
          invariant: "gcp-condition",
          subject,
          message: "without an attribute condition GCP accepts every token of the issuer",
        },
      ]
    : [];
}

/**
 * Invariants of one GCP IAM member: this tool binds workloads by their exact subject only. A
 * principalSet (the whole pool, or an attribute that comes from client metadata anyone allowed
 * to update clients can change) or everyone is refused.
 */
export function gcpMemberViolations(subject: string, member: string): Violation[] {
  const federated = parseGcpFederatedMember(member);
  if (federated?.kind === "set" || ["allusers", "allauthenticatedusers"].includes(member.toLowerCase())) {
    return [
      {
        invariant: "no-pool-wide-binding",
        subject,
        message: `${member} grants a set of identities; bind each workload's principal://.../subject/{client_id}@clients`,
      },
    ];
  }
  if (federated?.kind === "subject" && namesASet(federated.subject)) {
    return [{ invariant: "no-pool-wide-binding", subject, message: `${member} has a wildcard` }];
  }
  return [];
}

/** Invariants of one Azure federated identity credential. */
export function azureCredentialViolations(
  subject: string,
  credential: { readonly issuer: string; readonly subject: string; readonly audiences: readonly string[] },
  issuer?: string,
): Violation[] {
  const problems: string[] = [];
  if (
    !/^https:\/\/[^*?\s]+\/$/.test(credential.issuer) ||
    (issuer !== undefined && credential.issuer !== issuer)
  ) {
    problems.push(
      `issuer ${credential.issuer} must be the tokens' iss exactly, trailing slash included${issuer ? ` (${issuer})` : ""}`,
    );
  }
  const clientId = clientIdOf(credential.subject);
  if (!clientId || /[\s*?]/.test(clientId))
    problems.push(`subject ${credential.subject} must be {client_id}@clients`);
  if (credential.audiences.length !== 1 || credential.audiences[0] !== AZURE_TOKEN_EXCHANGE_AUDIENCE) {
    problems.push(`audiences must be exactly [${AZURE_TOKEN_EXCHANGE_AUDIENCE}]`);
  }
  return problems.map((message) => ({ invariant: "azure-exact-match", subject, message }));
}

/** The one exact subject a trust policy requires, if any: whose role it is. */
const exactSub = (document: unknown): string | undefined =>
  parsePolicy(document, "resource")
    .statements.map((s) => stringEqualsValues(s, ":sub"))
    .find((subs) => subs?.length === 1 && !namesASet(subs[0] ?? ""))?.[0];

type Probe = { readonly own: Claims; readonly forOther: Claims };

/**
 * Tenant isolation, for every cloud: for every pair of workloads of different tenants, neither's
 * token satisfies the other's trust; a workload's token minted for another API satisfies none of
 * its own trust; and its own token does satisfy its trust, which proves the checks are not
 * passing vacuously (a probe every trust would refuse shows nothing). AWS is evaluated under both
 * audience readings.
 */
export function isolationViolations(artifacts: TrustArtifacts): Violation[] {
  const violations: Violation[] = [];
  const found = (invariant: Violation["invariant"], subject: string, message: string) =>
    violations.push({ invariant, subject, message });
  const { aws, gcp, azure } = artifacts;

  if (aws) {
    const readings = ["azp", "aud"] as const;
    for (const a of aws.roles) {
      const sub = exactSub(a.trustPolicy);
      const clientId = sub ? clientIdOf(sub) : undefined;
      if (!sub || !clientId) continue;
      const api = aws.provider.clientIdList.find((c) => c !== clientId) ?? aws.provider.clientIdList[0] ?? "";
      const base = { iss: aws.provider.url, sub, azp: clientId, iat: 0, exp: 3600 };
      const tags = {
        principal_tags: { [AWS_TAG_KEYS.tenantId]: [a.tenantId], [AWS_TAG_KEYS.workload]: [a.workload] },
      };
      const probe: Probe = {
        own: { ...base, aud: api, [AWS_TAGS_CLAIM]: tags },
        forOther: { ...base, aud: OTHER_API },
      };
      const accepts = (token: Claims, role: typeof a, reading: (typeof readings)[number]) =>
        evaluateAws(token, { provider: aws.provider, trustPolicy: role.trustPolicy }, { reading }).accepted;
      const who = `${a.tenantId}/${a.workload}`;
      for (const reading of readings) {
        if (!accepts(probe.own, a, reading))
          found(
            "own-token",
            `aws role of ${who}`,
            `its own token is refused (STS reading ${reading}), so isolation cannot be shown`,
          );
        if (accepts(probe.forOther, a, reading))
          found(
            "cloud-audience",
            `aws role of ${who}`,
            `a token it got for ${OTHER_API} assumes its role (STS reading ${reading})`,
          );
        for (const b of aws.roles) {
          if (b.tenantId !== a.tenantId && accepts(probe.own, b, reading)) {
            found(
              "tenant-isolation",
              `aws role of ${b.tenantId}/${b.workload}`,
              `a token of ${who} assumes it (STS reading ${reading})`,
            );
          }
        }
      }
    }
  }

  if (gcp) {
    const members = (bindings: readonly { member: string }[]) => bindings.map((b) => b.member);
    for (const a of gcp.workloads) {
      const clientId = clientIdOf(a.subject) ?? a.subject;
      const token: Claims = {
        iss: gcp.provider.issuerUri,
        aud: gcp.provider.allowedAudiences[0] ?? gcp.providerAudience,
        sub: a.subject,
        azp: clientId,
        iat: 0,
        exp: 3600,
        [gcp.claims.tenantId]: a.tenantId,
        [gcp.claims.workload]: a.workload,
      };
      const accepts = (claims: Claims, bindings: readonly { member: string }[]) =>
        bindings.length > 0 && evaluateGcp(claims, { ...gcp, members: members(bindings) }).accepted;
      const who = `${a.tenantId}/${a.workload}`;
      const own = gcp.bindings.filter((b) => b.member.endsWith(`/subject/${a.subject}`));
      if (own.length > 0 && !accepts(token, own))
        found(
          "own-token",
          `gcp bindings of ${who}`,
          "its own token is refused, so isolation cannot be shown",
        );
      if (accepts({ ...token, aud: OTHER_API }, own))
        found("cloud-audience", `gcp bindings of ${who}`, `its token for ${OTHER_API} is accepted`);
      for (const b of gcp.bindings) {
        if (b.tenantId !== a.tenantId && accepts(token, [b])) {
          found(
            "tenant-isolation",
            `gcp ${b.resource} for ${b.tenantId}/${b.workload}`,
            `a token of ${who} is granted it`,
          );
        }
      }
    }
  }

  if (azure) {
    for (const a of azure.credentials) {
      const token = { iss: a.issuer, sub: a.subject, aud: a.audiences[0] ?? "" };
      const who = `${a.tenantId}/${a.workload}`;
      if (!evaluateAzure(token, a).accepted)
        found(
          "own-token",
          `azure credential of ${who}`,
          "its own token is refused, so isolation cannot be shown",
        );
      if (evaluateAzure({ ...token, aud: OTHER_API }, a).accepted)
        found("cloud-audience", `azure credential of ${who}`, `a token for ${OTHER_API} is accepted`);
      for (const b of azure.credentials) {
        if (b.tenantId !== a.tenantId && evaluateAzure(token, b).accepted) {
          found(
            "tenant-isolation",
            `azure credential of ${b.tenantId}/${b.workload}`,
            `a token of ${who} is accepted`,
          );
        }
      }
    }
  }
  return violations;
}

/** Every invariant over an environment's artifacts: per resource, then isolation. */
export function artifactViolations(artifacts: TrustArtifacts, issuer?: string): Violation[] {
  return [
    ...(artifacts.aws?.roles ?? []).flatMap((r) =>
      awsTrustViolations(
        `aws role of ${r.tenantId}/${r.workload}`,
        r.trustPolicy,
        artifacts.aws?.provider.arn,
      ),
    ),
    ...(artifacts.gcp ? gcpProviderViolations("gcp pool provider", artifacts.gcp.provider) : []),
    ...(artifacts.gcp?.bindings ?? []).flatMap((b) => gcpMemberViolations(`gcp ${b.resource}`, b.member)),
    ...(artifacts.azure?.credentials ?? []).flatMap((c) =>
      azureCredentialViolations(`azure credential of ${c.tenantId}/${c.workload}`, c, issuer),
    ),
    ...isolationViolations(artifacts),
  ];
}
