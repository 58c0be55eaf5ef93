import { AWS_TAGS_CLAIM, awsTagsClaim } from "../contract/aws-session-tags.ts";
import { clientSubject } from "../contract/subject.ts";
import { AUTH0_DEFAULT_DIALECT, type TokenDialect } from "../contract/token-dialect.ts";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "../environment/limits.ts";
import { awsTrustSubjects } from "./aws/aws-trust-invariants.ts";
import { evaluateAws } from "./evaluate/aws.ts";
import { evaluateAzure } from "./evaluate/azure.ts";
import { evaluateGcp } from "./evaluate/gcp.ts";
import type { Claims } from "./evaluate/verdict.ts";
import { gcpSubjectPrincipalOf, parseGcpFederatedMember } from "./gcp/gcp-principal.ts";
import { OTHER_API, type Violation } from "./invariant.ts";
import { auth0TokenClaims } from "./token-claims.ts";
import type { TrustArtifacts } from "./trust-artifacts.ts";

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
