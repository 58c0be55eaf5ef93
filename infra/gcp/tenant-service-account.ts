import type { Provider } from "@pulumi/gcp/provider";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import { gcpServiceAccountId } from "../../src/model/environment/names.ts";
import type { TenantConfig } from "../../src/model/environment/schema.ts";
import { gcpServiceAccountDescription } from "../../src/model/environment/tenant-labels.ts";
import { optionsFor } from "../options.ts";
import { grantRole } from "./role-grant.ts";

/** Arguments of a TenantServiceAccount. */
export interface TenantServiceAccountArgs {
  readonly env: Environment;
  readonly tenant: TenantConfig;
  readonly provider: Provider;
}

/** A tenant's service account and its roles, for workloads that impersonate it. */
export class TenantServiceAccount extends pulumi.ComponentResource {
  readonly account: serviceaccount.Account;

  constructor(name: string, args: TenantServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:gcp:TenantServiceAccount", name, {}, opts);
    const { env, tenant } = args;
    const context = { production: env.production, decommissioned: tenant.decommissioned };
    const base = { parent: this, provider: args.provider };
    const project = env.clouds.gcp?.projectId ?? "";
    this.account = new serviceaccount.Account(
      name,
      {
        project,
        accountId: gcpServiceAccountId(env.name, tenant.id).value,
        displayName: `Tenant ${tenant.id} (${env.name})`,
        description: gcpServiceAccountDescription(env.name, tenant.id),
      },
      optionsFor("gcpServiceAccount", context, base),
    );
    const member = pulumi.interpolate`serviceAccount:${this.account.email}`;
    for (const [i, grant] of (tenant.gcp?.serviceAccountRoles ?? []).entries()) {
      grantRole(
        `${name}-role-${i}`,
        { env, tenantId: tenant.id, grant, member },
        optionsFor("gcpIamMember", context, base),
      );
    }
    this.registerOutputs({});
  }
}
