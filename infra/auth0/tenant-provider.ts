import { Provider } from "@pulumi/auth0/provider";
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";

/** The Management API credentials of a stack, from its own config (the secret encrypted). */
export interface Auth0Credentials {
  /** Client id of the M2M application Pulumi uses (`m2m:auth0ClientId`). */
  readonly clientId: pulumi.Input<string>;
  /** Its client secret (`m2m:auth0ClientSecret`, set with `pulumi config set --secret`). */
  readonly clientSecret: pulumi.Input<string>;
}

/**
 * Ambient variables the Auth0 provider plugin reads, which could replace the stack's own
 * credentials: terraform-provider-auth0 uses an API token or a client assertion key ahead of a
 * client id and secret. UNCONFIRMED for every provider version (taken from its configuration
 * code as publicly described), so the program refuses to run while any is set rather than guess.
 */
export const AMBIENT_CREDENTIAL_VARIABLES = [
  "AUTH0_API_TOKEN",
  "AUTH0_CLIENT_ASSERTION_PRIVATE_KEY",
  "AUTH0_CLIENT_ASSERTION_SIGNING_ALG",
  "AUTH0_AUDIENCE",
  "AUTH0_CLI_LOGIN",
] as const;

/** The ambient Auth0 credential variables set in `environment`, which must be unset first. */
export function ambientCredentialVariables(
  environment: Readonly<Record<string, string | undefined>>,
): string[] {
  return AMBIENT_CREDENTIAL_VARIABLES.filter((name) => (environment[name] ?? "") !== "");
}

/**
 * The explicit Auth0 provider of an environment: domain from the model, credentials from the
 * stack's secrets. Every Auth0 resource takes this provider, so no AUTH0_* variable in the
 * shell can point a stack at another tenant. The Management API lives on the canonical domain,
 * even when tokens are issued on a custom one.
 */
export function auth0Provider(env: Environment, credentials: Auth0Credentials): Provider {
  return new Provider(`auth0-${env.name}`, {
    domain: env.auth0.domain,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
}
