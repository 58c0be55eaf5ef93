import type { Claims } from "../model/trust/evaluate/verdict.ts";
import type { Cloud } from "./targets.ts";

/**
 * What each cloud checks of a token before its trust: the signing algorithms it takes, its size,
 * and the clock skew it allows on `exp` and `nbf`. AWS's figures are documented
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html: a
 * token of 4 to 20,000 characters; RS256/384/512 and ES256/384/512; 5 minutes of skew). GCP's
 * algorithms are documented (RS256 and ES256:
 * https://cloud.google.com/iam/docs/workload-identity-federation-with-other-providers).
 * UNCONFIRMED, kept here only: GCP's and Entra ID's clock skew (taken as none, the strict reading,
 * so a token near its expiry is reported refused), and the algorithms Entra ID takes (not checked).
 */
interface CloudTokenRules {
  readonly algorithms?: readonly string[];
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly skewS: number;
}

export const CLOUD_TOKEN_RULES: Readonly<Record<Cloud, CloudTokenRules>> = {
  aws: {
    algorithms: ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"],
    minLength: 4,
    maxLength: 20_000,
    skewS: 300,
  },
  gcp: { algorithms: ["RS256", "ES256"], skewS: 0 },
  azure: { skewS: 0 },
};

/** What verify knows of the token beyond its claims: its header's `alg` and its length, when it was a JWT. */
export interface TokenForm {
  readonly alg?: string;
  readonly length?: number;
}

/** Why a cloud would refuse the token before looking at its trust; empty when it would not. */
export function tokenRuleFailures(cloud: Cloud, claims: Claims, form: TokenForm, nowS: number): string[] {
  const rules = CLOUD_TOKEN_RULES[cloud];
  const failures: string[] = [];
  if (form.alg !== undefined && rules.algorithms && !rules.algorithms.includes(form.alg))
    failures.push(`algorithm: ${form.alg} is not one ${cloud} takes (${rules.algorithms.join(", ")})`);
  if (form.length !== undefined && rules.maxLength !== undefined && form.length > rules.maxLength)
    failures.push(`size: ${form.length} characters, over ${rules.maxLength}`);
  if (form.length !== undefined && rules.minLength !== undefined && form.length < rules.minLength)
    failures.push(`size: ${form.length} characters, under ${rules.minLength}`);
  const exp = claims.exp;
  if (typeof exp !== "number") failures.push("expiry: the token has no numeric exp");
  else if (exp + rules.skewS < nowS)
    failures.push(`expiry: exp ${exp} is past (now ${nowS}, ${rules.skewS} s of skew)`);
  const iat = claims.iat;
  if (typeof iat === "number" && iat - rules.skewS > nowS)
    failures.push(`issued at: iat ${iat} is ahead (now ${nowS}, ${rules.skewS} s of skew)`);
  const nbf = claims.nbf;
  if (typeof nbf === "number" && nbf - rules.skewS > nowS)
    failures.push(`not before: nbf ${nbf} is ahead (now ${nowS}, ${rules.skewS} s of skew)`);
  return failures;
}
