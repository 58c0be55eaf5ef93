/** Moved to ./trust/azure/azure-built-in-roles.ts; this re-export keeps the old path working for one release. */
export * from "./trust/azure/azure-built-in-roles.ts";
