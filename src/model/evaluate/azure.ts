/** Moved to ../trust/evaluate/azure.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/azure.ts";
