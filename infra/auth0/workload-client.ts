import { Client } from "@pulumi/auth0/client";
import { ClientCredentials } from "@pulumi/auth0/clientCredentials";
import { ClientGrant } from "@pulumi/auth0/clientGrant";
import type { Provider } from "@pulumi/auth0/provider";
import * as pulumi from "@pulumi/pulumi";
import { WORKLOAD_CLIENT_SETTINGS, workloadDescription } from "../../src/model/environment/auth0-settings.ts";
import { clientMetadata } from "../../src/model/environment/client-metadata.ts";
import type { Environment } from "../../src/model/environment/environment.ts";
import { auth0ClientName, grantResourceName } from "../../src/model/environment/names.ts";
import type { TenantConfig, WorkloadConfig } from "../../src/model/environment/schema.ts";
import { optionsFor } from "../options.ts";
import type { Api } from "./api.ts";

/** Arguments of a WorkloadClient component. */
export interface WorkloadClientArgs {
  readonly env: Environment;
  readonly tenant: TenantConfig;
  readonly workload: WorkloadConfig;
  /** The environment's APIs by key; each grant names one. */
  readonly apis: ReadonlyMap<string, Api>;
  /** The credentials-exchange binding: grants wait for it, so no token is minted without the Action. */
  readonly triggerBinding: pulumi.Resource;
  readonly provider: Provider;
}

/**
 * One tenant workload's Auth0 machine-to-machine application: the Client (non-interactive,
 * client-credentials only, marked as managed with its tenant and workload in client metadata),
 * one ClientGrant per granted API with exactly the model's scopes, and its ClientCredentials.
 */
export class WorkloadClient extends pulumi.ComponentResource {
  /** The application's client id: `azp` of its tokens, and `sub` = `{clientId}@clients`. */
  readonly clientId: pulumi.Output<string>;
  /** The client secret (a Pulumi secret), absent for private_key_jwt. */
  readonly clientSecret: pulumi.Output<string> | undefined;

  constructor(name: string, args: WorkloadClientArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:auth0:WorkloadClient", name, {}, opts);
    const { env, tenant, workload, apis, provider } = args;
    const base = { parent: this, provider };
    const context = { production: env.production, decommissioned: tenant.decommissioned };
    const client = new Client(
      name,
      {
        name: auth0ClientName(env.name, tenant.id, workload.name).value,
        description: workloadDescription(env.name, tenant, workload),
        ...WORKLOAD_CLIENT_SETTINGS,
        grantTypes: [...WORKLOAD_CLIENT_SETTINGS.grantTypes],
        callbacks: [],
        allowedOrigins: [],
        webOrigins: [],
        clientMetadata: clientMetadata(tenant.id, workload.name, workload.metadata),
      },
      optionsFor("client", context, base),
    );
    this.clientId = client.clientId;

    for (const grant of workload.grants) {
      const api = apis.get(grant.api);
      if (!api) throw new Error(`grant to unknown API ${grant.api}: the model should have refused it`);
      new ClientGrant(
        grantResourceName(tenant.id, workload.name, grant.api),
        { clientId: client.clientId, audience: api.identifier, scopes: [...grant.scopes] },
        optionsFor("clientGrant", context, base, {
          apiScopes: api.scopes ? [api.scopes] : [api.resourceServer],
          triggerBinding: [args.triggerBinding],
        }),
      );
    }

    const auth = workload.authentication;
    const credentials = new ClientCredentials(
      `${name}-credentials`,
      {
        clientId: client.clientId,
        authenticationMethod: auth.method,
        ...(auth.method === "private_key_jwt"
          ? {
              privateKeyJwt: {
                credentials: auth.keys.map((key) => ({
                  name: key.name,
                  credentialType: "public_key",
                  pem: key.pem,
                  algorithm: key.algorithm,
                  ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
                })),
              },
            }
          : {}),
      },
      optionsFor("clientCredentials", context, base, { client: [client] }),
    );
    this.clientSecret =
      auth.method === "private_key_jwt" ? undefined : pulumi.secret(credentials.clientSecret);
    this.registerOutputs({});
  }
}
