/** Moved to ../trust/evaluate/gcp.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/gcp.ts";
