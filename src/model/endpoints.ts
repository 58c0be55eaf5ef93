/** Moved to ./contract/endpoints.ts; this re-export keeps the old path working for one release. */
export * from "./contract/endpoints.ts";
