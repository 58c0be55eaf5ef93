/** Moved to ./environment/bindings.ts; this re-export keeps the old path working for one release. */
export * from "./environment/bindings.ts";
