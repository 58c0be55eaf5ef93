/** Moved to ./environment/issuer.ts; this re-export keeps the old path working for one release. */
export * from "./environment/issuer.ts";
