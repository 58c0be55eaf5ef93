import type { ManagementRateLimit } from "../model/environment/limits.ts";

/** How the pacer waits and draws its jitter; tests give their own clock. */
export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

const SYSTEM_CLOCK: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** What the pacer did, for the summary a command prints. */
export interface PacerStats {
  requests: number;
  /** 429 answers, each retried after the reset. */
  throttled: number;
  /** Time spent waiting for the bucket, ms. */
  waitedMs: number;
}

/** Options of a Pacer. */
export interface PacerOptions {
  /** Retries of one request answered 429 before giving up. Default: 5. */
  readonly maxRetries?: number;
  /** The largest random delay added after a reset, ms, so parallel clients do not return together. Default: 1,000. */
  readonly jitterMs?: number;
  readonly clock?: PacerClock;
}

/**
 * Client-side pacing for one tenant's Management API: a token bucket sized from the plan's limit
 * (model/environment/limits.ts managementRateLimit) that the `x-ratelimit-*` headers of every answer
 * override (the tenant knows its limit better than the table), and a 429 retried once its
 * `x-ratelimit-reset` has passed, plus jitter. The ManagementClient's own retries are off
 * (`maxRetries: 0`): this is the only retry loop.
 */
export class Pacer {
  readonly stats: PacerStats = { requests: 0, throttled: 0, waitedMs: 0 };
  private tokens: number;
  private last: number;
  private limit: ManagementRateLimit;
  /** Requests wait in line: each takes its turn after the previous one's. */
  private queue: Promise<void> = Promise.resolve();
  private readonly clock: PacerClock;
  private readonly maxRetries: number;
  private readonly jitterMs: number;

  constructor(limit: ManagementRateLimit, options: PacerOptions = {}) {
    this.limit = limit;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.maxRetries = options.maxRetries ?? 5;
    this.jitterMs = options.jitterMs ?? 1_000;
    this.tokens = limit.burst;
    this.last = this.clock.now();
  }

  /** Waits until the bucket has a request to spend, and spends it. */
  slot(): Promise<void> {
    const turn = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        const waitMs = Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000);
        this.stats.waitedMs += waitMs;
        await this.clock.sleep(waitMs);
        this.refill();
      }
      this.tokens = Math.max(0, this.tokens - 1);
    });
    this.queue = turn;
    return turn;
  }

  /** Learns from an answer's `x-ratelimit-*` headers: the tenant's own figures win. */
  observe(headers: Headers): void {
    const limit = Number(headers.get("x-ratelimit-limit"));
    const remaining = Number(headers.get("x-ratelimit-remaining"));
    const reset = Number(headers.get("x-ratelimit-reset"));
    if (!(limit > 0) || !Number.isFinite(remaining) || headers.get("x-ratelimit-remaining") === null) return;
    const nowS = this.clock.now() / 1000;
    // The bucket refills from `remaining` to `limit` by `reset`: that is the tenant's rate.
    const perSecond =
      reset > nowS && limit > remaining ? (limit - remaining) / (reset - nowS) : this.limit.perSecond;
    this.limit = { burst: limit, perSecond: Math.max(perSecond, 0.01) };
    this.refill();
    this.tokens = Math.min(this.tokens, remaining);
  }

  /** How long to wait before retrying a 429: until its reset, plus jitter. */
  retryDelayMs(headers: Headers): number {
    const reset = Number(headers.get("x-ratelimit-reset"));
    const untilReset =
      Number.isFinite(reset) && reset > 0 ? reset * 1000 - this.clock.now() : 1000 / this.limit.perSecond;
    return Math.max(0, Math.ceil(untilReset)) + Math.floor(this.clock.random() * this.jitterMs);
  }

  /**
   * `fetch` paced: each request waits for the bucket, each answer teaches it, and a 429 is sent
   * again after the reset (at most maxRetries times, then the 429 is returned).
   */
  fetch(inner: typeof fetch): typeof fetch {
    return async (input, init) => {
      for (let attempt = 0; ; attempt++) {
        await this.slot();
        this.stats.requests++;
        const response = await inner(input, init);
        this.observe(response.headers);
        if (response.status !== 429 || attempt >= this.maxRetries) return response;
        this.stats.throttled++;
        await response.body?.cancel();
        const delay = this.retryDelayMs(response.headers);
        this.stats.waitedMs += delay;
        // Nothing else goes out while we wait: the bucket is empty for everyone.
        const pause = this.clock.sleep(delay);
        this.queue = this.queue.then(() => pause);
        await pause;
      }
    };
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) / 1000) * this.limit.perSecond);
    this.last = now;
  }
}

/** One line about the pacing a command saw, for stderr; undefined when it never waited. */
export function pacingNote(stats: PacerStats): string | undefined {
  if (stats.waitedMs === 0 && stats.throttled === 0) return undefined;
  const throttled =
    stats.throttled > 0 ? `, ${stats.throttled} answered 429 and sent again after the reset` : "";
  return `Management API: ${stats.requests} requests${throttled}; ${(stats.waitedMs / 1000).toFixed(1)} s spent waiting for the tenant's rate limit`;
}
