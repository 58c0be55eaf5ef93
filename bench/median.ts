/** The summaries every benchmark reports over its repeated runs: the median and the spread. */

import { performance } from "node:perf_hooks";

/** The middle value (the upper middle of an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** `min–max`, each formatted by `format`. */
export const spread = (xs: readonly number[], format: (x: number) => string = (x) => x.toFixed(0)): string =>
  `${format(Math.min(...xs))}–${format(Math.max(...xs))}`;

/** `median (min–max)`. */
export const summary = (xs: readonly number[], format: (x: number) => string = (x) => x.toFixed(0)): string =>
  `${format(median(xs))} (${spread(xs, format)})`;

/**
 * How long `run` takes, in milliseconds, from a collected heap when the process runs with
 * `--expose-gc` (`npm run bench` does): otherwise the garbage of the runs before is billed to
 * whichever run the collector happens to stop, the larger size's mostly.
 */
export function timed(run: () => unknown): number {
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  run();
  return performance.now() - start;
}
