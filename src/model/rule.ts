/** Moved to ./environment/rule.ts; this re-export keeps the old path working for one release. */
export * from "./environment/rule.ts";
