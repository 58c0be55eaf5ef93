import { type LocalEnvironment, startLocalEnvironment } from "../issuer/local-environment.ts";
import { readLocalState } from "../issuer/local-state.ts";
import { removeServerFile } from "../issuer/server-discovery.ts";
import { jwksUriOf } from "../model/contract/endpoints.ts";
import { renderStartupMatrix, startupMatrix, startupWarning } from "./startup-matrix.ts";

/** Options of `m2m up --local`. */
export interface UpLocalOptions {
  readonly projectDir: string;
  readonly stack: string;
  readonly port: number;
  readonly https: boolean;
  readonly showSecrets: boolean;
  readonly stateDir?: string;
}

/** What `m2m up --local` prints once the environment serves: no secret unless asked. */
export function startupReport(local: LocalEnvironment, showSecrets: boolean): string {
  const { tenant, changes } = local;
  const lines = [
    `Local Auth0-compatible tenant for stack ${tenant.env.name}`,
    `  issuer          ${local.issuer}`,
    `  token endpoint  ${tenant.tokenEndpoint}`,
    `  jwks            ${jwksUriOf(local.issuer)}`,
    ...(local.certificatePath
      ? [
          `  certificate     ${local.certificatePath}  (NODE_EXTRA_CA_CERTS=${local.certificatePath} for other Node processes)`,
        ]
      : []),
    `  changes         ${changes.added.length} added, ${changes.updated.length} updated, ${changes.removed.length} removed, ${changes.unchanged.length} unchanged`,
    ...changes.added.map((k) => `    + ${k}`),
    ...changes.updated.map((k) => `    ~ ${k}`),
    ...changes.removed.map((k) => `    - ${k}`),
    "",
    "Workloads:",
  ];
  for (const client of tenant.clients.values()) {
    const secret = client.clientSecret
      ? showSecrets
        ? `secret ${client.clientSecret}`
        : "secret in the secrets file"
      : "signs with its private key";
    lines.push(`  ${client.key.padEnd(28)} client_id ${client.clientId}  ${client.method}, ${secret}`);
  }
  lines.push(
    "",
    `Client secrets (0600): ${local.clientSecretsFile}${showSecrets ? "" : " (or run with --show-secrets)"}`,
  );
  if (tenant.skippedBindings.length > 0) {
    lines.push(`Not run here (bound on the real tenant only): ${tenant.skippedBindings.join(", ")}`);
  }
  const example = [...tenant.clients.values()].find(
    (c) => c.clientSecret && c.method === "client_secret_post",
  );
  if (example) {
    const [audience] = example.grants.keys();
    lines.push(
      "",
      "Try it:",
      `  curl -s ${local.certificatePath ? `--cacert ${local.certificatePath} ` : ""}-X POST ${tenant.tokenEndpoint} \\`,
      `    -d grant_type=client_credentials -d client_id=${example.clientId} \\`,
      `    --data-urlencode client_secret="$(grep '^${example.key}=' ${local.clientSecretsFile} | cut -d= -f2-)" \\`,
      `    --data-urlencode audience=${audience}`,
    );
  }
  if (tenant.skippedBindings.length === 0 && tenant.actions.length === 0) lines.push("No Actions bound.");
  return lines.join("\n");
}

/** `m2m up --local`: serves the stack until interrupted. */
export async function upLocal(options: UpLocalOptions): Promise<LocalEnvironment> {
  const local = await startLocalEnvironment({
    projectDir: options.projectDir,
    stack: options.stack,
    port: options.port,
    https: options.https,
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
  });
  // First: a signal during the startup checks still stops it cleanly.
  const stop = () => {
    local.close().finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // close() removes server.json; this also does when the process ends any other way it can
  // still run code (an uncaught error, process.exit), so commands do not find a dead server.
  process.once("exit", () => removeServerFile(local.stateDir, local.issuer));
  console.log(startupReport(local, options.showSecrets));
  // The checks never stop the server: what they find is said, and it keeps serving.
  try {
    const state = readLocalState(local.stateDir);
    if (!state) throw new Error(`no local state in ${local.stateDir}`);
    const matrix = await startupMatrix(
      local.tenant,
      { kind: "local", signingKeyPem: state.signingKeyPem, apiSecrets: state.apiSecrets },
      Math.floor(Date.now() / 1000),
    );
    console.log(`\n${renderStartupMatrix(matrix)}`);
    // On stderr, where a wrapper or a CI log shows it even when stdout is piped away.
    const warning = startupWarning(matrix, options.stack);
    if (warning) console.error(`\n${warning}`);
  } catch (error) {
    console.error(`\nWARNING: the startup verification could not run: ${(error as Error).message}`);
  }
  return local;
}
