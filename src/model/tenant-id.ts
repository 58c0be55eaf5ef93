/** Moved to ./contract/tenant-id.ts; this re-export keeps the old path working for one release. */
export * from "./contract/tenant-id.ts";
