import { readLocalState } from "../issuer/local-state.ts";
import { findLocalServer } from "../issuer/server-discovery.ts";
import { jwksUriOf } from "../model/contract/endpoints.ts";
import {
  ENVIRONMENT_CONFIG_KEY,
  type Environment,
  parseEnvironment,
} from "../model/environment/environment.ts";
import { placeholderClientId, workloadKey } from "../model/environment/names.ts";
import { readStackFile } from "../stack/stack-file.ts";
import { readJsonFile } from "../verify/json-file.ts";
import { renderReport } from "../verify/render.ts";
import { environmentTargets } from "../verify/targets.ts";
import {
  type KeySource,
  type ReadToken,
  readClaimsFile,
  readJwt,
  TokenInputError,
} from "../verify/token-input.ts";
import { verifyClaims, verifyExitCode } from "../verify/verdicts.ts";
import { EXIT } from "./exit-codes.ts";

/** Options of `m2m verify`, as the command line gives them. */
export interface VerifyOptions {
  readonly projectDir: string;
  readonly stack: string;
  /** The JWT itself (the command layer reads `--token -` from stdin). */
  readonly token?: string;
  readonly claimsFile?: string;
  readonly local: boolean;
  readonly stateDir?: string;
  readonly outputsFile?: string;
  readonly jwks?: string;
  readonly json: boolean;
}

/** The client ids, where they came from, and the environment as that source sees it. */
interface Source {
  readonly env: Environment;
  readonly ids: Readonly<Record<string, string>>;
  readonly said: string;
  readonly keys: KeySource;
  /** What else to say about the source, after `said`. */
  readonly notes?: readonly string[];
}

/**
 * `pulumi stack output --json`: the workloads' client ids. Refused when it is not JSON, holds no
 * client ids, gives one client id to two workloads (Auth0 gives every application its own: the
 * file was edited or mixes stacks, and the token would be taken for the wrong workload's), or
 * names another issuer than the stack's (another stack's outputs). An outputs file without an
 * issuer is used, and the output says its issuer could not be compared.
 */
function idsFromOutputs(file: string, env: Environment): { ids: Record<string, string>; notes: string[] } {
  const again = `write it with: pulumi stack output --json --stack ${env.name} > ${file}`;
  const outputs = readJsonFile("--outputs", file, (m) => new TokenInputError(m), again) as {
    issuer?: unknown;
    workloads?: Record<string, { clientId?: unknown }>;
  } | null;
  if (outputs === null || typeof outputs !== "object" || Array.isArray(outputs))
    throw new TokenInputError(`--outputs ${file} is not the stack's outputs (a JSON object); ${again}`);
  if (outputs.issuer !== undefined && outputs.issuer !== env.issuer)
    throw new TokenInputError(
      `--outputs ${file} is the outputs of a stack whose issuer is ${String(outputs.issuer)}, but stack ${env.name}'s issuer is ${env.issuer}: its client ids are not this stack's; ${again}`,
    );
  const ids = Object.fromEntries(
    Object.entries(outputs.workloads ?? {}).flatMap(([key, w]) =>
      typeof w?.clientId === "string" ? [[key, w.clientId]] : [],
    ),
  );
  if (Object.keys(ids).length === 0)
    throw new TokenInputError(
      `--outputs ${file} has no workloads with client ids: is it the stack's outputs?`,
    );
  const byClient = new Map<string, string[]>();
  for (const [key, clientId] of Object.entries(ids))
    byClient.set(clientId, [...(byClient.get(clientId) ?? []), key]);
  const shared = [...byClient].filter(([, keys]) => keys.length > 1);
  if (shared.length > 0)
    throw new TokenInputError(
      `--outputs ${file} gives one client id to more than one workload (${shared
        .map(([clientId, keys]) => `${clientId}: ${keys.join(", ")}`)
        .join(
          "; ",
        )}); Auth0 gives every application its own, so the file was edited or mixes stacks; ${again}`,
    );
  return {
    ids,
    notes:
      outputs.issuer === undefined
        ? [
            `--outputs ${file} names no issuer: whether it is stack ${env.name}'s outputs could not be checked`,
          ]
        : [],
  };
}

async function sourceOf(options: VerifyOptions, raw: unknown): Promise<Source> {
  if (options.local) {
    const server = await findLocalServer(options.projectDir, options.stack, options.stateDir);
    const stateDir = server.stateDir;
    const state = readLocalState(stateDir);
    if (!state)
      throw new TokenInputError(
        `no local state in ${stateDir}: start it with m2m up --local --stack ${options.stack}`,
      );
    return {
      env: parseEnvironment(raw, options.stack, server.issuer),
      ids: Object.fromEntries(Object.entries(state.clients).map(([key, c]) => [key, c.clientId])),
      said: `Simulated against the local environment at ${server.issuer} (client ids from its state)`,
      keys: { kind: "local", signingKeyPem: state.signingKeyPem, apiSecrets: state.apiSecrets },
    };
  }
  const env = parseEnvironment(raw, options.stack);
  const keys: KeySource = options.jwks
    ? /^https?:\/\//.test(options.jwks)
      ? { kind: "jwks-url", url: options.jwks }
      : { kind: "jwks-file", file: options.jwks }
    : { kind: "jwks-url", url: jwksUriOf(env.issuer) };
  if (options.outputsFile) {
    const { ids, notes } = idsFromOutputs(options.outputsFile, env);
    return { env, ids, said: `Client ids from ${options.outputsFile}`, keys, notes };
  }
  const ids = Object.fromEntries(
    env.tenants.flatMap((t) =>
      t.workloads.map((w) => [workloadKey(t.id, w.name), placeholderClientId(t.id, w.name)]),
    ),
  );
  return {
    env,
    ids,
    said: "Client ids are the plan's placeholders (placeholder-<tenant>-<workload>): pass --outputs with the stack's outputs to verify a real token",
    keys,
  };
}

/** Runs `m2m verify`; resolves to the exit code. */
export async function verify(options: VerifyOptions): Promise<number> {
  const raw = readStackFile(options.projectDir, options.stack).config[ENVIRONMENT_CONFIG_KEY];
  const source = await sourceOf(options, raw);
  let read: ReadToken;
  if (options.claimsFile) read = readClaimsFile(options.claimsFile);
  else if (options.token !== undefined) read = await readJwt(options.token, source.keys);
  else throw new TokenInputError("give the token with --token <JWT | -> or a claim set with --claims <file>");
  const targets = environmentTargets(source.env, source.ids);
  const report = verifyClaims(source.env, targets, read.claims, read.form, {
    nowS: Math.floor(Date.now() / 1000),
    local: options.local,
  });
  const header = [
    source.said,
    ...(source.notes ?? []),
    ...(options.claimsFile ? [`Claims from ${options.claimsFile}, evaluated as if signed`] : []),
  ];
  console.log(
    options.json
      ? JSON.stringify({ ...report, notes: [...header, ...report.notes] }, null, 2)
      : renderReport(report, header),
  );
  const code = verifyExitCode(report);
  return code === 3 ? EXIT.isolationBreach : code === 1 ? EXIT.negative : EXIT.ok;
}
