import * as iam from "@pulumi/aws/iam";
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import { awsRoleName } from "../../src/model/environment/names.ts";
import type { TenantConfig, WorkloadConfig } from "../../src/model/environment/schema.ts";
import { awsRoleTags } from "../../src/model/environment/tenant-labels.ts";
import { awsBoundaryArn } from "../../src/model/trust/aws/aws-boundary.ts";
import { awsTrustPolicy } from "../../src/model/trust/aws/aws-trust.ts";
import { optionsFor } from "../options.ts";

/** Arguments of a WorkloadRole. */
export interface WorkloadRoleArgs {
  readonly env: Environment;
  readonly tenant: TenantConfig;
  readonly workload: WorkloadConfig;
  /** The workload's Auth0 client id: its tokens' `sub` is `{clientId}@clients`. */
  readonly clientId: pulumi.Output<string>;
  /** The IAM OIDC provider's ARN, as the model computes it (known at preview). */
  readonly providerArn: string;
  /** The provider itself: the role is created after it. */
  readonly oidcProvider: pulumi.Resource;
  /** The tenant's permissions boundary policy: the role carries it (by its computed ARN) and follows it. */
  readonly boundary: pulumi.Resource;
  readonly provider: Provider;
}

/**
 * The IAM role one workload's tokens assume: trust from the model (exact subject, audience,
 * session tags), permissions from the model (managed policies, inline policy, boundary).
 */
export class WorkloadRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: WorkloadRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:aws:WorkloadRole", name, {}, opts);
    const { env, tenant, workload } = args;
    const context = { production: env.production, decommissioned: tenant.decommissioned };
    const base = { parent: this, provider: args.provider };
    const access = workload.aws;
    const role = new iam.Role(
      name,
      {
        name: awsRoleName(env.name, tenant.id, workload.name).value,
        description: `Tokens of Auth0 workload ${tenant.id}/${workload.name} (${env.name})`,
        assumeRolePolicy: args.clientId.apply((clientId) =>
          JSON.stringify(
            awsTrustPolicy(env, tenant.id, workload.name, { clientId, providerArn: args.providerArn }),
          ),
        ),
        maxSessionDuration: access?.maxSessionDuration ?? 3600,
        permissionsBoundary: awsBoundaryArn(env, tenant.id),
        tags: awsRoleTags(env.name, tenant.id, workload.name),
      },
      optionsFor("awsRole", context, base, {
        awsOidcProvider: [args.oidcProvider],
        awsBoundary: [args.boundary],
      }),
    );
    for (const [i, policyArn] of (access?.managedPolicyArns ?? []).entries()) {
      new iam.RolePolicyAttachment(
        `${name}-managed-${i}`,
        { role: role.name, policyArn },
        optionsFor("awsRolePolicy", context, base),
      );
    }
    if (access?.inlinePolicy) {
      new iam.RolePolicy(
        `${name}-inline`,
        { role: role.name, policy: JSON.stringify(access.inlinePolicy) },
        optionsFor("awsRolePolicy", context, base),
      );
    }
    this.arn = role.arn;
    this.registerOutputs({});
  }
}
