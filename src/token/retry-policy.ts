/**
 * Retries of a token request: exponential backoff with full jitter on network errors, 5xx and
 * 429 (waiting at least what `Retry-After` asks), none on other 4xx, and every attempt within one
 * deadline. The default deadline, 25 s, fits inside the 30 s Google's client libraries give an
 * executable credential source, so a failure is reported before the caller gives up.
 */
import { TokenRequestError } from "./token-errors.ts";
import type { IssuedToken, TokenRequester } from "./token-request.ts";

/** How hard to try. */
export interface RetryPolicy {
  /** All attempts and waits end within this many ms. Default: 25,000. */
  readonly deadlineMs: number;
  /** The first backoff's ceiling, doubled per attempt. Default: 250. */
  readonly initialDelayMs: number;
  /** The largest backoff ceiling. Default: 4,000. */
  readonly maxDelayMs: number;
  /** One attempt's own limit (less when the deadline is nearer). Default: 10,000. */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  deadlineMs: 25_000,
  initialDelayMs: 250,
  maxDelayMs: 4_000,
  attemptTimeoutMs: 10_000,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `request` until it succeeds, fails for good, or the deadline is near. */
export async function requestWithRetries(
  request: TokenRequester,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<IssuedToken> {
  const start = Date.now();
  for (let attempt = 1; ; attempt++) {
    const remaining = policy.deadlineMs - (Date.now() - start);
    try {
      return await request(AbortSignal.timeout(Math.max(1, Math.min(policy.attemptTimeoutMs, remaining))));
    } catch (error) {
      if (!(error instanceof TokenRequestError)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      const backoff = Math.random() * ceiling;
      const asked = (error.details.retryAfterSeconds ?? 0) * 1000;
      // Honour Retry-After, plus a little jitter so that processes told the same do not return together.
      const delay = asked > 0 ? asked + Math.random() * Math.min(1000, asked / 10) : backoff;
      const left = policy.deadlineMs - (Date.now() - start);
      if (!error.details.retryable || delay >= left) {
        const gaveUp = error.details.retryable
          ? ` Gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}${asked >= left ? `: Retry-After is beyond the ${Math.round(policy.deadlineMs / 1000)} s deadline` : ` within ${Math.round(policy.deadlineMs / 1000)} s`}.`
          : "";
        throw new TokenRequestError(`${error.message}${gaveUp}`, { ...error.details, attempts: attempt });
      }
      await sleep(delay);
    }
  }
}
