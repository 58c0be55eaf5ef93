/** Moved to ./contract/claims-namespace.ts; this re-export keeps the old path working for one release. */
export * from "./contract/claims-namespace.ts";
