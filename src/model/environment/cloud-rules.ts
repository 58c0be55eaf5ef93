/**
 * Rules for the cloud side: each cloud on has its own API and the workloads that use it are
 * granted that API; AWS's 100-entry client ID list
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), Azure's 20
 * credentials per identity
 * (https://learn.microsoft.com/en-us/entra/workload-id/workload-identity-federation-considerations),
 * GCP's id rules
 * (https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/create),
 * and least privilege in what the model grants.
 */

import { isRfc9068 } from "../contract/token-dialect.ts";
import { cloudApi, usesCloud, workloadsUsing } from "./clouds.ts";
import type { EnvironmentIssue } from "./errors.ts";
import { gcpPoolId, gcpProviderId } from "./names.ts";
import type { Rule, RuleCheck } from "./rule.ts";
import type { Cloud } from "./schema.ts";

/** At most 100 client IDs on one IAM OIDC provider. */
export const AWS_CLIENT_ID_LIMIT = 100;
/** At most 20 federated identity credentials on one Azure managed identity. */
export const AZURE_CREDENTIALS_PER_IDENTITY = 20;
/** Primitive GCP roles: never granted to a federated workload. */
const GCP_PRIMITIVE_ROLES = new Set(["roles/owner", "roles/editor", "roles/viewer"]);

const CLOUD_NAMES: Record<Cloud, string> = { aws: "AWS", gcp: "GCP", azure: "Azure" };

const cloudsHaveApis: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  for (const cloud of ["aws", "gcp", "azure"] as const) {
    const on = config.clouds[cloud] !== undefined;
    const api = cloudApi(config, cloud);
    if (on && !api) {
      issues.push({
        path: `clouds.${cloud}`,
        message: `${CLOUD_NAMES[cloud]} is on but no API is marked cloud: ${cloud}: add an RS256 API for it${cloud === "azure" ? " with identifier api://AzureADTokenExchange" : ""}, so tokens minted for other APIs are never accepted`,
      });
    }
    if (!on && api) {
      const i = config.apis.indexOf(api);
      issues.push({
        path: `apis[${i}].cloud`,
        message: `API "${api.key}" is marked cloud: ${cloud} but clouds.${cloud} is not configured: add clouds.${cloud} or remove the mark`,
      });
    }
  }
  return issues;
};

const workloadsGrantedTheirClouds: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  config.tenants.forEach((tenant, t) => {
    tenant.workloads.forEach((workload, w) => {
      for (const cloud of ["aws", "gcp"] as const) {
        if (workload[cloud] && !usesCloud(config, workload, cloud)) {
          const api = cloudApi(config, cloud);
          issues.push({
            path: `tenants[${t}].workloads[${w}].${cloud}`,
            message: api
              ? `the workload has ${CLOUD_NAMES[cloud]} access but no grant to the ${CLOUD_NAMES[cloud]} API "${api.key}": add the grant (its tokens must be minted for ${CLOUD_NAMES[cloud]})`
              : `the workload has ${CLOUD_NAMES[cloud]} access but ${CLOUD_NAMES[cloud]} is not on: configure clouds.${cloud} and its API`,
          });
        }
      }
    });
    for (const cloud of ["gcp", "azure"] as const) {
      if (tenant[cloud] && !tenant.workloads.some((w) => usesCloud(config, w, cloud))) {
        issues.push({
          path: `tenants[${t}].${cloud}`,
          message: `tenant "${tenant.id}" has ${CLOUD_NAMES[cloud]} settings but none of its workloads is granted the ${CLOUD_NAMES[cloud]} API: grant it or remove the settings`,
        });
      }
    }
  });
  return issues;
};

const awsLimits: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  const api = cloudApi(config, "aws");
  if (!api || !config.clouds.aws) return issues;
  const i = config.apis.indexOf(api);
  if (api.identifier.length > 255) {
    issues.push({
      path: `apis[${i}].identifier`,
      message: "an IAM OIDC provider client ID is at most 255 characters: shorten the AWS API identifier",
    });
  }
  const listsClientIds = !isRfc9068(api);
  const entries = 1 + (listsClientIds ? workloadsUsing(config, "aws").length : 0);
  if (entries > AWS_CLIENT_ID_LIMIT) {
    issues.push({
      path: "clouds.aws",
      message: `the IAM OIDC provider would list ${entries} client IDs (the AWS API and each AWS workload's client id, because STS may check azp), over AWS's ${AWS_CLIENT_ID_LIMIT}: set tokenDialect: rfc9068_profile on the AWS API (only its identifier is listed), or shard tenants into stacks on separate AWS accounts`,
    });
  }
  const roles = workloadsUsing(config, "aws").length;
  if (roles > config.clouds.aws.iamRoleQuota)
    issues.push({
      path: "clouds.aws.iamRoleQuota",
      message: `${roles} AWS workloads need ${roles} IAM roles, over the account's quota of ${config.clouds.aws.iamRoleQuota} (AWS's default is 1,000): shard tenants into stacks on separate accounts, or have AWS raise the quota and set iamRoleQuota`,
    });
  config.tenants.forEach((tenant, t) => {
    tenant.workloads.forEach((workload, w) => {
      const statements = (workload.aws?.inlinePolicy?.Statement ?? []) as Record<string, unknown>[];
      statements.forEach((statement, s) => {
        const at = `tenants[${t}].workloads[${w}].aws.inlinePolicy.Statement[${s}]`;
        const actions = [statement.Action].flat().filter((a): a is string => typeof a === "string");
        if (
          statement.Effect === "Allow" &&
          (statement.NotAction !== undefined || statement.NotResource !== undefined)
        ) {
          issues.push({
            path: at,
            message:
              "Allow with NotAction or NotResource grants nearly everything: list the actions and resources instead",
          });
        }
        if (statement.Effect === "Allow" && actions.some((a) => a === "*" || a === "*:*")) {
          issues.push({
            path: `${at}.Action`,
            message: 'Action "*" is not least privilege: list the actions the workload needs',
          });
        }
      });
    });
  });
  return issues;
};

