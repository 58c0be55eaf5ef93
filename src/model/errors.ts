/** Moved to ./environment/errors.ts; this re-export keeps the old path working for one release. */
export * from "./environment/errors.ts";
