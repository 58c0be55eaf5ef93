/** Moved to ./trust/trust-artifacts.ts; this re-export keeps the old path working for one release. */
export * from "./trust/trust-artifacts.ts";
