/** Moved to ./trust/gcp/gcp-reach.ts; this re-export keeps the old path working for one release. */
export * from "./trust/gcp/gcp-reach.ts";
