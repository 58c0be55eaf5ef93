import { performance } from "node:perf_hooks";

/** What `Deadline.race` answers when the execution limit passed first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * The execution limit of one runtime's executions, with one timer for all of them instead of
 * one per execution (a timer and a racing promise per token cost the issuer more than most of
 * an Action's run). The limit is the same for every execution, so deadlines fall in start
 * order: the timer waits for the oldest execution in flight, expires every execution whose
 * deadline has passed, then waits for the next. It keeps the process alive only while an
 * execution is in flight, as a timer per execution did.
 */
export class ExecutionDeadlines {
  readonly #limitMs: number;
  /** In flight, oldest first (a Set keeps insertion order and deletes in constant time). */
  readonly #pending = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;

  constructor(limitMs: number) {
    this.#limitMs = limitMs;
  }

  /** Starts the clock of one execution; call `end` with its deadline when the execution is over. */
  start(): Deadline {
    const deadline = new Deadline(performance.now() + this.#limitMs);
    this.#pending.add(deadline);
    // An armed timer fires at or before this deadline (deadlines only grow), then re-arms.
    if (this.#timer) this.#timer.ref();
    else this.#arm(this.#limitMs);
    return deadline;
  }

  /** The execution is over: its deadline no longer keeps the timer (or the process) waiting. */
  end(deadline: Deadline): void {
    deadline.settle();
    this.#pending.delete(deadline);
    if (this.#pending.size === 0) this.#timer?.unref();
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, ms));
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (const deadline of this.#pending) {
      if (deadline.at > now) {
        this.#arm(deadline.at - now);
        return;
      }
      this.#pending.delete(deadline);
      deadline.expire();
    }
  }
}

/** One execution's deadline. */
export class Deadline {
  #expired = false;
  #onExpire: ((value: typeof TIMED_OUT) => void) | undefined;

  constructor(
    /** performance.now() at which the execution limit passes. */
    readonly at: number,
  ) {}

  /** `work`'s outcome, or TIMED_OUT when the deadline passes first. */
  race<T>(work: T | Promise<T>): Promise<T | typeof TIMED_OUT> {
    if (this.#expired) return Promise.resolve(TIMED_OUT);
    return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
      this.#onExpire = resolve;
      Promise.resolve(work).then(resolve, reject);
    });
  }

  /** Called by the timer once the deadline has passed. */
  expire(): void {
    this.#expired = true;
    this.#onExpire?.(TIMED_OUT);
  }

  /** Drops the last race's resolver, so an ended execution holds nothing of its work. */
  settle(): void {
    this.#onExpire = undefined;
  }
}
