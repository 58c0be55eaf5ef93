import type { EnvironmentConfig } from "./schema.ts";

type Auth0Config = EnvironmentConfig["auth0"];

/**
 * The domain workloads request tokens from. With a custom domain, Auth0 issues tokens whose
 * `iss` is the domain the request went to, so the model must say which one workloads use:
 * `tokenDomain` (default: the custom domain when one is set).
 */
export function tokenDomain(auth0: Auth0Config): string {
  const useCustom = (auth0.tokenDomain ?? (auth0.customDomain ? "custom" : "canonical")) === "custom";
  return useCustom && auth0.customDomain ? auth0.customDomain : auth0.domain;
}

/** The `iss` of every token of the environment: `https://{token domain}/`, trailing slash included. */
export function issuerOf(auth0: Auth0Config): string {
  return `https://${tokenDomain(auth0)}/`;
}
