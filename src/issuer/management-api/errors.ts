import { STATUS_CODES } from "node:http";

/** The body of every Management API error: `{statusCode, error, message, errorCode}`. */
export interface ManagementErrorBody {
  readonly statusCode: number;
  /** The HTTP reason phrase ("Bad Request"). */
  readonly error: string;
  readonly message: string;
  readonly errorCode?: string;
}

/** A refusal of the local Management API, thrown by the store and answered in Auth0's shape. */
export class ManagementApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }

  /** The response body, as Auth0's Management API writes it. */
  body(): ManagementErrorBody {
    return {
      statusCode: this.statusCode,
      error: STATUS_CODES[this.statusCode] ?? "Error",
      message: this.message,
      ...(this.errorCode ? { errorCode: this.errorCode } : {}),
    };
  }
}

/** The refusals the local Management API gives, with Auth0's messages and error codes. */
export const MANAGEMENT_ERRORS = {
  missingAuthentication: () => new ManagementApiError(401, "Missing authentication"),
  invalidToken: (why: string) => new ManagementApiError(401, why, "invalid_token"),
  insufficientScope: (scopes: readonly string[]) =>
    new ManagementApiError(
      403,
      `Insufficient scope, expected any of: ${scopes.join(",")}`,
      "insufficient_scope",
    ),
  invalidBody: (detail: string) =>
    new ManagementApiError(400, `Payload validation error: ${detail}`, "invalid_body"),
  invalidQuery: (detail: string) =>
    new ManagementApiError(400, `Query validation error: ${detail}`, "invalid_query_string"),
  notFound: (what: string, errorCode: string) =>
    new ManagementApiError(404, `The ${what} does not exist`, errorCode),
  conflict: (message: string) => new ManagementApiError(409, message, "conflict"),
  tooManyRequests: () => new ManagementApiError(429, "Global limit has been reached", "too_many_requests"),
  noEndpoint: () => new ManagementApiError(404, "Not Found"),
} as const;
