/** Moved to ./trust/aws/aws-tenant-rules.ts; this re-export keeps the old path working for one release. */
export * from "./trust/aws/aws-tenant-rules.ts";
