/** Moved to ./contract/token-dialect.ts; this re-export keeps the old path working for one release. */
export * from "./contract/token-dialect.ts";
