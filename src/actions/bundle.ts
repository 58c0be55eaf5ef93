/** Moved to ../bundle/action-bundle.ts; this re-export keeps the old path working for one release. */
export * from "../bundle/action-bundle.ts";
