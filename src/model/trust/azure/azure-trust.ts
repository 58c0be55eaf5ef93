import { clientSubject } from "../../contract/subject.ts";
import { usesCloud } from "../../environment/clouds.ts";
import type { Environment } from "../../environment/environment.ts";
import { AZURE_TOKEN_EXCHANGE_AUDIENCE } from "../../environment/limits.ts";
import { azureCredentialName } from "../../environment/names.ts";
import type { TenantConfig } from "../../environment/schema.ts";

/** A federated identity credential: Entra matches each field exactly, case-sensitive. */
export interface AzureFederatedCredentialSpec {
  readonly name: string;
  /** The tokens' `iss` exactly, trailing slash included. */
  readonly issuer: string;
  /** `{client_id}@clients`. */
  readonly subject: string;
  readonly audiences: readonly [typeof AZURE_TOKEN_EXCHANGE_AUDIENCE];
}

/**
 * What one workload's federated credential says before its Auth0 client exists: everything but
 * the subject. The program registers these as plain values and only the subject waits for the
 * client id.
 */
export function azureCredentialWithoutSubject(
  env: Environment,
  workload: string,
): Omit<AzureFederatedCredentialSpec, "subject"> {
  return {
    name: azureCredentialName(workload).value,
    issuer: env.issuer,
    audiences: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
  };
}

/** The subject a workload's federated credential matches: its tokens' `sub`. */
export function azureCredentialSubject(clientId: string): string {
  return clientSubject(clientId);
}

/** The federated credential of one workload on its tenant's identity. */
export function azureFederatedCredential(
  env: Environment,
  workload: string,
  clientId: string,
): AzureFederatedCredentialSpec {
  return { ...azureCredentialWithoutSubject(env, workload), subject: azureCredentialSubject(clientId) };
}

/**
 * The order the credentials of one tenant's identity are created in: Azure answers 409 to
 * parallel writes on one identity, so each credential waits for the one before it.
 */
export function azureCredentialOrder(
  env: Environment,
  tenant: TenantConfig,
): readonly { readonly workload: string; readonly after: string | undefined }[] {
  const workloads = tenant.workloads.filter((w) => usesCloud(env, w, "azure")).map((w) => w.name);
  return workloads.map((workload, i) => ({ workload, after: workloads[i - 1] }));
}
