/** Moved to ../trust/evaluate/aws.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/aws.ts";
