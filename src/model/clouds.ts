/** Moved to ./environment/clouds.ts; this re-export keeps the old path working for one release. */
export * from "./environment/clouds.ts";
