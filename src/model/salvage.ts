/** Moved to ./environment/salvage.ts; this re-export keeps the old path working for one release. */
export * from "./environment/salvage.ts";
