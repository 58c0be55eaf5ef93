/**
 * Which token `m2m token` asks for, for whom, with which credential: from the stack's model
 * (with `--stack`, the client id from `--client-id` or, with `--local`, from the local state and
 * its 0600 secrets file), or from flags alone, as the GCP credential configuration runs it on a
 * workload machine that has neither the stack file nor this repository.
 */
import { readLocalState, stateFiles } from "../issuer/local-state.ts";
import { findLocalServer } from "../issuer/server-discovery.ts";
import { readOptionalFile } from "../issuer/state-files.ts";
import { cloudApi } from "../model/environment/clouds.ts";
import { ENVIRONMENT_CONFIG_KEY, parseEnvironment } from "../model/environment/environment.ts";
import { workloadKey } from "../model/environment/names.ts";
import type { Cloud } from "../model/environment/schema.ts";
import { awsRoleArn, awsRoleSessionName } from "../model/trust/aws/aws-role.ts";
import { type TokenCredential, tokenCredentialOf } from "../model/trust/gcp/gcp-trust.ts";
import { readStackFile } from "../stack/stack-file.ts";
import {
  type AssertionAlgorithm,
  type AuthenticationMethod,
  type ClientCredential,
  readClientCredential,
} from "../token/client-credential.ts";

/** A mistake in what was asked for: exit 2 with the fix, before any request. */
export class TokenInputError extends Error {
  override readonly name = "TokenInputError";
}

/** What the command line says, before it is resolved. */
export interface TokenWorkloadFlags {
  readonly projectDir: string;
  /** `tenant/name`. */
  readonly workload: string;
  readonly stack?: string;
  readonly local: boolean;
  readonly stateDir?: string;
  readonly audience?: string;
  readonly cloud?: Cloud;
  /** The cloud a format needs a token for (aws-credential-process: aws; gcp-executable: gcp). */
  readonly formatCloud?: Cloud;
  readonly issuer?: string;
  readonly clientId?: string;
  readonly authMethod?: AuthenticationMethod;
  readonly credential?: TokenCredential;
  readonly keyAlgorithm?: AssertionAlgorithm;
  readonly organization?: string;
  readonly roleArn?: string;
  readonly sessionName?: string;
  readonly region?: string;
}

/** Everything a token request and the cloud formats need. */
export interface TokenWorkload {
  readonly key: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly credential: ClientCredential;
  readonly audience: string;
  readonly organization?: string;
  /** For aws-credential-process. */
  readonly aws?: { readonly roleArn: string; readonly sessionName: string; readonly region?: string };
  /** The local environment's self-signed certificate, when it serves https. */
  readonly certificatePath?: string;
}

const WORKLOAD = /^([a-z0-9-]+)\/([a-z0-9-]+)$/;

/** `tenant/name` split, or the error that shows the syntax. */
export function parseWorkloadKey(value: string): { tenantId: string; name: string } {
  const match = WORKLOAD.exec(value);
  if (!match?.[1] || !match[2])
    throw new TokenInputError(
      `--workload ${JSON.stringify(value)} must be <tenant>/<name>, e.g. --workload initech/report-export`,
    );
  return { tenantId: match[1], name: match[2] };
}

/** The secret of `key` in the local environment's 0600 secrets file (`tenant/workload=secret` lines). */
function localSecret(stateDir: string, key: string): string | undefined {
  const line = (readOptionalFile(stateFiles(stateDir).clientSecrets) ?? "")
    .split("\n")
    .find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1);
}

