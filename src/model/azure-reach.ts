/** Moved to ./trust/azure/azure-reach.ts; this re-export keeps the old path working for one release. */
export * from "./trust/azure/azure-reach.ts";
