/**
 * tenant-claims: adds `{namespace}tenant_id` and `{namespace}workload` to client-credentials
 * tokens of the applications this tool manages, from their client metadata, and fails closed.
 *
 * The trigger runs for every client-credentials request on the Auth0 tenant, other teams'
 * applications and the Management API client included, so the Action touches only clients
 * marked as managed and never denies a Management API token. Tenant data comes from client
 * metadata alone (set by `pulumi up`), never from the request body, scopes or headers, which
 * the caller controls.
 *
 * Tenant claims come from this Action alone. The model binds it last, so no later Action can
 * overwrite them; and a token of a managed client that already carries the AWS session-tags
 * claim or any claim under the namespace when the Action runs (set by an earlier Action, as far
 * as `event.accessToken.customClaims` shows it) is denied rather than issued with a forged claim.
 */
import { AWS_TAGS_CLAIM, awsTagsClaim } from "../src/model/contract/aws-session-tags.ts";
import { CLIENT_METADATA_KEYS, MANAGED_BY_VALUE, tenantClaimNames } from "../src/model/contract/claims.ts";
import { isTenantId, isWorkloadName, TENANT_ID_RULE } from "../src/model/contract/tenant-id.ts";
import type { OnExecuteCredentialsExchange } from "./types/credentials-exchange.ts";

/** The environment's claim namespace, set at build time (src/bundle/action-bundle.ts). */
declare const M2M_CLAIM_NAMESPACE: string;
/** The tenant's Management API audience, set at build time. */
declare const M2M_MANAGEMENT_AUDIENCE: string;
/** The AWS API identifier ("" when AWS is off), set at build time. */
declare const M2M_AWS_AUDIENCE: string;
/** Comma-separated session tag keys passed on to chained roles, set at build time. */
declare const M2M_AWS_TRANSITIVE_TAG_KEYS: string;

export const onExecuteCredentialsExchange: OnExecuteCredentialsExchange = async (event, api) => {
  const managementAudience = typeof M2M_MANAGEMENT_AUDIENCE === "string" ? M2M_MANAGEMENT_AUDIENCE : "";
  if (managementAudience !== "" && event.resource_server?.identifier === managementAudience) return;
  const metadata = event.client?.metadata ?? {};
  if (metadata[CLIENT_METADATA_KEYS.managedBy] !== MANAGED_BY_VALUE) return;

  const namespace = typeof M2M_CLAIM_NAMESPACE === "string" ? M2M_CLAIM_NAMESPACE : "";
  if (!namespace) {
    api.access.deny("server_error", "tenant-claims was built without a claim namespace");
    return;
  }
  const forged = Object.keys(event.accessToken?.customClaims ?? {}).find(
    (name) => name === AWS_TAGS_CLAIM || name.startsWith(namespace),
  );
  if (forged !== undefined) {
    api.access.deny(
      "server_error",
      `claim ${forged} was set before tenant-claims ran: tenant claims come from tenant-claims alone; unbind the Action that sets it`,
    );
    return;
  }
  const tenantId = metadata[CLIENT_METADATA_KEYS.tenantId];
  const workload = metadata[CLIENT_METADATA_KEYS.workload];
  if (!isTenantId(tenantId) || !isWorkloadName(workload)) {
    const key = isTenantId(tenantId) ? CLIENT_METADATA_KEYS.workload : CLIENT_METADATA_KEYS.tenantId;
    api.access.deny("invalid_request", `client metadata ${key} is missing or malformed (${TENANT_ID_RULE})`);
    return;
  }
  const claims = tenantClaimNames(namespace);
  api.accessToken.setCustomClaim(claims.tenantId, tenantId);
  api.accessToken.setCustomClaim(claims.workload, workload);
  // Session tags only on tokens minted for AWS: the roles require them, so a token this client
  // got for another API cannot assume its role even if STS reads azp for the audience.
  const awsAudience = typeof M2M_AWS_AUDIENCE === "string" ? M2M_AWS_AUDIENCE : "";
  if (awsAudience !== "" && event.resource_server?.identifier === awsAudience) {
    const transitive = typeof M2M_AWS_TRANSITIVE_TAG_KEYS === "string" ? M2M_AWS_TRANSITIVE_TAG_KEYS : "";
    api.accessToken.setCustomClaim(
      AWS_TAGS_CLAIM,
      awsTagsClaim(tenantId, workload, transitive.split(",").filter(Boolean)),
    );
  }
};
