/** Moved to ./environment/client-metadata.ts; this re-export keeps the old path working for one release. */
export * from "./environment/client-metadata.ts";
