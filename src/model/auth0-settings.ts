/** Moved to ./environment/auth0-settings.ts; this re-export keeps the old path working for one release. */
export * from "./environment/auth0-settings.ts";
