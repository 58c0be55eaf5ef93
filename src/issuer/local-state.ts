import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import type { Environment } from "../model/environment/environment.ts";
import { workloadKey } from "../model/environment/names.ts";
import { newSigningKeyPem } from "./signing-key.ts";
import { readOptionalFile, writePrivateFile } from "./state-files.ts";

/** One provisioned application of the local tenant. */
export interface LocalClientRecord {
  readonly clientId: string;
  /** Only for client_secret_post and client_secret_basic workloads. */
  readonly clientSecret?: string;
  /** A digest of what the application was provisioned with, to tell updates. */
  readonly fingerprint: string;
}

/** What the local tenant keeps between runs: ids, secrets and keys, as Auth0 would. */
export interface LocalState {
  readonly version: 1;
  /** The tenant's RS256 signing key (PKCS#8 PEM). */
  readonly signingKeyPem: string;
  /** HS256 APIs' signing secrets, by API identifier. */
  readonly apiSecrets: Readonly<Record<string, string>>;
  /** Applications by `tenant/workload`. */
  readonly clients: Readonly<Record<string, LocalClientRecord>>;
  /** The application the local Management API issues its tokens to (m2m smoke, drift, adopt --local). */
  readonly management?: { readonly clientId: string; readonly clientSecret: string };
}

/** The secrets file's key for the management application's secret (never a `tenant/workload`). */
export const MANAGEMENT_SECRET_KEY = "management-api";

/** What a run changed, by `tenant/workload`. */
export interface ProvisionChanges {
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

const BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** An Auth0-like client id: 32 characters of [A-Za-z0-9]. */
export function newClientId(): string {
  return [...randomBytes(32)].map((b) => BASE62[b % 62]).join("");
}

/** An Auth0-like client secret: 64 characters of base64url. */
export function newClientSecret(): string {
  return randomBytes(48).toString("base64url");
}

/**
 * Provisions `env` into the local tenant as an update would: keeps the ids and secrets of
 * applications that stay, creates those that are new, drops those that are gone, and reports
 * which. Applications whose grants, authentication or metadata changed are reported as updated.
 */
export function provision(
  env: Environment,
  previous: LocalState | undefined,
): { state: LocalState; changes: ProvisionChanges } {
  const clients: Record<string, LocalClientRecord> = {};
  const changes = {
    added: [] as string[],
    updated: [] as string[],
    removed: [] as string[],
    unchanged: [] as string[],
  };
  for (const tenant of env.tenants) {
    for (const workload of tenant.workloads) {
      const key = workloadKey(tenant.id, workload.name);
      const fingerprint = createHash("sha256")
        .update(
          JSON.stringify({
            grants: workload.grants,
            authentication: workload.authentication,
            metadata: workload.metadata,
          }),
        )
        .digest("hex")
        .slice(0, 16);
      const before = previous?.clients[key];
      const usesSecret = workload.authentication.method !== "private_key_jwt";
      const clientSecret = usesSecret ? (before?.clientSecret ?? newClientSecret()) : undefined;
      clients[key] = {
        clientId: before?.clientId ?? newClientId(),
        ...(clientSecret ? { clientSecret } : {}),
        fingerprint,
      };
      if (!before) changes.added.push(key);
      else if (before.fingerprint !== fingerprint) changes.updated.push(key);
      else changes.unchanged.push(key);
    }
  }
  for (const key of Object.keys(previous?.clients ?? {})) if (!clients[key]) changes.removed.push(key);
  const apiSecrets = Object.fromEntries(
    env.apis
      .filter((a) => a.signingAlg === "HS256")
      .map((a) => [a.identifier, previous?.apiSecrets[a.identifier] ?? newClientSecret()]),
  );
  return {
    state: {
      version: 1,
      signingKeyPem: previous?.signingKeyPem ?? newSigningKeyPem(),
      apiSecrets,
      clients,
      management: previous?.management ?? { clientId: newClientId(), clientSecret: newClientSecret() },
    },
    changes,
  };
}

/** Where a stack's local state lives unless `--state-dir` says otherwise: `<projectDir>/.m2m/<stack>`. */
export function defaultStateDir(projectDir: string, stack: string): string {
  return path.join(projectDir, ".m2m", stack);
}

/** Where a stack's local state lives. */
export function stateFiles(stateDir: string) {
  return {
    state: path.join(stateDir, "state.json"),
    /** Where the running environment listens, while it runs: see server-discovery.ts. */
    server: path.join(stateDir, "server.json"),
    clientSecrets: path.join(stateDir, "client-secrets"),
    /** The private_key_jwt assertions already used: see ReplayJournal. */
    replayJournal: path.join(stateDir, "replay-journal"),
    tlsCertificate: path.join(stateDir, "tls", "cert.pem"),
    tlsKey: path.join(stateDir, "tls", "key.pem"),
  };
}

/** The saved state of `stateDir`, or undefined on a first run. */
export function readLocalState(stateDir: string): LocalState | undefined {
  const file = stateFiles(stateDir).state;
  const text = readOptionalFile(file);
  if (text === undefined) return undefined;
  // The parser's message quotes the text around the error, and this file holds secrets: never show it.
  const broken = new Error(
    `${file} is not a state file this tool wrote; delete ${stateDir} to start over (new ids and secrets)`,
  );
  let state: Partial<LocalState>;
  try {
    state = JSON.parse(text) as Partial<LocalState>;
  } catch {
    throw broken;
  }
  if (
    state.version !== 1 ||
    typeof state.signingKeyPem !== "string" ||
    typeof state.clients !== "object" ||
    state.clients === null
  ) {
    throw broken;
  }
  return {
    version: 1,
    signingKeyPem: state.signingKeyPem,
    apiSecrets: state.apiSecrets ?? {},
    clients: state.clients,
    ...(typeof state.management?.clientId === "string" && typeof state.management.clientSecret === "string"
      ? { management: state.management }
      : {}),
  };
}

/**
 * Saves the state, and the client secrets in a separate file (`tenant/workload=secret` lines),
 * both 0600 and written atomically.
 */
export function writeLocalState(stateDir: string, state: LocalState): void {
  const files = stateFiles(stateDir);
  writePrivateFile(files.state, `${JSON.stringify(state, null, 2)}\n`);
  const secrets = Object.entries(state.clients)
    .filter(([, c]) => c.clientSecret)
    .map(([key, c]) => `${key}=${c.clientSecret}\n`)
    .join("");
  const management = state.management ? `${MANAGEMENT_SECRET_KEY}=${state.management.clientSecret}\n` : "";
  writePrivateFile(files.clientSecrets, secrets + management);
}
