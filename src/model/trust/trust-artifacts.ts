import type { TokenDialect } from "../contract/token-dialect.ts";
import { usesCloud, workloadsUsing } from "../environment/clouds.ts";
import type { Environment } from "../environment/environment.ts";
import { workloadKey } from "../environment/names.ts";
import { awsOidcProvider, awsTrustPolicy } from "./aws/aws-trust.ts";
import { azureFederatedCredential } from "./azure/azure-trust.ts";
import type { AwsTrustArtifacts } from "./evaluate/aws.ts";
import type { AzureCredentialArtifact } from "./evaluate/azure.ts";
import type { GcpTrustArtifacts } from "./evaluate/gcp.ts";
import { gcpTargetLabel } from "./gcp/gcp-resources.ts";
import {
  gcpPoolResource,
  gcpProvider,
  gcpProviderAudience,
  gcpServiceAccountEmail,
  gcpSubjectPrincipal,
} from "./gcp/gcp-trust.ts";

/** One workload's or tenant's artifact, labelled with whose it is. */
interface Owned {
  readonly tenantId: string;
  readonly workload: string;
}

/**
 * The rendered trust of an environment, per cloud, as the clouds see it: what the policy pack
 * reads from a preview and what the model derives, so both are checked by the same invariants.
 */
export interface TrustArtifacts {
  /**
   * Every workload whose tokens the issuer mints, with its client id: the probes of the
   * isolation checks, so every piece of trust is tried with every other tenant's token.
   */
  readonly workloads: readonly (Owned & { readonly clientId: string })[];
  /** Every API identifier of the environment: a token minted for one must not pass a cloud meant for another. */
  readonly apis?: readonly string[];
  /**
   * The token dialect of each API (by identifier) whose dialect is known: it decides the claims of
   * the probe tokens (`azp`, or `client_id` under rfc9068). Absent ones get Auth0's default.
   */
  readonly dialects?: Readonly<Record<string, TokenDialect>>;
  readonly aws?: {
    readonly provider: AwsTrustArtifacts["provider"];
    readonly roles: readonly (Owned & { readonly trustPolicy: unknown })[];
  };
  readonly gcp?: {
    readonly provider: GcpTrustArtifacts["provider"];
    readonly poolResource: string;
    readonly providerAudience: string;
    /** The claims the tenant-claims Action sets, which the mapping reads. */
    readonly claims: { readonly tenantId: string; readonly workload: string };
    /** Every member bound for a workload: on its resources, or on its tenant's service account. */
    readonly bindings: readonly (Owned & { readonly member: string; readonly resource: string })[];
  };
  readonly azure?: {
    readonly credentials: readonly (Owned & AzureCredentialArtifact)[];
  };
}

/** The artifacts `env` renders for the given client ids (keyed `tenant/workload`) and provider ARN. */
export function environmentArtifacts(
  env: Environment,
  clientIds: Readonly<Record<string, string>>,
  awsProviderArn = "arn:aws:iam::000000000000:oidc-provider/placeholder",
): TrustArtifacts {
  const id = (tenantId: string, workload: string) => {
    const value = clientIds[workloadKey(tenantId, workload)];
    if (value === undefined) throw new Error(`no client id for ${workloadKey(tenantId, workload)}`);
    return value;
  };
  const artifacts: { -readonly [K in keyof TrustArtifacts]: TrustArtifacts[K] } = {
    apis: env.apis.map((a) => a.identifier),
    dialects: Object.fromEntries(env.apis.map((a) => [a.identifier, a.tokenDialect])),
    workloads: env.tenants.flatMap((t) =>
      t.workloads.map((w) => ({ tenantId: t.id, workload: w.name, clientId: id(t.id, w.name) })),
    ),
  };
  if (env.clouds.aws) {
    artifacts.aws = {
      provider: { ...awsOidcProvider(env, clientIds), arn: awsProviderArn },
      roles: workloadsUsing(env, "aws").map(({ tenant, workload }) => ({
        tenantId: tenant.id,
        workload: workload.name,
        trustPolicy: awsTrustPolicy(env, tenant.id, workload.name, {
          clientId: id(tenant.id, workload.name),
          providerArn: awsProviderArn,
        }),
      })),
    };
  }
  if (env.clouds.gcp) {
    const provider = gcpProvider(env);
    artifacts.gcp = {
      provider,
      poolResource: gcpPoolResource(env),
      providerAudience: gcpProviderAudience(env),
      claims: env.claims,
      bindings: workloadsUsing(env, "gcp").flatMap(({ tenant, workload }) => {
        const member = gcpSubjectPrincipal(env, id(tenant.id, workload.name));
        const owner = { tenantId: tenant.id, workload: workload.name, member };
        return [
          ...(workload.gcp?.roles ?? []).map((g) => ({
            ...owner,
            resource: gcpTargetLabel(g, provider.projectId),
          })),
          ...(workload.gcp?.impersonateServiceAccount
            ? [{ ...owner, resource: `serviceAccount ${gcpServiceAccountEmail(env, tenant.id)}` }]
            : []),
        ];
      }),
    };
  }
  if (env.clouds.azure) {
    artifacts.azure = {
      credentials: env.tenants.flatMap((tenant) =>
        tenant.workloads
          .filter((w) => usesCloud(env, w, "azure"))
          .map((w) => ({
            tenantId: tenant.id,
            workload: w.name,
            ...azureFederatedCredential(env, w.name, id(tenant.id, w.name)),
          })),
      ),
    };
  }
  return artifacts;
}
