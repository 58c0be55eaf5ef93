// What can go wrong getting a workload's token, as typed errors whose messages say what to fix.
// None of them ever holds the client secret, the private key or the request body.

/**
 * One bucket of Auth0's M2M token quota, from its `Auth0-Client-Quota-Limit` (or
 * `Auth0-Organization-Quota-Limit`) header: `b=per_hour;q=100;r=0;t=1200`, buckets separated by
 * commas.
 */
export interface QuotaBucket {
  /** `per_hour` or `per_day`. */
  readonly bucket: string;
  /** Tokens the bucket allows. */
  readonly quota?: number;
  /** Tokens left in it. */
  readonly remaining?: number;
  /** Seconds until it resets. */
  readonly resetAfterSeconds?: number;
}

/** Why a token request failed, as a stable code (also the gcp-executable failure `code`). */
export type TokenFailureCode =
  /** The issuer could not be reached, or did not answer in time. */
  | "network"
  /** Auth0 answered with an error status (4xx other than 429, or a 5xx after retries). */
  | "refused"
  /** 429: Auth0's rate limit or the client's token quota. */
  | "rate_limited"
  /** A 200 whose body is not a token response. */
  | "bad_response"
  /** The workload's secret or private key could not be read. */
  | "credential"
  /** The cross-process cache folder is missing, shared or not a folder. */
  | "cache";

/** The token request failed: Auth0 refused it, or it could not be made within the deadline. */
export class TokenRequestError extends Error {
  override readonly name = "TokenRequestError";

  constructor(
    message: string,
    readonly details: {
      readonly code: TokenFailureCode;
      /** The HTTP status, when Auth0 answered. */
      readonly status?: number;
      /** Auth0's `error`, e.g. `access_denied`. */
      readonly error?: string;
      /** Auth0's `error_description`. */
      readonly errorDescription?: string;
      /** Whether another attempt could succeed (network errors, 5xx, 429). */
      readonly retryable: boolean;
      /** Seconds Auth0 asked to wait (`Retry-After`). */
      readonly retryAfterSeconds?: number;
      /** The client's quota buckets, when Auth0 sent them. */
      readonly quota?: readonly QuotaBucket[];
      /** The organization's quota buckets, when Auth0 sent them. */
      readonly organizationQuota?: readonly QuotaBucket[];
      /** Attempts made before giving up. */
      readonly attempts?: number;
    },
  ) {
    super(message);
  }

  get code(): TokenFailureCode {
    return this.details.code;
  }
}

/** The workload's secret or private key could not be read or used. */
export class TokenCredentialError extends Error {
  override readonly name = "TokenCredentialError";
  readonly code = "credential" satisfies TokenFailureCode;
}

/** The cross-process token cache cannot be used safely. */
export class TokenCacheError extends Error {
  override readonly name = "TokenCacheError";
  readonly code = "cache" satisfies TokenFailureCode;
}

/** The failure code of any error of this module; `network` for anything else thrown on the way. */
export function failureCodeOf(error: unknown): TokenFailureCode {
  if (error instanceof TokenRequestError) return error.code;
  if (error instanceof TokenCredentialError || error instanceof TokenCacheError) return error.code;
  return "network";
}
