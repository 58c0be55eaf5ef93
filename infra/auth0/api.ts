import type { Provider } from "@pulumi/auth0/provider";
import { ResourceServer } from "@pulumi/auth0/resourceServer";
import { ResourceServerScopes } from "@pulumi/auth0/resourceServerScopes";
import * as pulumi from "@pulumi/pulumi";
import { apiSettings } from "../../src/model/environment/auth0-settings.ts";
import type { Environment } from "../../src/model/environment/environment.ts";
import type { ApiConfig } from "../../src/model/environment/schema.ts";
import { optionsFor } from "../options.ts";

/** Arguments of an Api component. */
export interface ApiArgs {
  /** The environment the API belongs to (for its resource options). */
  readonly env: Environment;
  /** The API as the model declares it: identifier, name, scopes, lifetime, algorithm, dialect. */
  readonly api: ApiConfig;
  /** The environment's Auth0 provider. */
  readonly provider: Provider;
}

/**
 * An Auth0 API (resource server) and its scopes. Scopes are owned by one ResourceServerScopes
 * resource (never mixed with ResourceServerScope, which would fight over the list).
 */
export class Api extends pulumi.ComponentResource {
  /**
   * The API identifier, as the model declares it: the `aud` of its tokens. A plain value (the
   * resource server takes it as given), so grants carry it without waiting on an Output; their
   * order comes from their explicit dependencies.
   */
  readonly identifier: string;
  readonly resourceServer: ResourceServer;
  /** The scopes resource, absent when the API declares no scopes. */
  readonly scopes: ResourceServerScopes | undefined;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:auth0:Api", name, {}, opts);
    const { env, api, provider } = args;
    const base = { parent: this, provider };
    this.resourceServer = new ResourceServer(
      name,
      {
        identifier: api.identifier,
        name: api.name,
        signingAlg: api.signingAlg,
        tokenLifetime: api.tokenLifetime,
        tokenDialect: api.tokenDialect,
        ...apiSettings(api),
      },
      optionsFor("api", env, base),
    );
    this.identifier = api.identifier;
    this.scopes =
      api.scopes.length === 0
        ? undefined
        : new ResourceServerScopes(
            `${name}-scopes`,
            {
              resourceServerIdentifier: api.identifier,
              scopes: api.scopes.map((s) => ({ name: s.value, description: s.description })),
            },
            optionsFor("apiScopes", env, base, { api: [this.resourceServer] }),
          );
    this.registerOutputs({});
  }
}
