/** Moved to ./contract/aws-session-tags.ts; this re-export keeps the old path working for one release. */
export * from "./contract/aws-session-tags.ts";
