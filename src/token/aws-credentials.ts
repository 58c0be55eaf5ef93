/**
 * AWS credentials from a workload's Auth0 token: AssumeRoleWithWebIdentity on its role with a
 * fresh token, as an AWS SDK v3 credential provider that renews both the token and the role's
 * credentials before they expire. (The SDK's `fromWebToken` takes one token and never renews
 * it, so it fails once the token expires.)
 *
 * ```ts
 * import { S3Client } from "@aws-sdk/client-s3";
 * import { createTokenSource } from "auth0-m2m-federation/token";
 * import { fromM2mToken } from "auth0-m2m-federation/token/aws";
 * const s3 = new S3Client({ credentials: fromM2mToken({ tokenSource, roleArn, roleSessionName, region }) });
 * ```
 */
import { AssumeRoleWithWebIdentityCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import type { TokenSource } from "./token-source.ts";

/** Role credentials, as the AWS SDK v3 takes them. */
export interface AwsRoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Which role to assume with the token source's tokens (for the AWS API's audience). */
export interface AwsRoleOptions {
  /** A token source for the environment's AWS API. */
  readonly tokenSource: TokenSource;
  /** The workload's role (stack output `awsRoleArn`). */
  readonly roleArn: string;
  /** The session's name in CloudTrail: `{tenant}-{workload}` as the model names it. */
  readonly roleSessionName: string;
  /** Session length in seconds, up to the role's maximum. Default: STS's (3600). */
  readonly durationSeconds?: number;
  /** The STS region (regional endpoint). Default: the SDK's (AWS_REGION). */
  readonly region?: string;
  /** Anything else for the STS client (an endpoint, a logger without secrets). */
  readonly clientConfig?: STSClientConfig;
}

/** Renew role credentials this long before they expire: the SDK's own margin is 5 minutes. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** One AssumeRoleWithWebIdentity with a token from the source. */
export async function assumeRoleWithToken(
  options: AwsRoleOptions,
  client: STSClient = stsClientFor(options),
): Promise<AwsRoleCredentials> {
  const token = await options.tokenSource.getToken();
  const output = await client.send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName,
      WebIdentityToken: token,
      ...(options.durationSeconds ? { DurationSeconds: options.durationSeconds } : {}),
    }),
  );
  const c = output.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
    throw new Error(`STS answered AssumeRoleWithWebIdentity for ${options.roleArn} without credentials`);
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}

function stsClientFor(options: AwsRoleOptions): STSClient {
  // AssumeRoleWithWebIdentity is unsigned: the client must not look for credentials of its own.
  return new STSClient({
    ...(options.region ? { region: options.region } : {}),
    ...options.clientConfig,
  });
}

/**
 * An AWS SDK v3 credential provider: the role's credentials, renewed 5 minutes before they
 * expire with a fresh token (one request however many callers wait).
 */
export function fromM2mToken(options: AwsRoleOptions): () => Promise<AwsRoleCredentials> {
  const client = stsClientFor(options);
  let current: AwsRoleCredentials | undefined;
  let inflight: Promise<AwsRoleCredentials> | undefined;
  return async () => {
    if (current && current.expiration.getTime() - Date.now() > RENEW_BEFORE_MS) return current;
    inflight ??= assumeRoleWithToken(options, client)
      .then((credentials) => {
        current = credentials;
        return credentials;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

/** AWS's `credential_process` output (Version 1). */
export function credentialProcessOutput(credentials: AwsRoleCredentials) {
  return {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration.toISOString(),
  } as const;
}
