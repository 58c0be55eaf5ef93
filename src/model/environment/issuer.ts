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

/**
 * The issuer of the local environment: the URL it serves on, trailing slash included, so that
 * `iss`, the discovery document and every derived trust agree. `https://localhost` when it
 * serves TLS (the certificate names localhost), else `http://127.0.0.1`.
 */
export function localIssuer(port: number, tls: boolean): string {
  return tls ? `https://localhost:${port}/` : `http://127.0.0.1:${port}/`;
}
