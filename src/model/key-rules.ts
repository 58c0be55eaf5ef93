/** Moved to ./environment/key-rules.ts; this re-export keeps the old path working for one release. */
export * from "./environment/key-rules.ts";
