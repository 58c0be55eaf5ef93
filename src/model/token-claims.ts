/** Moved to ./trust/token-claims.ts; this re-export keeps the old path working for one release. */
export * from "./trust/token-claims.ts";
