/** Moved to ../trust/evaluate/iam-policy.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/iam-policy.ts";
