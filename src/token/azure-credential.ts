/**
 * An Azure credential from a workload's Auth0 token: Entra ID's `ClientAssertionCredential`
 * with the token (for `api://AzureADTokenExchange`) as the assertion, naming the tenant's
 * managed identity. Each assertion comes from the token source, so it is cached and renewed
 * like every other token. Needs `@azure/identity` (an optional peer dependency).
 *
 * ```ts
 * import { m2mAzureCredential } from "auth0-m2m-federation/token/azure";
 * const credential = m2mAzureCredential({ tokenSource, tenantId, clientId }); // outputs azure.tenantId, azure.clientId
 * ```
 */
import { ClientAssertionCredential, type ClientAssertionCredentialOptions } from "@azure/identity";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "../model/environment/limits.ts";
import type { TokenSource } from "./token-source.ts";

/** Which identity the token is exchanged for. */
export interface M2mAzureCredentialOptions {
  /** A token source for `api://AzureADTokenExchange`. */
  readonly tokenSource: TokenSource;
  /** The Entra ID directory (stack output `azure.tenantId`). */
  readonly tenantId: string;
  /** The managed identity's client id (stack output `azure.clientId`), not the Auth0 client's. */
  readonly clientId: string;
  /** Passed to ClientAssertionCredential (authority host, retries, logging). */
  readonly credentialOptions?: ClientAssertionCredentialOptions;
}

/** The credential; refuses a token source for another audience, which Entra ID would refuse. */
export function m2mAzureCredential(options: M2mAzureCredentialOptions): ClientAssertionCredential {
  if (options.tokenSource.audience !== AZURE_TOKEN_EXCHANGE_AUDIENCE)
    throw new TypeError(
      `the token source is for ${options.tokenSource.audience}; Entra ID accepts only tokens for ${AZURE_TOKEN_EXCHANGE_AUDIENCE}: create one for that audience`,
    );
  return new ClientAssertionCredential(
    options.tenantId,
    options.clientId,
    () => options.tokenSource.getToken(),
    options.credentialOptions,
  );
}
