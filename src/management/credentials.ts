import { readFileSync, statSync } from "node:fs";

/** The Management API application's credentials, as `m2m smoke`, `drift` and `adopt` read them. */
export interface ManagementCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Credentials missing or unsafe: exit 2 with the fix, before anything is called. */
export class CredentialsError extends Error {}

/** Where the credentials come from: environment variables only, never the command line. */
export const CREDENTIAL_VARIABLES = {
  clientId: "M2M_AUTH0_CLIENT_ID",
  clientSecret: "M2M_AUTH0_CLIENT_SECRET",
  /** A file holding only the secret, readable by its owner alone (0600 or 0400). */
  clientSecretFile: "M2M_AUTH0_CLIENT_SECRET_FILE",
} as const;

/**
 * The Management API credentials from `environment`: M2M_AUTH0_CLIENT_ID, and the secret from
 * M2M_AUTH0_CLIENT_SECRET or the file M2M_AUTH0_CLIENT_SECRET_FILE names (refused unless only its
 * owner can read it). The AUTH0_* names the Pulumi program refuses are never read: a user who set
 * one is told which name to use instead.
 */
export function managementCredentials(
  environment: Readonly<Record<string, string | undefined>>,
): ManagementCredentials {
  const { clientId: idName, clientSecret: secretName, clientSecretFile: fileName } = CREDENTIAL_VARIABLES;
  const clientId = environment[idName] ?? "";
  const inline = environment[secretName] ?? "";
  const file = environment[fileName] ?? "";
  const hint = ["AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"].some((n) => (environment[n] ?? "") !== "")
    ? ` (AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not read: the M2M_ names keep these credentials apart from the Auth0 provider's)`
    : "";
  if (!clientId)
    throw new CredentialsError(
      `${idName} is not set: export the client id of an Auth0 machine-to-machine application authorized for the Management API${hint}`,
    );
  if (inline && file) throw new CredentialsError(`set one of ${secretName} and ${fileName}, not both`);
  if (file) return { clientId, clientSecret: secretFromFile(file, fileName) };
  if (!inline)
    throw new CredentialsError(
      `${secretName} is not set: export the application's client secret, or put it in a file only you can read (chmod 600) and export ${fileName}=<path>${hint}`,
    );
  return { clientId, clientSecret: inline };
}

function secretFromFile(file: string, variable: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new CredentialsError(`${variable}: no file ${file}`);
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0)
    throw new CredentialsError(
      `${variable}: ${file} can be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${file}, then rotate the secret if others could read it`,
    );
  const secret = readFileSync(file, "utf8").trim();
  if (!secret) throw new CredentialsError(`${variable}: ${file} is empty`);
  return secret;
}
