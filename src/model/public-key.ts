/** Moved to ./environment/public-key.ts; this re-export keeps the old path working for one release. */
export * from "./environment/public-key.ts";
