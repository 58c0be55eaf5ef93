/** Moved to ../trust/evaluate/iam-variables.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/iam-variables.ts";
