/**
 * The turns of the event loop a program's registrations were made in, so that a floor replays
 * them in the same batches. The program lets the event loop turn after each tenant
 * (infra/engine-turns.ts), and the SDK keeps a resource's pending state until its registration
 * is answered: a floor that constructed everything at once would hold every resource pending
 * together, a different (and costlier) concurrency than the program's.
 */
import type { Registration as EngineRegistration } from "../src/plan/mocked-program.ts";

/** One registration as the engine received it (its options are the tests' business), and its turn. */
export type Registration = Omit<EngineRegistration, "options"> & {
  /**
   * Which batch of the program's construction it belongs to: how many times the program had let
   * the event loop turn when it was registered.
   */
  readonly turn: number;
};

/**
 * Counts the turns the running program asks for (setImmediate calls) until `stop`. A turn is
 * counted when it is asked for, after the batch before it was constructed and before that batch's
 * registrations reach the engine (promise jobs), so every registration of one batch gets the same
 * number. A registration that waits on a later batch gets a later number: the floor then
 * constructs it later, holding it pending for less time than the program did.
 */
function countTurns(): { current(): number; stop(): void } {
  const original = globalThis.setImmediate;
  let turns = 0;
  const counting = ((...args: Parameters<typeof setImmediate>) => {
    turns++;
    return original(...args);
  }) as typeof setImmediate;
  globalThis.setImmediate = Object.assign(counting, original);
  return {
    current: () => turns,
    stop: () => {
      globalThis.setImmediate = original;
    },
  };
}

/**
 * Records registrations with their turns: pass `onRegistration` to the mock engine (or to
 * runUnderMocks), read `recorded` after the run, then `stop` counting.
 */
export function turnRecorder(): {
  readonly recorded: Registration[];
  readonly onRegistration: (registration: EngineRegistration) => void;
  stop(): void;
} {
  const turns = countTurns();
  const recorded: Registration[] = [];
  return {
    recorded,
    // The options are the tests' business: a floor replays what the engine received.
    onRegistration: ({ options: _, ...r }) => {
      recorded.push({ ...r, turn: turns.current() });
    },
    stop: turns.stop,
  };
}

/** `registrations` in their recorded order, cut where the turn changes. */
export function byTurn<T extends { readonly turn: number }>(registrations: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (const r of registrations) {
    const last = batches.at(-1);
    if (last && last[0]?.turn === r.turn) last.push(r);
    else batches.push([r]);
  }
  return batches;
}
