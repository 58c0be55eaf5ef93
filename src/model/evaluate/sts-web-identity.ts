/** Moved to ../trust/evaluate/sts-web-identity.ts; this re-export keeps the old path working for one release. */
export * from "../trust/evaluate/sts-web-identity.ts";
