/** Moved to ./trust/reach.ts; this re-export keeps the old path working for one release. */
export * from "./trust/reach.ts";
