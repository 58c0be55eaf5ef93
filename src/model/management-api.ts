/** Moved to ./contract/management-api.ts; this re-export keeps the old path working for one release. */
export * from "./contract/management-api.ts";
