/** Moved to ./trust/tenant-patterns.ts; this re-export keeps the old path working for one release. */
export * from "./trust/tenant-patterns.ts";
