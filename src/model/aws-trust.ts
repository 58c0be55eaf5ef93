/** Moved to ./trust/aws/aws-trust.ts; this re-export keeps the old path working for one release. */
export * from "./trust/aws/aws-trust.ts";
