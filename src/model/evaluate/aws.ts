import { AWS_TAGS_CLAIM, type AwsTagsClaim } from "../aws-session-tags.ts";
import { awsConditionKeyPrefix, type PolicyDocument } from "../aws-trust.ts";
import { allowsAction, iamMatches } from "./iam-pattern.ts";
import { audiences, type Check, type Claims, type Verdict, verdict } from "./verdict.ts";

/** How STS reads the audience of a non-Google issuer's token: UNCONFIRMED, so both are evaluated. */
export type AwsAudienceReading = "azp" | "aud";

/** What STS checks a web identity token against. */
export interface AwsTrustArtifacts {
  readonly provider: { readonly url: string; readonly clientIdList: readonly string[]; readonly arn: string };
  readonly trustPolicy: PolicyDocument;
}

/** STS allows 5 minutes of clock skew on `exp`. */
const SKEW_S = 300;

/**
 * Would STS let this token assume the role (AssumeRoleWithWebIdentity)? Checks the provider
 * (issuer, client ID list under the given audience reading), expiry, and the trust policy's
 * Allow statement: principal, action, every StringEquals/StringLike condition, and
 * sts:TagSession when the token carries session tags.
 */
export function evaluateAws(
  token: Claims,
  artifacts: AwsTrustArtifacts,
  options: { readonly reading: AwsAudienceReading; readonly nowS?: number },
): Verdict {
  const { provider, trustPolicy } = artifacts;
  const checks: Check[] = [];
  const iss = String(token.iss ?? "");
  checks.push({
    check: "issuer",
    passed: iss === provider.url,
    detail: `iss ${iss} against provider ${provider.url}`,
  });
  const audience =
    options.reading === "azp" && typeof token.azp === "string" ? [token.azp] : audiences(token);
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
  const prefix = awsConditionKeyPrefix(provider.url);
  const tags = token[AWS_TAGS_CLAIM] as AwsTagsClaim | undefined;
  const context: Record<string, string[]> = {
    [`${prefix}:sub`]: typeof token.sub === "string" ? [token.sub] : [],
    [`${prefix}:aud`]: audience,
  };
  for (const [key, values] of Object.entries(tags?.principal_tags ?? {})) {
    context[`aws:RequestTag/${key}`] = [...values];
  }
  const allowing = trustPolicy.Statement.filter((s) => s.Effect === "Allow");
  const results = allowing.map((statement) => {
    const reasons: string[] = [];
    const federated = statement.Principal?.Federated;
    if (federated === undefined || !iamMatches(federated, provider.arn))
      reasons.push(`principal is not ${provider.arn}`);
    if (!allowsAction(statement.Action, "sts:AssumeRoleWithWebIdentity"))
      reasons.push("does not allow sts:AssumeRoleWithWebIdentity");
    if (tags && !allowsAction(statement.Action, "sts:TagSession"))
      reasons.push("the token carries session tags but sts:TagSession is not allowed");
    for (const [operator, conditions] of Object.entries(statement.Condition ?? {})) {
      for (const [key, expected] of Object.entries(conditions)) {
        const wanted = [expected].flat();
        const actual = context[key];
        if (!actual || actual.length === 0) {
          reasons.push(`${key} is not in the request (a condition on a missing key fails)`);
          continue;
        }
        const match =
          operator === "StringEquals"
            ? actual.some((a) => wanted.includes(a))
            : operator === "StringLike"
              ? actual.some((a) => wanted.some((w) => iamMatches(w, a)))
              : false;
        if (!match) reasons.push(`${operator} ${key}: ${actual.join(",")} is not ${wanted.join(" or ")}`);
      }
    }
    return reasons;
  });
  const passing = results.findIndex((r) => r.length === 0);
  checks.push({
    check: "trust policy",
    passed: passing >= 0,
    detail:
      passing >= 0
        ? "an Allow statement matches"
        : results.map((r) => r.join("; ")).join(" | ") || "no Allow statement",
  });
  return verdict(checks);
}
