import { ManagementError } from "auth0";

/** A Management API call that failed: exit 2, with what the tenant said and what to do. */
export class ManagementCallError extends Error {}

/** What to do about a refusal, by status. */
const ADVICE: Readonly<Record<number, string>> = {
  401: "check M2M_AUTH0_CLIENT_ID and its secret (the application must be authorized for the Management API)",
  403: "authorize the application for the Management API with the scopes named above (Applications > APIs > Auth0 Management API)",
  429: "the tenant's rate limit held after every retry: run again later, or on a plan with a higher limit",
};

/**
 * `error` as one line a user can act on: the Management API's status and message (never a
 * request body or a secret), or the network failure; anything else unchanged.
 */
export function managementCallError(error: unknown, tenant: string): unknown {
  if (error instanceof ManagementError) {
    const body = error.body as { message?: unknown; error_description?: unknown } | undefined;
    const said =
      typeof body?.message === "string"
        ? body.message
        : typeof body?.error_description === "string"
          ? body.error_description
          : error.message.split("\n")[0];
    const status = error.statusCode ?? 0;
    const advice = ADVICE[status];
    return new ManagementCallError(
      `${tenant} refused a Management API call (${status || "no status"}): ${said}${advice ? `; ${advice}` : ""}`,
    );
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message))
    return new ManagementCallError(
      `could not reach ${tenant}: ${String((error.cause as Error | undefined)?.message ?? error.message)}`,
    );
  return error;
}
