import { clientIdOf } from "../../contract/subject.ts";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "../../environment/limits.ts";
import type { Violation } from "../invariant.ts";

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