const gcpLimits: RuleCheck = (config, envName) => {
  const issues: EnvironmentIssue[] = [];
  const gcp = config.clouds.gcp;
  const api = cloudApi(config, "gcp");
  if (!gcp) return issues;
  for (const [path, name] of [
    ["clouds.gcp.poolId", gcpPoolId(envName, gcp.poolId)],
    ["clouds.gcp.providerId", gcpProviderId(gcp.providerId)],
  ] as const) {
    if (!name.pattern.test(name.value)) {
      issues.push({ path, message: `the ${name.what} "${name.value}" breaks its rule: ${name.rule}` });
    }
  }
  if (api && api.identifier.length > 256) {
    issues.push({
      path: `apis[${config.apis.indexOf(api)}].identifier`,
      message: "GCP allows audiences of at most 256 characters: shorten the GCP API identifier",
    });
  }
  const primitive = (at: string, role: string) =>
    GCP_PRIMITIVE_ROLES.has(role)
      ? [
          {
            path: at,
            message: `${role} is a primitive role, far beyond least privilege: grant a predefined or custom role`,
          },
        ]
      : [];
  config.tenants.forEach((tenant, t) => {
    tenant.gcp?.serviceAccountRoles.forEach((g, r) => {
      issues.push(...primitive(`tenants[${t}].gcp.serviceAccountRoles[${r}].role`, g.role));
    });
    tenant.workloads.forEach((workload, w) => {
      workload.gcp?.roles.forEach((g, r) => {
        issues.push(...primitive(`tenants[${t}].workloads[${w}].gcp.roles[${r}].role`, g.role));
      });
      if (workload.gcp?.impersonateServiceAccount && (tenant.gcp?.serviceAccountRoles.length ?? 0) === 0) {
        issues.push({
          path: `tenants[${t}].workloads[${w}].gcp.impersonateServiceAccount`,
          message: `tenant "${tenant.id}"'s service account has no roles, so impersonating it gives nothing: add tenants[${t}].gcp.serviceAccountRoles or drop impersonation`,
        });
      }
    });
  });
  // The program makes one service account per tenant whose GCP workloads impersonate.
  const accounts = config.tenants.filter((tenant) =>
    tenant.workloads.some((w) => usesCloud(config, w, "gcp") && w.gcp?.impersonateServiceAccount),
  ).length;
  if (accounts > gcp.serviceAccountQuota)
    issues.push({
      path: "clouds.gcp.serviceAccountQuota",
      message: `${accounts} tenants impersonate a service account of their own, over the project's quota of ${gcp.serviceAccountQuota} service accounts (GCP's default is 100): shard tenants into stacks on separate projects, grant their workloads directly instead of through a service account, or have GCP raise the quota and set serviceAccountQuota`,
    });
  return issues;
};

const azureLimits: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  const azure = config.clouds.azure;
  if (!azure) return issues;
  config.tenants.forEach((tenant, t) => {
    const count = tenant.workloads.filter((w) => usesCloud(config, w, "azure")).length;
    if (count > AZURE_CREDENTIALS_PER_IDENTITY) {
      issues.push({
        path: `tenants[${t}].workloads`,
        message: `${count} workloads of tenant "${tenant.id}" use Azure, but one managed identity takes at most ${AZURE_CREDENTIALS_PER_IDENTITY} federated credentials: split the tenant's workloads`,
      });
    }
    tenant.azure?.roleAssignments.forEach((a, r) => {
      if (!a.scope.startsWith(`/subscriptions/${azure.subscriptionId}`)) {
        issues.push({
          path: `tenants[${t}].azure.roleAssignments[${r}].scope`,
          message: `scope ${a.scope} is outside the environment's subscription ${azure.subscriptionId}`,
        });
      }
    });
  });
  return issues;
};

/** Every cloud rule, in the order their findings are reported. */
export const CLOUD_RULES: readonly Rule[] = [
  { check: cloudsHaveApis, reads: ["clouds", "apis"] },
  { check: workloadsGrantedTheirClouds, reads: ["tenants", "apis"] },
  { check: awsLimits, reads: ["clouds.aws", "apis", "tenants"] },
  { check: gcpLimits, reads: ["clouds.gcp", "apis", "tenants"] },
  { check: azureLimits, reads: ["clouds.azure", "apis", "tenants"] },
];
