import { fileURLToPath } from "node:url";
import type * as iam from "@pulumi/gcp/iam";
import type { Provider } from "@pulumi/gcp/provider";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import type { TenantConfig, WorkloadConfig } from "../../src/model/environment/schema.ts";
import { gcpCredentialConfiguration, gcpSubjectPrincipal } from "../../src/model/trust/gcp/gcp-trust.ts";
import { optionsFor } from "../options.ts";
import { grantRole } from "./role-grant.ts";

/** This installation's bin/m2m.js: what the credential configurations run unless clouds.gcp.m2mPath says otherwise. */
const defaultM2mPath = fileURLToPath(new URL("../../bin/m2m.js", import.meta.url));

/** Arguments of a WorkloadAccess. */
export interface WorkloadAccessArgs {
  readonly env: Environment;
  readonly tenant: TenantConfig;
  readonly workload: WorkloadConfig;
  readonly clientId: pulumi.Output<string>;
  /** The tenant's service account, when the workload impersonates it. */
  readonly serviceAccount?: serviceaccount.Account;
  /** The pool must exist before its principals are bound. */
  readonly pool: iam.WorkloadIdentityPool;
  readonly provider: Provider;
}

/**
 * One workload's GCP access through its subject principal (never the whole pool): roles on its
 * tenant's own bucket, dataset, topic or secret, or on its partition of a shared bucket; when it
 * impersonates, roles/iam.workloadIdentityUser on its tenant's own service account (no other).
 * Outputs its external_account credential configuration.
 */
export class WorkloadAccess extends pulumi.ComponentResource {
  /** The credential configuration (JSON) for Google's client libraries; holds no secret. */
  readonly credentialConfiguration: pulumi.Output<string>;

  constructor(name: string, args: WorkloadAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:gcp:WorkloadAccess", name, {}, opts);
    const { env, tenant, workload } = args;
    const context = { production: env.production, decommissioned: tenant.decommissioned };
    const base = { parent: this, provider: args.provider, dependsOn: [args.pool] };
    const member = args.clientId.apply((id) => gcpSubjectPrincipal(env, id));
    for (const [i, grant] of (workload.gcp?.roles ?? []).entries()) {
      grantRole(
        `${name}-role-${i}`,
        { env, tenantId: tenant.id, grant, member },
        optionsFor("gcpIamMember", context, base),
      );
    }
    if (workload.gcp?.impersonateServiceAccount && args.serviceAccount) {
      new serviceaccount.IAMMember(
        `${name}-impersonate`,
        { serviceAccountId: args.serviceAccount.name, role: "roles/iam.workloadIdentityUser", member },
        optionsFor("gcpIamMember", context, base),
      );
    }
    this.credentialConfiguration = args.clientId.apply((clientId) =>
      JSON.stringify(
        gcpCredentialConfiguration(env, tenant.id, workload, { clientId, defaultM2mPath }),
        null,
        2,
      ),
    );
    this.registerOutputs({});
  }
}
