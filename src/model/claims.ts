/** Moved to ./contract/claims.ts; this re-export keeps the old path working for one release. */
export * from "./contract/claims.ts";
