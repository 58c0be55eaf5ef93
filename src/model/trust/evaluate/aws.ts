import { AWS_TAGS_CLAIM } from "../../contract/aws-session-tags.ts";
import { evaluatePolicy, parsePolicy } from "./iam-policy.ts";
import {
  type AwsAudienceReading,
  sessionTagProblems,
  stsAudience,
  webIdentityContext,
} from "./sts-web-identity.ts";
import type { Check, Claims, Verdict } from "./verdict.ts";
import { verdict } from "./verdict.ts";

export type { AwsAudienceReading } from "./sts-web-identity.ts";

/** What STS checks a web identity token against. */
export interface AwsTrustArtifacts {
  readonly provider: { readonly url: string; readonly clientIdList: readonly string[]; readonly arn: string };
  /** The role's trust policy: any JSON a stack holds, read with IAM's semantics. */
  readonly trustPolicy: unknown;
}

/** STS allows 5 minutes of clock skew on `exp`. */
const SKEW_S = 300;

/** The actions STS authorises for the call: TagSession too when the token carries session tags. */
function stsActions(token: Claims): string[] {
  return token[AWS_TAGS_CLAIM] === undefined
    ? ["sts:AssumeRoleWithWebIdentity"]
    : ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"];
}

/**
 * Would STS let this token assume the role (AssumeRoleWithWebIdentity)? Checks the provider
 * (issuer, client ID list under the given audience reading), expiry, the session tags against
 * STS's limits (sessionTagProblems), and the trust policy with
 * IAM's semantics for every action the call needs (sts:TagSession too when the token carries
 * session tags), the provider as the federated principal.
 */
export function evaluateAws(
  token: Claims,
  artifacts: AwsTrustArtifacts,
  options: { readonly reading: AwsAudienceReading; readonly nowS?: number },
): Verdict {
  const { provider } = artifacts;
  const checks: Check[] = [];
  const iss = String(token.iss ?? "");
  checks.push({
    check: "issuer",
    passed: iss === provider.url,
    detail: `iss ${iss} against provider ${provider.url}`,
  });
  const audience = stsAudience(token, options.reading);
  checks.push({
    check: "client ID list",
    passed: audience.some((a) => provider.clientIdList.includes(a)),
    detail: `${options.reading === "azp" && token.azp ? "azp" : "aud"} ${audience.join(",")} against [${provider.clientIdList.join(", ")}]`,
  });
  if (options.nowS !== undefined) {
    const exp = Number(token.exp ?? 0);
    checks.push({
      check: "expiry",
      passed: exp + SKEW_S >= options.nowS,
      detail: `exp ${exp}, now ${options.nowS}`,
    });
  }
  if (token[AWS_TAGS_CLAIM] !== undefined) {
    const problems = sessionTagProblems(token);
    const tags = token[AWS_TAGS_CLAIM] as { principal_tags?: object; transitive_tag_keys?: unknown };
    const transitive = Array.isArray(tags.transitive_tag_keys) ? tags.transitive_tag_keys.length : 0;
    checks.push({
      check: "session tags",
      passed: problems.length === 0,
      detail:
        problems.length > 0
          ? problems.join("; ")
          : `${Object.keys(tags.principal_tags ?? {}).length} tags, ${transitive} transitive, within STS's limits`,
    });
  }
  const policy = parsePolicy(artifacts.trustPolicy, "resource");
  if (policy.findings.length > 0) {
    checks.push({ check: "trust policy well-formed", passed: false, detail: policy.findings.join("; ") });
  }
  const context = webIdentityContext(token, provider.url, options);
  const refusals = stsActions(token).flatMap((action) => {
    const result = evaluatePolicy(policy, {
      action,
      principal: { kind: "Federated", id: provider.arn },
      context,
    });
    if (result.decision === "allow") return [];
    const why = result.statements
      .filter((s) => !s.applies || s.effect === "Deny")
      .map((s) => `${s.at}: ${s.applies ? "an explicit Deny applies" : s.reasons.join("; ")}`);
    return [`${action} is not allowed (${result.decision}): ${why.join(" | ") || "no statement"}`];
  });
  checks.push({
    check: "trust policy",
    passed: refusals.length === 0,
    detail:
      refusals.length === 0
        ? `an Allow statement matches ${stsActions(token).join(" and ")}`
        : refusals.join(" || "),
  });
  return verdict(checks);
}
