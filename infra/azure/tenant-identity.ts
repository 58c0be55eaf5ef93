import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import type { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import { azureIdentityName } from "../../src/model/environment/names.ts";
import type { TenantConfig } from "../../src/model/environment/schema.ts";
import { azureIdentityTags } from "../../src/model/environment/tenant-labels.ts";
import { azureRoleAssignmentSpecs } from "../../src/model/trust/azure/azure-assignments.ts";
import {
  azureCredentialOrder,
  azureCredentialSubject,
  azureCredentialWithoutSubject,
} from "../../src/model/trust/azure/azure-trust.ts";
import { optionsFor } from "../options.ts";

/** Arguments of a TenantIdentity. */
export interface TenantIdentityArgs {
  readonly env: Environment;
  readonly tenant: TenantConfig;
  /** Client id of each of the tenant's Azure workloads, by workload name. */
  readonly clientIds: ReadonlyMap<string, pulumi.Output<string>>;
  readonly provider: Provider;
}

/**
 * A tenant's user-assigned managed identity, one federated identity credential per Azure
 * workload (issuer, subject and audience exact), created one after another as Azure requires,
 * and the identity's role assignments from the model (each confined to the tenant's own scopes,
 * or to its container of a shared scope by an ABAC condition).
 */
export class TenantIdentity extends pulumi.ComponentResource {
  /** The identity's client id: what the workload names in the token exchange. */
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: TenantIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:azure:TenantIdentity", name, {}, opts);
    const { env, tenant } = args;
    const cloud = env.clouds.azure;
    if (!cloud) throw new Error("Azure is not on for this environment");
    const context = { production: env.production, decommissioned: tenant.decommissioned };
    const base = { parent: this, provider: args.provider };
    const identity = new managedidentity.UserAssignedIdentity(
      name,
      {
        resourceGroupName: cloud.resourceGroup,
        resourceName: azureIdentityName(env.name, tenant.id).value,
        location: cloud.location,
        tags: azureIdentityTags(env.name, tenant.id),
      },
      optionsFor("azureIdentity", context, base),
    );
    const created = new Map<string, managedidentity.FederatedIdentityCredential>();
    for (const { workload, after } of azureCredentialOrder(env, tenant)) {
      const clientId = args.clientIds.get(workload);
      if (clientId === undefined) throw new Error(`no client id for ${tenant.id}/${workload}`);
      const spec = azureCredentialWithoutSubject(env, workload);
      const previous = after === undefined ? undefined : created.get(after);
      const options = optionsFor("azureFederatedCredential", context, base);
      created.set(
        workload,
        new managedidentity.FederatedIdentityCredential(
          `${name}-${workload}`,
          {
            resourceGroupName: cloud.resourceGroup,
            resourceName: identity.name,
            federatedIdentityCredentialResourceName: spec.name,
            issuer: spec.issuer,
            subject: clientId.apply(azureCredentialSubject),
            audiences: [...spec.audiences],
          },
          previous ? { ...options, dependsOn: [previous] } : options,
        ),
      );
    }
    for (const [i, assignment] of azureRoleAssignmentSpecs(env, tenant).entries()) {
      new authorization.RoleAssignment(
        `${name}-role-${i}`,
        {
          principalId: identity.principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: `/subscriptions/${cloud.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${assignment.roleDefinitionId}`,
          scope: assignment.scope,
          // On a shared scope partitioned by blob container: only the tenant's container.
          ...(assignment.condition
            ? { condition: assignment.condition, conditionVersion: assignment.conditionVersion }
            : {}),
        },
        optionsFor("azureRoleAssignment", context, base),
      );
    }
    this.clientId = identity.clientId;
    this.registerOutputs({});
  }
}
