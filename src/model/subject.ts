/** Moved to ./contract/subject.ts; this re-export keeps the old path working for one release. */
export * from "./contract/subject.ts";
