import * as auth0 from "@pulumi/auth0";
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment.ts";

/** The Management API credentials of a stack, from its own config (the secret encrypted). */
export interface Auth0Credentials {
  /** Client id of the M2M application Pulumi uses (`m2m:auth0ClientId`). */
  readonly clientId: pulumi.Input<string>;
  /** Its client secret (`m2m:auth0ClientSecret`, set with `pulumi config set --secret`). */
  readonly clientSecret: pulumi.Input<string>;
}

/**
 * The explicit Auth0 provider of an environment: domain from the model, credentials from the
 * stack's secrets. Every Auth0 resource takes this provider, so no AUTH0_* variable in the
 * shell can point a stack at another tenant. The Management API lives on the canonical domain,
 * even when tokens are issued on a custom one.
 */
export function auth0Provider(env: Environment, credentials: Auth0Credentials): auth0.Provider {
  return new auth0.Provider(`auth0-${env.name}`, {
    domain: env.auth0.domain,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
}
