/** Moved to ./environment/limits.ts; this re-export keeps the old path working for one release. */
export * from "./environment/limits.ts";
