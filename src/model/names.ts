/** Moved to ./environment/names.ts; this re-export keeps the old path working for one release. */
export * from "./environment/names.ts";
