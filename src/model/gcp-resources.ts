/** Moved to ./trust/gcp/gcp-resources.ts; this re-export keeps the old path working for one release. */
export * from "./trust/gcp/gcp-resources.ts";
