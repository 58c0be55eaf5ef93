/** Moved to ./environment/tenant-labels.ts; this re-export keeps the old path working for one release. */
export * from "./environment/tenant-labels.ts";
