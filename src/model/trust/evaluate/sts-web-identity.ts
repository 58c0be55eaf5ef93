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

/**
 * What STS refuses in a token's session tags (AssumeRoleWithWebIdentity fails as a whole):
 * at most 50 tags; keys of 1 to 128 characters and values of at most 256, of letters, digits,
 * spaces and `_.:/=+-@` (https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html);
 * one value per tag; keys compared case-insensitively, so two that differ only in case are
 * refused (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html); transitive
 * keys must be among the tags. Lengths are counted in Unicode code points.
 */
export const STS_SESSION_TAG_LIMITS = {
  maxTags: 50,
  maxKeyCharacters: 128,
  maxValueCharacters: 256,
  valuesPerTag: 1,
  key: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
  value: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  /**
   * UNCONFIRMED, and so not checked: STS packs the session tags (with any session policy) into a
   * binary form with its own size limit, which a request can exceed while within every limit
   * above (PackedPolicyTooLarge); AWS documents the limit only as a percentage of itself
   * (PackedPolicySize), never as a number. Set it here, in bytes, once a source gives one.
   */
  packedBytes: undefined as number | undefined,
} as const;

const CHARACTERS = "letters, digits, spaces and _.:/=+-@ only";

/** A key as a reason names it: long ones cut, so a reason stays readable. */
const shown = (key: string) => ([...key].length > 40 ? `${[...key].slice(0, 32).join("")}…` : key);

/**
 * Why STS would refuse the token's session tags (STS_SESSION_TAG_LIMITS), each reason naming
 * the limit; empty when it carries none or they are within the limits.
 */
export function sessionTagProblems(token: Claims): string[] {
  const claim = token[AWS_TAGS_CLAIM];
  if (claim === undefined) return [];
  const limits = STS_SESSION_TAG_LIMITS;
  const tags = (claim as { principal_tags?: unknown } | null)?.principal_tags;
  if (claim === null || typeof claim !== "object" || Array.isArray(claim))
    return [`${AWS_TAGS_CLAIM} is not an object holding principal_tags`];
  if (tags === null || typeof tags !== "object" || Array.isArray(tags))
    return ["principal_tags is not an object of tag keys"];
  const problems: string[] = [];
  const keys = Object.keys(tags);
  if (keys.length > limits.maxTags)
    problems.push(`${keys.length} tags, over STS's limit of ${limits.maxTags}`);
  const byLowerCase = new Map<string, string>();
  for (const key of keys) {
    const length = [...key].length;
    if (length === 0) problems.push("an empty key: STS takes keys of 1 to 128 characters");
    else if (length > limits.maxKeyCharacters)
      problems.push(
        `key ${shown(key)} is ${length} characters, over STS's limit of ${limits.maxKeyCharacters}`,
      );
    if (length > 0 && !limits.key.test(key))
      problems.push(`key ${shown(key)} has a character STS does not take (${CHARACTERS})`);
    const same = byLowerCase.get(key.toLowerCase());
    if (same !== undefined)
      problems.push(
        `keys ${same} and ${shown(key)} differ only in case: STS takes tag keys case-insensitively and refuses both`,
      );
    else byLowerCase.set(key.toLowerCase(), shown(key));
    // A bare string is read as one value, as the trust evaluation reads it.
    const raw = (tags as Record<string, unknown>)[key];
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length !== limits.valuesPerTag) {
      problems.push(`${shown(key)} has ${values.length} values: STS takes one value per tag`);
      continue;
    }
    const value = values[0];
    if (typeof value !== "string") {
      problems.push(`the value of ${shown(key)} is not a string`);
      continue;
    }
    const valueLength = [...value].length;
    if (valueLength > limits.maxValueCharacters)
      problems.push(
        `the value of ${shown(key)} is ${valueLength} characters, over STS's limit of ${limits.maxValueCharacters}`,
      );
    if (!limits.value.test(value))
      problems.push(`the value of ${shown(key)} has a character STS does not take (${CHARACTERS})`);
  }
  const transitive = (claim as { transitive_tag_keys?: unknown }).transitive_tag_keys;
  if (transitive !== undefined) {
    if (!Array.isArray(transitive) || transitive.some((k) => typeof k !== "string"))
      problems.push("transitive_tag_keys is not a list of tag keys");
    else
      for (const key of transitive as string[])
        if (!byLowerCase.has(key.toLowerCase()))
          problems.push(
            `transitive key ${shown(key)} is not one of the tags (${keys.map(shown).join(", ") || "none"})`,
          );
  }
  return problems;
}

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
