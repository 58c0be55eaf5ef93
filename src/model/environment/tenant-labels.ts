// The labels that name a resource's tenant in the clouds: written by the Pulumi program, read
// by the policy pack to attribute previewed trust to tenants for its isolation check. One
// definition, so the two never disagree about where the tenant is.

/** Tag keys on a workload's IAM role. */
export const AWS_ROLE_TAG_KEYS = {
  tenantId: "m2m:tenant_id",
  workload: "m2m:workload",
  environment: "m2m:environment",
} as const;

/** The tags of a workload's IAM role. */
export function awsRoleTags(env: string, tenantId: string, workload: string): Record<string, string> {
  return {
    [AWS_ROLE_TAG_KEYS.tenantId]: tenantId,
    [AWS_ROLE_TAG_KEYS.workload]: workload,
    [AWS_ROLE_TAG_KEYS.environment]: env,
  };
}

/** The tags of a tenant-wide AWS resource (its permissions boundary). */
export function awsTenantTags(env: string, tenantId: string): Record<string, string> {
  return { [AWS_ROLE_TAG_KEYS.tenantId]: tenantId, [AWS_ROLE_TAG_KEYS.environment]: env };
}

/** Tag keys on a tenant's Azure managed identity. */
export const AZURE_IDENTITY_TAG_KEYS = { tenantId: "m2m-tenant-id", environment: "m2m-environment" } as const;

/** The tags of a tenant's Azure managed identity. */
export function azureIdentityTags(env: string, tenantId: string): Record<string, string> {
  return { [AZURE_IDENTITY_TAG_KEYS.tenantId]: tenantId, [AZURE_IDENTITY_TAG_KEYS.environment]: env };
}

const GCP_DESCRIPTION = /^m2m tenant ([a-z0-9-]+) /;

/** The description of a tenant's GCP service account, which names its tenant. */
export function gcpServiceAccountDescription(env: string, tenantId: string): string {
  return `m2m tenant ${tenantId} (${env}): impersonated by the tenant's workloads`;
}

/** The tenant a service account description names, if it is one this tool wrote. */
export function tenantOfGcpServiceAccount(description: string): string | undefined {
  return GCP_DESCRIPTION.exec(description)?.[1];
}
