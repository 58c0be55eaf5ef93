/** Moved to ../trust/evaluate/iam-condition.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/iam-condition.ts";
