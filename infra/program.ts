import * as pulumi from "@pulumi/pulumi";
import { tokenEndpointOf } from "../src/model/contract/endpoints.ts";
import type { Environment } from "../src/model/environment/environment.ts";
import { workloadKey, workloadResourceName } from "../src/model/environment/names.ts";
import type { TenantConfig, WorkloadConfig } from "../src/model/environment/schema.ts";
import { Api } from "./auth0/api.ts";
import { CredentialsExchange } from "./auth0/credentials-exchange.ts";
import { type Auth0Credentials, auth0Provider } from "./auth0/tenant-provider.ts";
import { WorkloadClient } from "./auth0/workload-client.ts";
import { awsTrust } from "./aws/index.ts";
import { type AzureWorkloadOutput, azureTrust } from "./azure/index.ts";
import { nextTurn } from "./engine-turns.ts";
import { gcpTrust } from "./gcp/index.ts";

/** What a workload's operators need to request tokens and use them. */
export interface WorkloadOutput {
  readonly tenantId: string;
  readonly workload: string;
  readonly clientId: pulumi.Output<string>;
  readonly authenticationMethod: string;
  /** The IAM role its AWS tokens assume. */
  readonly awsRoleArn?: pulumi.Output<string>;
  /** Its external_account credential configuration (JSON); no secret in it. */
  readonly gcpCredentialConfiguration?: pulumi.Output<string>;
  /** The managed identity and directory its Azure token exchange names. */
  readonly azure?: AzureWorkloadOutput;
}

/**
 * The stack outputs: where operators read what the environment made. Client secrets appear only
 * as one Pulumi secret. The components register no outputs of their own: nothing reads them, and
 * each would cost the SDK a chain of Outputs per component.
 */
export interface ProgramOutputs {
  /** `iss` of every token: `https://{token domain}/`. */
  readonly issuer: string;
  /** The token endpoint workloads call. */
  readonly tokenEndpoint: string;
  /** API key -> identifier (the `audience` to request). */
  readonly audiences: Record<string, string>;
  /** `tenant/workload` -> its client and cloud identities. */
  readonly workloads: Record<string, WorkloadOutput>;
  /** `tenant/workload` -> client secret, for client_secret_* workloads; a Pulumi secret. */
  readonly clientSecrets: pulumi.Output<Record<string, string>>;
}

/**
 * Registers the whole environment: on its Auth0 tenant the provider, the APIs, the Actions and
 * their binding, one WorkloadClient per tenant workload; then each cloud that is on. Takes a
 * validated Environment, so nothing is registered for an invalid one. Lets the event loop turn
 * after each tenant's resources (engine-turns.ts).
 */
export async function m2mProgram(env: Environment, credentials: Auth0Credentials): Promise<ProgramOutputs> {
  const provider = auth0Provider(env, credentials);
  const apis = new Map(env.apis.map((api) => [api.key, new Api(api.key, { env, api, provider })]));
  const exchange = new CredentialsExchange("credentials-exchange", { env, provider });

  const clients = new Map<
    string,
    { tenant: TenantConfig; workload: WorkloadConfig; client: WorkloadClient }
  >();
  for (const tenant of env.tenants) {
    for (const workload of tenant.workloads) {
      const client = new WorkloadClient(workloadResourceName(tenant.id, workload.name), {
        env,
        tenant,
        workload,
        apis,
        triggerBinding: exchange.binding,
        provider,
      });
      clients.set(workloadKey(tenant.id, workload.name), { tenant, workload, client });
    }
    await nextTurn();
  }
  const clientIds = new Map([...clients].map(([key, { client }]) => [key, client.clientId]));
  const roles = env.clouds.aws ? await awsTrust(env, clientIds) : new Map<string, pulumi.Output<string>>();
  const gcpConfigurations = env.clouds.gcp
    ? await gcpTrust(env, clientIds)
    : new Map<string, pulumi.Output<string>>();
  const azure = env.clouds.azure ? await azureTrust(env, clientIds) : new Map<string, AzureWorkloadOutput>();

  const workloads: Record<string, WorkloadOutput> = {};
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const [key, { tenant, workload, client }] of clients) {
    const roleArn = roles.get(key);
    const gcpConfiguration = gcpConfigurations.get(key);
    const azureOutput = azure.get(key);
    workloads[key] = {
      tenantId: tenant.id,
      workload: workload.name,
      clientId: client.clientId,
      authenticationMethod: workload.authentication.method,
      ...(roleArn ? { awsRoleArn: roleArn } : {}),
      ...(gcpConfiguration ? { gcpCredentialConfiguration: gcpConfiguration } : {}),
      ...(azureOutput ? { azure: azureOutput } : {}),
    };
    if (client.clientSecret) secrets[key] = client.clientSecret;
  }
  return {
    issuer: env.issuer,
    tokenEndpoint: tokenEndpointOf(env.issuer),
    audiences: Object.fromEntries(env.apis.map((a) => [a.key, a.identifier])),
    workloads,
    clientSecrets: pulumi.secret(pulumi.all(secrets)),
  };
}
