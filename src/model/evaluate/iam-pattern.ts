/** Moved to ../trust/evaluate/iam-pattern.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/iam-pattern.ts";
