/** Moved to ./environment/cloud-rules.ts; this re-export keeps the old path working for one release. */
export * from "./environment/cloud-rules.ts";
