/** Moved to ./trust/azure/azure-scopes.ts; this re-export keeps the old path working for one release. */
export * from "./trust/azure/azure-scopes.ts";
