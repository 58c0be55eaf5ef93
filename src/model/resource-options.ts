/** Moved to ./environment/resource-options.ts; this re-export keeps the old path working for one release. */
export * from "./environment/resource-options.ts";
