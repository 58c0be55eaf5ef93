import * as iam from "@pulumi/aws/iam";
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import { awsBoundaryName } from "../../src/model/environment/names.ts";
import type { TenantConfig } from "../../src/model/environment/schema.ts";
import { awsTenantTags } from "../../src/model/environment/tenant-labels.ts";
import { awsPermissionsBoundary } from "../../src/model/trust/aws/aws-boundary.ts";
import { optionsFor } from "../options.ts";

/** Arguments of a TenantBoundary. */
export interface TenantBoundaryArgs {
  readonly env: Environment;
  readonly tenant: TenantConfig;
  readonly provider: Provider;
}

/**
 * The permissions boundary every AWS role of one tenant carries: a customer managed policy
 * generated from the tenant's own and the shared resources (src/model/trust/aws/aws-boundary.ts), so any
 * policy attached to the roles reaches nothing of another tenant's.
 */
export class TenantBoundary extends pulumi.ComponentResource {
  /** The policy resource, which the tenant's roles are created after. */
  readonly policy: iam.Policy;

  constructor(name: string, args: TenantBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:aws:TenantBoundary", name, {}, opts);
    const { env, tenant } = args;
    this.policy = new iam.Policy(
      name,
      {
        name: awsBoundaryName(env.name, tenant.id).value,
        description: `Permissions boundary of tenant ${tenant.id}'s roles (${env.name})`,
        policy: JSON.stringify(awsPermissionsBoundary(env, env.name, tenant.id)),
        tags: awsTenantTags(env.name, tenant.id),
      },
      optionsFor(
        "awsBoundary",
        { production: env.production, decommissioned: tenant.decommissioned },
        { parent: this, provider: args.provider },
      ),
    );
    this.registerOutputs({});
  }
}
