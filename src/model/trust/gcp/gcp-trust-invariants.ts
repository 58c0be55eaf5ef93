import { clientSubject } from "../../contract/subject.ts";
import { celConditionHolds } from "../evaluate/gcp.ts";
import { namesASet } from "../evaluate/iam-pattern.ts";
import { OTHER_API, type Violation } from "../invariant.ts";
import { parseGcpFederatedMember } from "./gcp-principal.ts";

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
