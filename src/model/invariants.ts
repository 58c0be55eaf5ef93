/** Moved to ./trust/invariants.ts; this re-export keeps the old path working for one release. */
export * from "./trust/invariants.ts";
