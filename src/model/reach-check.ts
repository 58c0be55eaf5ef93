/** Moved to ./trust/reach-check.ts; this re-export keeps the old path working for one release. */
export * from "./trust/reach-check.ts";
