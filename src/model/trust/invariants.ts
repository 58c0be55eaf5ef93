import { AWS_TAG_KEYS, AWS_TAGS_CLAIM, awsTagsClaim } from "../contract/aws-session-tags.ts";
import { clientIdOf, clientSubject } from "../contract/subject.ts";
import { AUTH0_DEFAULT_DIALECT, type TokenDialect } from "../contract/token-dialect.ts";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "../environment/limits.ts";
import { evaluateAws } from "./evaluate/aws.ts";
import { evaluateAzure } from "./evaluate/azure.ts";
import { celConditionHolds, evaluateGcp } from "./evaluate/gcp.ts";
import { hasIamWildcard, iamMatches } from "./evaluate/iam-pattern.ts";
import { type IamStatement, parsePolicy } from "./evaluate/iam-policy.ts";
import type { Claims } from "./evaluate/verdict.ts";
import { gcpSubjectPrincipalOf, parseGcpFederatedMember } from "./gcp/gcp-principal.ts";
import { auth0TokenClaims } from "./token-claims.ts";
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
    | "malformed-policy"
    | "foreign-principal"
    | "tenant-reach";
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
 * Invariants of a GCP pool provider: an attribute condition that refuses tokens without the
 * tenant claim or a client subject (tried, not read: `true` or `1 == 1` is no condition), and
 * `google.subject` mapped from `sub` exactly, since the subject principal is what every binding
 * names: a mapping from anything else lets a token choose whose principal it becomes.
 */
