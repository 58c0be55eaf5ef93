/** Moved to ./environment/rules.ts; this re-export keeps the old path working for one release. */
export * from "./environment/rules.ts";
