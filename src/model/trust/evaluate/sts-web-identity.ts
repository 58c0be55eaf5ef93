import { AWS_TAGS_CLAIM, type AwsTagsClaim } from "../../contract/aws-session-tags.ts";
import { awsConditionKeyPrefix } from "../aws/aws-trust.ts";
import { type RequestContext, requestContext } from "./iam-condition.ts";
import { audiences, type Claims } from "./verdict.ts";

/** How STS reads the audience of a non-Google issuer's token: UNCONFIRMED, so both are evaluated. */
export type AwsAudienceReading = "azp" | "aud";

/**
 * The request keys STS provides when it evaluates a role's trust policy for
 * AssumeRoleWithWebIdentity with a token of a generic OIDC provider (Auth0), and where each comes
 * from. Every other key is absent, so a condition on it behaves as on a missing key (a positive
 * operator fails, a negated one holds). `:oaud` and `:azp` are documented for Google only, `:amr`
 * for Cognito: absent here.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp
 */
export const STS_WEB_IDENTITY_KEYS = {
  "{provider}:sub": "the token's sub",
  "{provider}:aud":
    "the token's azp when it has one and STS reads azp (UNCONFIRMED for non-Google issuers), else its aud",
  "aws:RequestTag/{key}": "each principal tag of the https://aws.amazon.com/tags claim",
  "aws:TagKeys": "the keys of those tags",
  "sts:TransitiveTagKeys": "the claim's transitive_tag_keys",
  "sts:RoleSessionName": "the RoleSessionName request parameter",
  "aws:CurrentTime": "the time of the request (ISO 8601)",
  "aws:EpochTime": "the time of the request (epoch seconds)",
} as const;

/** The audience values STS matches the client ID list and `:aud` against. */
export function stsAudience(token: Claims, reading: AwsAudienceReading): string[] {
  return reading === "azp" && typeof token.azp === "string" ? [token.azp] : audiences(token);
}

/** The request context STS builds from a web identity token (STS_WEB_IDENTITY_KEYS). */
export function webIdentityContext(
  token: Claims,
  providerUrl: string,
  options: {
    readonly reading: AwsAudienceReading;
    readonly nowS?: number;
    readonly roleSessionName?: string;
  },
): RequestContext {
  const prefix = awsConditionKeyPrefix(providerUrl);
  const tags = token[AWS_TAGS_CLAIM] as AwsTagsClaim | undefined;
  const principalTags = tags?.principal_tags ?? {};
  const keys: Record<string, string | readonly string[]> = {
    [`${prefix}:aud`]: stsAudience(token, options.reading),
  };
  if (typeof token.sub === "string") keys[`${prefix}:sub`] = token.sub;
  for (const [key, values] of Object.entries(principalTags)) keys[`aws:RequestTag/${key}`] = [values].flat();
  if (Object.keys(principalTags).length > 0) keys["aws:TagKeys"] = Object.keys(principalTags);
  if (tags?.transitive_tag_keys?.length) keys["sts:TransitiveTagKeys"] = [...tags.transitive_tag_keys];
  if (options.roleSessionName !== undefined) keys["sts:RoleSessionName"] = options.roleSessionName;
  if (options.nowS !== undefined) {
    keys["aws:CurrentTime"] = new Date(options.nowS * 1000).toISOString();
    keys["aws:EpochTime"] = String(options.nowS);
  }
  return requestContext(keys);
}
