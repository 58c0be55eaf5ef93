import { audiences, type Claims, type Verdict, verdict } from "./verdict.ts";

/** A federated identity credential as Entra ID matches it. */
export interface AzureCredentialArtifact {
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

/**
 * Would Entra ID accept this token as a client assertion for the identity? Issuer, subject and
 * audience must equal the credential's exactly, case-sensitive, no wildcards (AADSTS700211,
 * AADSTS700213, AADSTS70021 otherwise).
 */
export function evaluateAzure(token: Claims, credential: AzureCredentialArtifact): Verdict {
  const iss = String(token.iss ?? "");
  const sub = String(token.sub ?? "");
  const aud = audiences(token);
  return verdict([
    {
      check: "issuer",
      passed: iss === credential.issuer,
      detail: `iss ${iss} against ${credential.issuer} (AADSTS700211)`,
    },
    {
      check: "subject",
      passed: sub === credential.subject,
      detail: `sub ${sub} against ${credential.subject} (AADSTS700213)`,
    },
    {
      check: "audience",
      passed: aud.some((a) => credential.audiences.includes(a)),
      detail: `aud ${aud.join(",")} against ${credential.audiences.join(",")} (AADSTS70021)`,
    },
  ]);
}
