/**
 * `m2m token`: a workload's Auth0 token, printed raw or as JSON, as Google's executable source
 * or AWS's credential_process read it, or kept fresh in a file for AWS_WEB_IDENTITY_TOKEN_FILE and
 * AZURE_FEDERATED_TOKEN_FILE. The secret or key is read from the workload's tokenCredential (or
 * the local state with --local), never from the command line, and never printed.
 */
import { STSClient } from "@aws-sdk/client-sts";
import { LocalEnvironmentStackError, NoLocalEnvironmentError } from "../issuer/server-discovery.ts";
import { EnvironmentError } from "../model/environment/errors.ts";
import { StackFileError } from "../stack/stack-file.ts";
import { assumeRoleWithToken, credentialProcessOutput } from "../token/aws-credentials.ts";
import { fileTokenCache } from "../token/file-token-cache.ts";
import {
  gcpExecutableFailure,
  gcpExecutableSuccess,
  writeGcpOutputFile,
} from "../token/gcp-executable-response.ts";
import {
  failureCodeOf,
  TokenCacheError,
  TokenCredentialError,
  TokenRequestError,
} from "../token/token-errors.ts";
import { keepTokenFileFresh, writeTokenFile } from "../token/token-file.ts";
import { createTokenSource, type TokenSource } from "../token/token-source.ts";
import { EXIT } from "./exit-codes.ts";
import {
  resolveTokenWorkload,
  TokenInputError,
  type TokenWorkload,
  type TokenWorkloadFlags,
} from "./token-workload.ts";

/** The output formats. */
export const TOKEN_FORMATS = ["raw", "json", "gcp-executable", "aws-credential-process"] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/** Options of `m2m token`, as the command line gives them. */
export interface TokenOptions extends TokenWorkloadFlags {
  readonly format: TokenFormat;
  /** Write the token to this file (raw only), atomically, 0600. */
  readonly out?: string;
  /** With `out`: keep running and replace the file before each token's refresh window. */
  readonly refresh: boolean;
  /** The cross-process cache folder; undefined: the default folder where the format caches. */
  readonly cacheDir?: string;
  /** No cross-process cache, whatever the format. */
  readonly noCache: boolean;
  /** AWS STS endpoint, for aws-credential-process (a VPC endpoint, or a test's). Default: the region's. */
  readonly stsEndpoint?: string;
  /** Where stdout and stderr go, and the process environment (GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE). */
  readonly io?: {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    readonly env: NodeJS.ProcessEnv;
  };
}

const defaultIo = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  env: process.env,
};

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The token source for `workload`, with the file cache where the format (or the flags) want it. */
function sourceFor(
  workload: TokenWorkload,
  options: TokenOptions,
  onRefreshError?: (error: unknown) => void,
): TokenSource {
  const cached =
    !options.noCache &&
    (options.cacheDir !== undefined ||
      options.format === "gcp-executable" ||
      options.format === "aws-credential-process");
  return createTokenSource({
    issuer: workload.issuer,
    clientId: workload.clientId,
    credential: workload.credential,
    audience: workload.audience,
    ...(workload.organization ? { organization: workload.organization } : {}),
    // The command refreshes by itself (--refresh); one-shot runs must not keep timers.
    refreshAhead: false,
    ...(onRefreshError ? { onRefreshError } : {}),
    ...(cached ? { cache: fileTokenCache(options.cacheDir ? { folder: options.cacheDir } : {}) } : {}),
  });
}

/** A local https environment's certificate must be trusted before the process starts. */
function checkLocalCertificate(workload: TokenWorkload, env: NodeJS.ProcessEnv): void {
  if (workload.certificatePath && env.NODE_EXTRA_CA_CERTS !== workload.certificatePath)
    throw new TokenInputError(
      `the local environment serves https with a self-signed certificate: run with NODE_EXTRA_CA_CERTS=${workload.certificatePath}`,
    );
}

