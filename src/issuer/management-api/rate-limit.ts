import type { ManagementRateLimit } from "../../model/environment/limits.ts";

/** What a request learns from the limiter: its `x-ratelimit-*` headers, and whether it may go on. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly headers: {
    readonly "x-ratelimit-limit": string;
    readonly "x-ratelimit-remaining": string;
    readonly "x-ratelimit-reset": string;
  };
}

/**
 * The tenant's Management API bucket, as Auth0 meters it: `burst` requests at once, refilled at
 * `perSecond`. Every response says the bucket's size, what is left, and the epoch second it is
 * full again; a request finding it empty is refused (429) and should come back after that second.
 */
export class ManagementRateLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(
    /** The plan's limit (model/environment/limits.ts managementRateLimit); tests may set another. */
    public limit: ManagementRateLimit,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.tokens = limit.burst;
    this.lastMs = nowMs();
  }

  /** Takes one request from the bucket, if there is one. */
  take(): RateLimitDecision {
    const now = this.nowMs();
    const { burst, perSecond } = this.limit;
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastMs) / 1000) * perSecond);
    this.lastMs = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const fullInMs = ((burst - this.tokens) / perSecond) * 1000;
    return {
      allowed,
      headers: {
        "x-ratelimit-limit": String(burst),
        "x-ratelimit-remaining": String(Math.floor(this.tokens)),
        "x-ratelimit-reset": String(Math.ceil((now + fullInMs) / 1000)),
      },
    };
  }
}
