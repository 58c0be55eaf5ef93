/** Moved to ./environment/schema.ts; this re-export keeps the old path working for one release. */
export * from "./environment/schema.ts";