/** Keeps `--out` fresh until SIGINT or SIGTERM; resolves to the exit code then. */
async function refreshLoop(
  source: TokenSource,
  file: string,
  io: NonNullable<TokenOptions["io"]>,
): Promise<number> {
  // The signal handlers come first: a SIGTERM right after the first write must still end with 0.
  let stopped: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  const stop = () => stopped();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const keeper = keepTokenFileFresh(source, file, {
    onWrite: (t) =>
      io.stderr(`m2m token: wrote ${file} (expires ${iso(t.expiresAt)}; next at ${iso(t.refreshAt)})\n`),
    onError: (error) =>
      io.stderr(
        `m2m token: refreshing ${file} failed, the file keeps its token; trying again: ${(error as Error).message}\n`,
      ),
  });
  // Interrupted before the first write, its failure is no one's concern.
  keeper.started.catch(() => undefined);
  try {
    await Promise.race([keeper.started, interrupted]);
    await interrupted;
    return EXIT.ok;
  } finally {
    keeper.stop();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

async function gcpExecutable(options: TokenOptions, io: NonNullable<TokenOptions["io"]>): Promise<number> {
  // Google's libraries read stdout and stderr together: every outcome is one JSON object on
  // stdout, and a failure exits 0 so that they report its message rather than a bare exit code.
  try {
    const workload = await resolveTokenWorkload({ ...options, formatCloud: "gcp" });
    checkLocalCertificate(workload, io.env);
    const token = await sourceFor(workload, options).getAccessToken();
    const response = gcpExecutableSuccess(token);
    const outputFile = io.env.GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE;
    if (outputFile) writeGcpOutputFile(outputFile, response);
    io.stdout(`${JSON.stringify(response)}\n`);
  } catch (error) {
    io.stdout(
      `${JSON.stringify(gcpExecutableFailure(gcpFailureCode(error), `m2m token: ${(error as Error).message}`))}\n`,
    );
  }
  return EXIT.ok;
}

/** The failure `code` Google's libraries show: the token module's, `input` for what the caller gave, else `internal`. */
function gcpFailureCode(error: unknown): string {
  if (
    error instanceof TokenRequestError ||
    error instanceof TokenCredentialError ||
    error instanceof TokenCacheError
  )
    return failureCodeOf(error);
  if (
    error instanceof TokenInputError ||
    error instanceof TypeError ||
    error instanceof EnvironmentError ||
    error instanceof NoLocalEnvironmentError ||
    error instanceof LocalEnvironmentStackError ||
    error instanceof StackFileError
  )
    return "input";
  return "internal";
}

/** Runs `m2m token`; resolves to the exit code. Input errors throw before any request. */
export async function token(options: TokenOptions): Promise<number> {
  const io = options.io ?? defaultIo;
  if (options.format === "gcp-executable") return gcpExecutable(options, io);
  const workload = await resolveTokenWorkload({
    ...options,
    ...(options.format === "aws-credential-process" ? { formatCloud: "aws" as const } : {}),
  });
  checkLocalCertificate(workload, io.env);
  const source = sourceFor(
    workload,
    options,
    options.refresh
      ? (error) =>
          io.stderr(
            `m2m token: a refresh failed; ${options.out} keeps its token, which has not expired; trying again: ${(error as Error).message}\n`,
          )
      : undefined,
  );
  if (options.format === "aws-credential-process") {
    const aws = workload.aws;
    if (!aws)
      throw new TokenInputError(
        options.stack
          ? `${workload.audience} is not the stack's AWS API, or AWS is off: aws-credential-process needs a token for the AWS API`
          : "aws-credential-process without --stack needs --role-arn <arn> (the workload's awsRoleArn output) and --region or AWS_REGION",
      );
    const region = aws.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (!region && !options.stsEndpoint)
      throw new TokenInputError(
        "aws-credential-process needs the STS region: give --region <region> or set AWS_REGION",
      );
    const client = new STSClient({
      ...(region ? { region } : {}),
      ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
    });
    const credentials = await assumeRoleWithToken(
      { tokenSource: source, roleArn: aws.roleArn, roleSessionName: aws.sessionName },
      client,
    );
    io.stdout(`${JSON.stringify(credentialProcessOutput(credentials))}\n`);
    return EXIT.ok;
  }
  if (options.out) {
    if (options.refresh) return refreshLoop(source, options.out, io);
    const t = await source.getAccessToken();
    writeTokenFile(options.out, t);
    io.stderr(`m2m token: wrote ${options.out} (expires ${iso(t.expiresAt)})\n`);
    return EXIT.ok;
  }
  const t = await source.getAccessToken();
  io.stdout(
    options.format === "json"
      ? `${JSON.stringify({ access_token: t.accessToken, token_type: "Bearer", issued_at: t.issuedAt, expires_at: t.expiresAt, refresh_at: Math.floor(t.refreshAt) })}\n`
      : `${t.accessToken}\n`,
  );
  return EXIT.ok;
}
