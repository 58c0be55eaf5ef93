/** Moved to ./trust/azure/azure-tenant-rules.ts; this re-export keeps the old path working for one release. */
export * from "./trust/azure/azure-tenant-rules.ts";
