import { cloudApi } from "./clouds.ts";
import type { Environment } from "./environment.ts";
import { gcpPoolResourceName, gcpProviderResourceName, gcpSubjectPrincipalOf } from "./gcp-principal.ts";
import { gcpPoolId, gcpServiceAccountId } from "./names.ts";
import type { GcpCloudConfig } from "./schema.ts";
import { CLIENT_SUBJECT_SUFFIX, clientSubject } from "./subject.ts";

/** The workload identity pool provider of an environment, as GCP takes it. */
export interface GcpProviderSpec {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly poolId: string;
  readonly providerId: string;
  /** Equal to the tokens' `iss`, trailing slash included. */
  readonly issuerUri: string;
  /** The GCP API identifier only: a token minted for another API is refused. */
  readonly allowedAudiences: readonly string[];
  /** CEL: google.subject from `sub`, the tenant attributes from the namespaced claims. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  /** CEL: without one GCP accepts every token of the issuer; this one needs the tenant claim and a client subject. */
  readonly attributeCondition: string;
}

/** The attributes the provider maps, which principal sets and conditions could name. */
export const GCP_ATTRIBUTES = {
  tenantId: "attribute.tenant_id",
  workload: "attribute.workload",
  clientId: "attribute.client_id",
} as const;

function gcpOf(env: Environment): GcpCloudConfig {
  const gcp = env.clouds.gcp;
  if (!gcp) throw new Error("GCP is not on for this environment");
  return gcp;
}

/** The provider of `env`. */
export function gcpProvider(env: Environment): GcpProviderSpec {
  const gcp = gcpOf(env);
  const api = cloudApi(env, "gcp");
  if (!api) throw new Error("GCP has no API in this environment");
  const tenantClaim = env.claims.tenantId;
  return {
    projectId: gcp.projectId,
    projectNumber: gcp.projectNumber,
    poolId: gcpPoolId(env.name, gcp.poolId).value,
    providerId: gcp.providerId,
    issuerUri: env.issuer,
    allowedAudiences: [api.identifier],
    attributeMapping: {
      "google.subject": "assertion.sub",
      [GCP_ATTRIBUTES.tenantId]: `assertion['${tenantClaim}']`,
      [GCP_ATTRIBUTES.workload]: `assertion['${env.claims.workload}']`,
      // The rfc9068 dialect carries client_id instead of azp.
      [GCP_ATTRIBUTES.clientId]: "has(assertion.azp) ? assertion.azp : assertion.client_id",
    },
    // Not gty: the rfc9068 dialects drop it.
    attributeCondition: `'${tenantClaim}' in assertion && assertion.sub.endsWith('${CLIENT_SUBJECT_SUFFIX}')`,
  };
}

/** `projects/NUM/locations/global/workloadIdentityPools/POOL`. */
export function gcpPoolResource(env: Environment): string {
  const p = gcpProvider(env);
  return gcpPoolResourceName(p.projectNumber, p.poolId);
}

/** The principal of one workload: its exact subject, which nobody can change. */
export function gcpSubjectPrincipal(env: Environment, clientId: string): string {
  return gcpSubjectPrincipalOf(gcpPoolResource(env), clientSubject(clientId));
}

/** The audience of the STS exchange: the provider's full resource name. */
export function gcpProviderAudience(env: Environment): string {
  return gcpProviderResourceName(gcpPoolResource(env), gcpProvider(env).providerId);
}

/** The email of a tenant's service account. */
export function gcpServiceAccountEmail(env: Environment, tenantId: string): string {
  return `${gcpServiceAccountId(env.name, tenantId).value}@${gcpOf(env).projectId}.iam.gserviceaccount.com`;
}

/** Where `m2m token` reads a workload's secret or key from. */
export type TokenCredential = { readonly env: string } | { readonly file: string };

/** The workload's token credential source, or its default. */
export function tokenCredentialOf(workload: {
  readonly authentication: { readonly method: string };
  readonly tokenCredential?: TokenCredential;
}): TokenCredential {
  if (workload.tokenCredential) return workload.tokenCredential;
  return workload.authentication.method === "private_key_jwt"
    ? { file: "/var/run/secrets/m2m/private-key.pem" }
    : { env: "M2M_CLIENT_SECRET" };
}

/**
 * The external_account credential configuration of one workload: Google's client libraries run
 * `m2m token --format gcp-executable` for a fresh Auth0 token and exchange it at GCP's STS. It
 * says where the secret or key is read from, and never contains it.
 */
export function gcpCredentialConfiguration(
  env: Environment,
  tenantId: string,
  workload: {
    readonly name: string;
    readonly authentication: { readonly method: string };
    readonly tokenCredential?: TokenCredential;
    readonly gcp?: { readonly impersonateServiceAccount: boolean };
  },
): Record<string, unknown> {
  const source = tokenCredentialOf(workload);
  const from = "env" in source ? `--secret-env ${source.env}` : `--secret-file ${source.file}`;
  return {
    type: "external_account",
    audience: gcpProviderAudience(env),
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: "https://sts.googleapis.com/v1/token",
    credential_source: {
      executable: {
        command: `npx m2m token --format gcp-executable --stack ${env.name} --tenant ${tenantId} --workload ${workload.name} ${from}`,
        timeout_millis: 30_000,
      },
    },
    ...(workload.gcp?.impersonateServiceAccount
      ? {
          service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${gcpServiceAccountEmail(env, tenantId)}:generateAccessToken`,
        }
      : {}),
  };
}