export function gcpProviderViolations(
  subject: string,
  provider: {
    readonly attributeCondition?: string;
    readonly attributeMapping?: Readonly<Record<string, string>>;
    readonly issuerUri?: string;
    readonly allowedAudiences?: readonly string[];
  },
): Violation[] {
  const violations: Violation[] = [];
  const condition = (provider.attributeCondition ?? "").trim();
  if (condition === "") {
    violations.push({
      invariant: "gcp-condition",
      subject,
      message: "without an attribute condition GCP accepts every token of the issuer",
    });
  } else {
    // Tokens the provider would otherwise take (its issuer, its audience): only the missing
    // tenant claim, or a subject that is no client, sets them apart.
    const bare = {
      iss: provider.issuerUri ?? "https://issuer.invalid/",
      aud: provider.allowedAudiences?.[0] ?? OTHER_API,
      iat: 0,
      exp: 3600,
    };
    const admitted = [
      { ...bare, sub: "auth0|a-user" },
      { ...bare, sub: clientSubject("any-client"), azp: "any-client" },
    ].filter((claims) => celConditionHolds(condition, claims));
    if (admitted.length > 0)
      violations.push({
        invariant: "gcp-condition",
        subject,
        message: `the attribute condition ${condition} admits a token without the tenant claim (sub ${String(admitted[0]?.sub)}): require the claim and a client subject`,
      });
  }
  const mapped = provider.attributeMapping?.["google.subject"];
  if (provider.attributeMapping !== undefined && mapped?.replace(/\s/g, "") !== "assertion.sub") {
    violations.push({
      invariant: "gcp-condition",
      subject,
      message: `google.subject must be mapped from assertion.sub exactly, not ${mapped ?? "nothing"}: every binding names the subject principal`,
    });
  }
  return violations;
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

/** A probe token of one workload, as each cloud would receive it. */
function subjectOfWorkload(w: { readonly clientId: string }): string {
  return clientSubject(w.clientId);
}

/** The workloads whose tokens could satisfy a piece of trust: all of them, or those an index finds. */
interface Candidates<W> {
  /** Workloads whose token may assume the role with this trust policy. */
  readonly awsRole: (trustPolicy: unknown) => readonly W[];
  /** Workloads whose token may be granted a binding to this member. */
  readonly gcpMember: (member: string) => readonly W[];
  /** Workloads whose token may be accepted by a credential trusting this subject. */
  readonly azureSubject: (subject: string) => readonly W[];
}

type ArtifactWorkload = TrustArtifacts["workloads"][number];

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

/** Candidates looked up by subject and member: each token is evaluated against what can name it. */
function indexedCandidates(artifacts: TrustArtifacts): Candidates<ArtifactWorkload> {
  const { workloads } = artifacts;
  const providerArn = artifacts.aws?.provider.arn;
  // A subject principal names the token's `sub` only where google.subject is mapped from it.
  const gcpSubjectIsSub = artifacts.gcp?.provider.attributeMapping["google.subject"] === "assertion.sub";
  const bySubject = new Map<string, ArtifactWorkload[]>();
  for (const w of workloads) {
    const subject = subjectOfWorkload(w);
    bySubject.set(subject, [...(bySubject.get(subject) ?? []), w]);
  }
  const named = (subjects: Iterable<string>) => [...subjects].flatMap((s) => bySubject.get(s) ?? []);
  return {
    awsRole: (trustPolicy) => {
      const subjects = awsTrustSubjects(trustPolicy, providerArn);
      return subjects === undefined ? workloads : named(subjects);
    },
    gcpMember: (member) => {
      // A subject principal names one subject; any other member (a principal set) is tried by all.
      const federated = parseGcpFederatedMember(member);
      return federated?.kind === "subject" && gcpSubjectIsSub ? named([federated.subject]) : workloads;
    },
    // Entra ID matches the subject exactly.
    azureSubject: (subject) => named([subject]),
  };
}

/** Every workload for every piece of trust: the oracle the indexed check must equal. */
const allCandidates = (workloads: readonly ArtifactWorkload[]): Candidates<ArtifactWorkload> => ({
  awsRole: () => workloads,
  gcpMember: () => workloads,
  azureSubject: () => workloads,
});

/**
 * Tenant isolation, for every cloud: no workload's token satisfies the trust of another
 * tenant's role, binding or credential (a second statement or a credential naming another
 * tenant's subject is found); a workload's token minted for another API satisfies none of its
 * own trust; its own token does satisfy its trust, which proves the checks are not passing
 * vacuously; and every piece of trust on a tenant's identity names only that tenant's
 * workloads. AWS is evaluated under both audience readings. Linear: each piece of trust is
 * tried with the tokens whose subject it names (a trust statement with one literal StringEquals
 * subject, a subject principal, a credential's subject), and with every token only when it names
 * none that way.
 */
export function isolationViolations(artifacts: TrustArtifacts): Violation[] {
  return isolationCheck(artifacts, indexedCandidates(artifacts));
}

/** The same check trying every workload's token against every piece of trust. */
export function isolationViolationsAllPairs(artifacts: TrustArtifacts): Violation[] {
  return isolationCheck(artifacts, allCandidates(artifacts.workloads));
}

function isolationCheck(artifacts: TrustArtifacts, candidates: Candidates<ArtifactWorkload>): Violation[] {
  const violations: Violation[] = [];
  const found = (invariant: Violation["invariant"], subject: string, message: string) =>
    violations.push({ invariant, subject, message });
  const { aws, gcp, azure, workloads } = artifacts;
  const who = (w: { tenantId: string; workload: string }) => `${w.tenantId}/${w.workload}`;
  const bySubject = new Map(workloads.map((w) => [subjectOfWorkload(w), w]));
  const byOwner = new Map(workloads.map((w) => [who(w), w]));

  if (aws) {
    const readings = ["azp", "aud"] as const;
    const clientIds = new Set(workloads.map((w) => w.clientId));
    // The AWS API identifiers: what the client ID list holds besides client ids.
    const apis = aws.provider.clientIdList.filter((c) => !clientIds.has(c));
    // Probe tokens as Auth0 mints them (the model's claims, in each API's dialect), with the tags
    // the tenant-claims Action adds to AWS tokens; one for another API in either dialect.
    const probes = (w: (typeof workloads)[number]) => {
      const minted = (identifier: string, tokenDialect: TokenDialect) =>
        auth0TokenClaims(
          { issuer: aws.provider.url },
          {
            ...w,
            api: { identifier, tokenLifetime: 3600, tokenDialect },
            scopes: [],
            iat: 0,
          },
        );
      const tags = { [AWS_TAGS_CLAIM]: awsTagsClaim(w.tenantId, w.workload, []) };
      return {
        own: (apis.length > 0 ? apis : [""]).map((aud) => ({
          ...minted(aud, artifacts.dialects?.[aud] ?? AUTH0_DEFAULT_DIALECT),
          ...tags,
        })),
        forOther: ([AUTH0_DEFAULT_DIALECT, "rfc9068_profile"] as const).map((dialect) =>
          minted(OTHER_API, dialect),
        ),
      };
    };
    const accepts = (token: Claims, trustPolicy: unknown, reading: (typeof readings)[number]) =>
      evaluateAws(token, { provider: aws.provider, trustPolicy }, { reading }).accepted;
    for (const role of aws.roles) {
      const owner = byOwner.get(who(role));
      const tried = candidates.awsRole(role.trustPolicy).filter((w) => w.tenantId !== role.tenantId);
      for (const reading of readings) {
        if (owner) {
          const { own, forOther } = probes(owner);
          if (!own.some((t) => accepts(t, role.trustPolicy, reading)))
            found(
              "own-token",
              `aws role of ${who(role)}`,
              `its own token is refused (STS reading ${reading}), so isolation cannot be shown`,
            );
          if (forOther.some((t) => accepts(t, role.trustPolicy, reading)))
            found(
              "cloud-audience",
              `aws role of ${who(role)}`,
              `a token it got for ${OTHER_API} assumes its role (STS reading ${reading})`,
            );
        }
        for (const w of tried) {
          // Its token for AWS (tagged), and one it got for another API (untagged, carrying azp).
          const { own, forOther } = probes(w);
          if ([...own, ...forOther].some((t) => accepts(t, role.trustPolicy, reading)))
            found(
              "tenant-isolation",
              `aws role of ${who(role)}`,
              `a token of ${who(w)} assumes it (STS reading ${reading})`,
            );
        }
      }
    }
  }

  if (gcp) {
    const tokenOf = (w: (typeof workloads)[number]): Claims => ({
      iss: gcp.provider.issuerUri,
      aud: gcp.provider.allowedAudiences[0] ?? gcp.providerAudience,
      sub: subjectOfWorkload(w),
      azp: w.clientId,
      iat: 0,
      exp: 3600,
      [gcp.claims.tenantId]: w.tenantId,
      [gcp.claims.workload]: w.workload,
    });
    const accepts = (claims: Claims, bindings: readonly { member: string }[]) =>
      bindings.length > 0 && evaluateGcp(claims, { ...gcp, members: bindings.map((b) => b.member) }).accepted;
    const byMember = new Map<string, (typeof gcp.bindings)[number][]>();
    for (const b of gcp.bindings) byMember.set(b.member, [...(byMember.get(b.member) ?? []), b]);
    // A binding that belongs to a tenant names only that tenant's workloads' subjects.
    for (const b of gcp.bindings) {
      const federated = parseGcpFederatedMember(b.member);
      if (federated?.kind === "subject" && !bySubject.has(federated.subject))
        found(
          "tenant-isolation",
          `gcp ${b.resource} for ${who(b)}`,
          `it grants ${federated.subject}, which is no workload of ${b.tenantId}: whoever holds that client acts as ${b.tenantId}`,
        );
    }
    for (const w of workloads) {
      const token = tokenOf(w);
      const own = byMember.get(gcpSubjectPrincipalOf(gcp.poolResource, subjectOfWorkload(w))) ?? [];
      if (own.length > 0 && !accepts(token, own))
        found(
          "own-token",
          `gcp bindings of ${who(w)}`,
          "its own token is refused, so isolation cannot be shown",
        );
      // Its token for any other API of the environment (which that API's service could replay).
      for (const aud of [OTHER_API, ...(artifacts.apis ?? [])].filter(
        (a) => !gcp.provider.allowedAudiences.includes(a),
      )) {
        if (accepts({ ...token, aud }, own))
          found("cloud-audience", `gcp bindings of ${who(w)}`, `its token for ${aud} is accepted`);
      }
    }
    // Each member is tried with the tokens it can name, once for all the bindings that grant it.
    for (const [member, bindings] of byMember) {
      for (const w of candidates.gcpMember(member)) {
        const foreign = bindings.filter((b) => b.tenantId !== w.tenantId);
        if (foreign.length > 0 && accepts(tokenOf(w), [{ member }]))
          for (const b of foreign)
            found(
              "tenant-isolation",
              `gcp ${b.resource} for ${who(b)}`,
              `a token of ${who(w)} is granted it`,
            );
      }
    }
  }

  if (azure) {
    for (const c of azure.credentials) {
      const named = bySubject.get(c.subject);
      const token = { iss: c.issuer, aud: AZURE_TOKEN_EXCHANGE_AUDIENCE };
      if (named && named.tenantId === c.tenantId) {
        if (!evaluateAzure({ ...token, sub: c.subject }, c).accepted)
          found(
            "own-token",
            `azure credential of ${who(c)}`,
            "its own token is refused, so isolation cannot be shown",
          );
        if (evaluateAzure({ ...token, sub: c.subject, aud: OTHER_API }, c).accepted)
          found("cloud-audience", `azure credential of ${who(c)}`, `a token for ${OTHER_API} is accepted`);
      } else if (!named) {
        found(
          "tenant-isolation",
          `azure credential of ${who(c)}`,
          `it trusts ${c.subject}, which is no workload of ${c.tenantId}: whoever holds that client acts as ${c.tenantId}`,
        );
      }
      for (const w of candidates.azureSubject(c.subject)) {
        if (w.tenantId !== c.tenantId && evaluateAzure({ ...token, sub: subjectOfWorkload(w) }, c).accepted)
          found("tenant-isolation", `azure credential of ${who(c)}`, `a token of ${who(w)} is accepted`);
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
        {
          tenantId: r.tenantId,
          clientId: artifacts.workloads.find((w) => w.tenantId === r.tenantId && w.workload === r.workload)
            ?.clientId,
        },
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