/** Resolves the flags against the stack's model (`--stack`). */
async function fromStack(flags: TokenWorkloadFlags & { stack: string }): Promise<TokenWorkload> {
  const { tenantId, name } = parseWorkloadKey(flags.workload);
  const key = workloadKey(tenantId, name);
  const raw = readStackFile(flags.projectDir, flags.stack).config[ENVIRONMENT_CONFIG_KEY];
  const server = flags.local
    ? await findLocalServer(flags.projectDir, flags.stack, flags.stateDir)
    : undefined;
  const env = parseEnvironment(raw, flags.stack, server?.issuer);
  const tenant = env.tenants.find((t) => t.id === tenantId);
  const workload = tenant?.workloads.find((w) => w.name === name);
  if (!tenant || !workload)
    throw new TokenInputError(
      `stack ${flags.stack} has no workload ${key}; it has ${env.tenants.flatMap((t) => t.workloads.map((w) => workloadKey(t.id, w.name))).join(", ")}`,
    );
  const granted = workload.grants.flatMap((g) => env.apis.filter((a) => a.key === g.api));
  const identifiers = granted.map((a) => a.identifier);
  const cloud = flags.cloud ?? flags.formatCloud;
  let audience = flags.audience;
  if (audience === undefined && cloud) {
    const api = cloudApi(env, cloud);
    if (!api)
      throw new TokenInputError(`stack ${flags.stack} has no API for ${cloud} (an API with cloud: ${cloud})`);
    audience = api.identifier;
  }
  if (audience === undefined) {
    if (identifiers.length !== 1)
      throw new TokenInputError(
        `${key} is granted ${identifiers.length} APIs: choose one with --audience (${identifiers.join(", ")}) or --cloud aws|gcp|azure`,
      );
    audience = identifiers[0] as string;
  }
  if (!identifiers.includes(audience))
    throw new TokenInputError(
      `${key} is not granted ${audience}${cloud ? ` (the ${cloud} API)` : ""}: it is granted ${identifiers.join(", ")}`,
    );

  const method = workload.authentication.method;
  let clientId = flags.clientId;
  let credential: ClientCredential | undefined;
  if (server) {
    const state = readLocalState(server.stateDir);
    const record = state?.clients[key];
    if (!record)
      throw new TokenInputError(
        `the local environment has no client for ${key} yet: restart m2m up --local --stack ${flags.stack}`,
      );
    clientId = record.clientId;
    if (method !== "private_key_jwt") {
      if (flags.credential)
        throw new TokenInputError(
          `--credential-env and --credential-file do not go with --local for ${key} (${method}): the local state holds its secret`,
        );
      const secret = localSecret(server.stateDir, key);
      if (!secret)
        throw new TokenInputError(
          `no secret for ${key} in ${stateFiles(server.stateDir).clientSecrets}: restart m2m up --local`,
        );
      credential = { method, clientSecret: secret };
    }
  }
  if (!clientId)
    throw new TokenInputError(
      `the stack file does not hold ${key}'s client id (Auth0 assigns it): give --client-id (pulumi stack output workloads --stack ${flags.stack} --json), or use --local`,
    );
  const keyAlgorithm =
    flags.keyAlgorithm ??
    (workload.authentication.method === "private_key_jwt"
      ? workload.authentication.keys[0]?.algorithm
      : undefined);
  credential ??= readClientCredential(method, flags.credential ?? tokenCredentialOf(workload), {
    ...(keyAlgorithm ? { algorithm: keyAlgorithm } : {}),
  });
  const awsOn = env.clouds.aws !== undefined && cloudApi(env, "aws")?.identifier === audience;
  return {
    key,
    issuer: env.issuer,
    clientId,
    credential,
    audience,
    ...(flags.organization ? { organization: flags.organization } : {}),
    ...(awsOn && env.clouds.aws
      ? {
          aws: {
            roleArn: awsRoleArn(env, tenantId, name),
            sessionName: awsRoleSessionName(tenantId, name),
            region: flags.region ?? env.clouds.aws.region,
          },
        }
      : {}),
    ...(server?.certificatePath ? { certificatePath: server.certificatePath } : {}),
  };
}

/** Resolves flags alone: the GCP credential configuration's and credential_process's way. */
function fromFlags(flags: TokenWorkloadFlags): TokenWorkload {
  const { tenantId, name } = parseWorkloadKey(flags.workload);
  const missing = [
    ...(flags.issuer ? [] : ["--issuer <https://tenant/>"]),
    ...(flags.clientId ? [] : ["--client-id <id>"]),
    ...(flags.audience ? [] : ["--audience <API identifier>"]),
    ...(flags.credential ? [] : ["--credential-env <VAR> or --credential-file <path>"]),
  ];
  if (missing.length > 0)
    throw new TokenInputError(
      `without --stack, give ${missing.join(", ")} (or --stack <env> to read them from the stack file)`,
    );
  const method = flags.authMethod ?? "client_secret_post";
  const credential = readClientCredential(method, flags.credential as TokenCredential, {
    ...(flags.keyAlgorithm ? { algorithm: flags.keyAlgorithm } : {}),
  });
  return {
    key: workloadKey(tenantId, name),
    issuer: flags.issuer as string,
    clientId: flags.clientId as string,
    credential,
    audience: flags.audience as string,
    ...(flags.organization ? { organization: flags.organization } : {}),
    ...(flags.roleArn
      ? {
          aws: {
            roleArn: flags.roleArn,
            sessionName: flags.sessionName ?? awsRoleSessionName(tenantId, name),
            ...(flags.region ? { region: flags.region } : {}),
          },
        }
      : {}),
  };
}

/** The workload and token `flags` describe. */
export async function resolveTokenWorkload(flags: TokenWorkloadFlags): Promise<TokenWorkload> {
  return flags.stack ? fromStack({ ...flags, stack: flags.stack }) : fromFlags(flags);
}
