/** Moved to ../trust/evaluate/verdict.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/verdict.ts";
