/** Moved to ./environment/project-actions.ts; this re-export keeps the old path working for one release. */
export * from "./environment/project-actions.ts";
