/** Moved to ./environment/environment.ts; this re-export keeps the old path working for one release. */
export * from "./environment/environment.ts";
