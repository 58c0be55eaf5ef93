import * as iam from "@pulumi/gcp/iam";
import type { Provider } from "@pulumi/gcp/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import { gcpProvider as gcpProviderSpec } from "../../src/model/trust/gcp/gcp-trust.ts";
import { optionsFor } from "../options.ts";

/** Arguments of a WorkloadIdentityPool. */
export interface WorkloadIdentityPoolArgs {
  readonly env: Environment;
  readonly provider: Provider;
}

/**
 * The environment's workload identity pool and its OIDC provider for the issuer: audience the
 * GCP API only, attribute mapping and condition from the model. Ids are stable; in production
 * both are protected and retained, because a deleted pool blocks its id for 30 days.
 */
export class WorkloadIdentityPool extends pulumi.ComponentResource {
  readonly pool: iam.WorkloadIdentityPool;

  constructor(name: string, args: WorkloadIdentityPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:gcp:WorkloadIdentityPool", name, {}, opts);
    const { env } = args;
    const spec = gcpProviderSpec(env);
    const base = { parent: this, provider: args.provider };
    this.pool = new iam.WorkloadIdentityPool(
      name,
      {
        project: spec.projectId,
        workloadIdentityPoolId: spec.poolId,
        displayName: `Auth0 M2M (${env.name})`.slice(0, 32),
        description: `Auth0 machine-to-machine tokens of ${env.issuer}`,
      },
      optionsFor("gcpPool", env, base),
    );
    new iam.WorkloadIdentityPoolProvider(
      `${name}-${spec.providerId}`,
      {
        project: spec.projectId,
        workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: spec.providerId,
        displayName: "Auth0",
        attributeMapping: { ...spec.attributeMapping },
        attributeCondition: spec.attributeCondition,
        oidc: { issuerUri: spec.issuerUri, allowedAudiences: [...spec.allowedAudiences] },
      },
      optionsFor("gcpPoolProvider", env, base),
    );
    this.registerOutputs({});
  }
}
