/** Moved to ./trust/gcp/gcp-tenant-rules.ts; this re-export keeps the old path working for one release. */
export * from "./trust/gcp/gcp-tenant-rules.ts";
