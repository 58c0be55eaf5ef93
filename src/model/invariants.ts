import { AWS_TAG_KEYS, AWS_TAGS_CLAIM } from "./aws-session-tags.ts";
import type { PolicyDocument } from "./aws-trust.ts";
import { evaluateAws } from "./evaluate/aws.ts";
import { evaluateAzure } from "./evaluate/azure.ts";
import { evaluateGcp } from "./evaluate/gcp.ts";
import type { Claims } from "./evaluate/verdict.ts";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "./limits.ts";
import { CLIENT_SUBJECT_SUFFIX } from "./subject.ts";
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
    | "cloud-audience";
  readonly subject: string;
  readonly message: string;
}

const WILDCARD = /[*?]/;
/** An audience no cloud API has, for "a token minted for another API" checks. */
const OTHER_API = "https://another-api.invalid";

/** Invariants of one AWS role's trust policy. */
export function awsTrustViolations(subject: string, policy: PolicyDocument): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: Violation["invariant"], message: string) =>
    violations.push({ invariant, subject, message });
  const statements = policy.Statement.filter(
    (s) => s.Effect === "Allow" && [s.Action].flat().includes("sts:AssumeRoleWithWebIdentity"),
  );
  if (statements.length === 0) add("exact-subject", "no statement allows sts:AssumeRoleWithWebIdentity");
  for (const statement of statements) {
    const conditions = statement.Condition ?? {};
    const equals = conditions.StringEquals ?? {};
    const keys = Object.values(conditions).flatMap((c) => Object.keys(c));
    const sub = Object.entries(equals).find(([k]) => k.endsWith(":sub"))?.[1];
    const subs = sub === undefined ? [] : [sub].flat();
    if (
      subs.length !== 1 ||
      WILDCARD.test(subs[0] ?? "") ||
      !(subs[0] ?? "").endsWith(CLIENT_SUBJECT_SUFFIX)
    ) {
      add("exact-subject", "the trust must require StringEquals :sub = one exact {client_id}@clients");
    }
    if (
      Object.entries(conditions).some(
        ([op, c]) => op !== "StringEquals" && Object.keys(c).some((k) => /:(sub|aud)$/.test(k)),
      )
    ) {
      add("exact-subject", "subject and audience are matched with StringEquals only, never a pattern");
    }
    const aud = Object.entries(equals).find(([k]) => k.endsWith(":aud"))?.[1];
    if (aud === undefined || [aud].flat().some((a) => WILDCARD.test(a))) {
      add("audience-condition", "the trust must require StringEquals :aud with exact values");
    }
    if (equals[`aws:RequestTag/${AWS_TAG_KEYS.tenantId}`] === undefined) {
      add(
        "request-tag",
        `the trust must require aws:RequestTag/${AWS_TAG_KEYS.tenantId}, set only on tokens minted for AWS`,
      );
    }
    if (keys.some((k) => k.endsWith(":oaud"))) {
      add("no-oaud", ":oaud is documented for Google only; a condition on a key the request lacks fails");
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

/** Invariants of one GCP IAM member. */
export function gcpMemberViolations(subject: string, member: string): Violation[] {
  if (
    /^principalSet:\/\/.*\/\*$/.test(member) ||
    member === "allUsers" ||
    member === "allAuthenticatedUsers"
  ) {
    return [
      {
        invariant: "no-pool-wide-binding",
        subject,
        message: `${member} grants every identity of the pool (or everyone)`,
      },
    ];
  }
  if (member.startsWith("principal://") && WILDCARD.test(member)) {
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
  if (!/^[^\s*?]+@clients$/.test(credential.subject))
    problems.push(`subject ${credential.subject} must be {client_id}@clients`);
  if (credential.audiences.length !== 1 || credential.audiences[0] !== AZURE_TOKEN_EXCHANGE_AUDIENCE) {
    problems.push(`audiences must be exactly [${AZURE_TOKEN_EXCHANGE_AUDIENCE}]`);
  }
  return problems.map((message) => ({ invariant: "azure-exact-match", subject, message }));
}

const exactSub = (policy: PolicyDocument): string | undefined => {
  for (const s of policy.Statement) {
    const sub = Object.entries(s.Condition?.StringEquals ?? {}).find(([k]) => k.endsWith(":sub"))?.[1];
    if (typeof sub === "string" && !WILDCARD.test(sub)) return sub;
  }
  return undefined;
};

const clientOf = (sub: string) => sub.slice(0, -CLIENT_SUBJECT_SUFFIX.length);

/**
 * Tenant isolation, for every cloud: for every pair of workloads of different tenants, neither's
 * token satisfies the other's trust; and (AWS, GCP, Azure) a workload's token minted for another
 * API satisfies none of its own trust. AWS is evaluated under both audience readings.
 */
export function isolationViolations(artifacts: TrustArtifacts): Violation[] {
  const violations: Violation[] = [];
  const { aws, gcp, azure } = artifacts;
  if (aws) {
    const tokens = aws.roles.flatMap((role) => {
      const sub = exactSub(role.trustPolicy);
      if (!sub) return [];
      const api =
        aws.provider.clientIdList.find((c) => c !== clientOf(sub)) ?? aws.provider.clientIdList[0] ?? "";
      const base = { iss: aws.provider.url, sub, azp: clientOf(sub), iat: 0, exp: 3600 };
      const tags = {
        principal_tags: {
          [AWS_TAG_KEYS.tenantId]: [role.tenantId],
          [AWS_TAG_KEYS.workload]: [role.workload],
        },
      };
      return [
        {
          role,
          forAws: { ...base, aud: api, [AWS_TAGS_CLAIM]: tags },
          forOther: { ...base, aud: OTHER_API },
        },
      ];
    });
    for (const a of tokens) {
      for (const b of aws.roles) {
        const own = b === a.role;
        if (!own && b.tenantId === a.role.tenantId) continue;
        const token: Claims = own ? a.forOther : a.forAws;
        for (const reading of ["azp", "aud"] as const) {
          if (
            evaluateAws(token, { provider: aws.provider, trustPolicy: b.trustPolicy }, { reading }).accepted
          ) {
            violations.push(
              own
                ? {
                    invariant: "cloud-audience",
                    subject: `aws role of ${a.role.tenantId}/${a.role.workload}`,
                    message: `a token it got for ${OTHER_API} assumes its role (STS reading ${reading})`,
                  }
                : {
                    invariant: "tenant-isolation",
                    subject: `aws role of ${b.tenantId}/${b.workload}`,
                    message: `a token of ${a.role.tenantId}/${a.role.workload} assumes it (STS reading ${reading})`,
                  },
            );
          }
        }
      }
    }
  }
  if (gcp) {
    const tenantClaim = /assertion\['([^']+)'\]/.exec(
      gcp.provider.attributeMapping["attribute.tenant_id"] ?? "",
    )?.[1];
    const workloadClaim = /assertion\['([^']+)'\]/.exec(
      gcp.provider.attributeMapping["attribute.workload"] ?? "",
    )?.[1];
    for (const a of gcp.workloads) {
      const sub = a.subject;
      const token = {
        iss: gcp.provider.issuerUri,
        aud: gcp.provider.allowedAudiences[0] ?? "",
        sub,
        azp: clientOf(sub),
        iat: 0,
        exp: 3600,
        ...(tenantClaim ? { [tenantClaim]: a.tenantId } : {}),
        ...(workloadClaim ? { [workloadClaim]: a.workload } : {}),
      };
      for (const b of gcp.bindings) {
        const own = b.tenantId === a.tenantId && b.workload === a.workload;
        if (!own && b.tenantId === a.tenantId) continue;
        const accepted = evaluateGcp(own ? { ...token, aud: OTHER_API } : token, {
          provider: gcp.provider,
          poolResource: gcp.poolResource,
          members: [b.member],
        }).accepted;
        if (accepted) {
          violations.push(
            own
              ? {
                  invariant: "cloud-audience",
                  subject: `gcp ${b.resource}`,
                  message: `a token of ${a.tenantId}/${a.workload} for ${OTHER_API} is accepted`,
                }
              : {
                  invariant: "tenant-isolation",
                  subject: `gcp ${b.resource} for ${b.tenantId}/${b.workload}`,
                  message: `a token of ${a.tenantId}/${a.workload} is granted it`,
                },
          );
        }
      }
    }
  }
  if (azure) {
    for (const a of azure.credentials) {
      const token = { iss: a.issuer, sub: a.subject, aud: a.audiences[0] ?? "" };
      for (const b of azure.credentials) {
        const own = b === a;
        if (!own && b.tenantId === a.tenantId) continue;
        if (evaluateAzure(own ? { ...token, aud: OTHER_API } : token, b).accepted) {
          violations.push(
            own
              ? {
                  invariant: "cloud-audience",
                  subject: `azure credential of ${a.tenantId}/${a.workload}`,
                  message: `a token for ${OTHER_API} is accepted`,
                }
              : {
                  invariant: "tenant-isolation",
                  subject: `azure credential of ${b.tenantId}/${b.workload}`,
                  message: `a token of ${a.tenantId}/${a.workload} is accepted`,
                },
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
      awsTrustViolations(`aws role of ${r.tenantId}/${r.workload}`, r.trustPolicy),
    ),
    ...(artifacts.gcp ? gcpProviderViolations("gcp pool provider", artifacts.gcp.provider) : []),
    ...(artifacts.gcp?.bindings ?? []).flatMap((b) => gcpMemberViolations(`gcp ${b.resource}`, b.member)),
    ...(artifacts.azure?.credentials ?? []).flatMap((c) =>
      azureCredentialViolations(`azure credential of ${c.tenantId}/${c.workload}`, c, issuer),
    ),
    ...isolationViolations(artifacts),
  ];
}
