import type { ManagementClient } from "auth0";
import { CREDENTIALS_EXCHANGE_TRIGGER } from "../model/environment/project-actions.ts";

/** An application as read from the tenant. The secret is kept in memory only, for smoke. */
export interface LiveClient {
  readonly clientId: string;
  readonly name: string;
  readonly description: string;
  readonly appType: string;
  readonly grantTypes: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly authMethod: string;
  readonly clientSecret?: string;
  /** private_key_jwt: its public key credentials (no PEM: Auth0 never returns it). */
  readonly credentials: readonly {
    readonly id: string;
    readonly name: string;
    readonly alg: string;
    readonly kid: string;
  }[];
}

export interface LiveGrant {
  readonly id: string;
  readonly clientId: string;
  readonly audience: string;
  readonly scopes: readonly string[];
}

export interface LiveApi {
  readonly id: string;
  readonly identifier: string;
  readonly name: string;
  readonly scopes: readonly { readonly value: string; readonly description: string }[];
  readonly signingAlg: string;
  readonly tokenLifetime: number;
  readonly tokenDialect: string;
  readonly enforcePolicies: boolean;
  readonly allowOfflineAccess: boolean;
  readonly skipConsentForVerifiableFirstPartyClients: boolean;
  readonly isSystem: boolean;
}

export interface LiveAction {
  readonly id: string;
  readonly name: string;
  /** The code that runs: the deployed version's, else the draft's. */
  readonly code: string;
  readonly deployed: boolean;
  readonly runtime: string;
}

/** What one tenant holds that this tool manages or must leave alone. */
export interface LiveTenant {
  readonly clients: readonly LiveClient[];
  readonly grants: readonly LiveGrant[];
  readonly apis: readonly LiveApi[];
  readonly actions: readonly LiveAction[];
  /** The credentials-exchange binding list, in order. */
  readonly bindings: readonly { readonly actionId: string; readonly displayName: string }[];
}

const PAGE = 100;

async function all<T>(pages: Promise<AsyncIterable<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of await pages) items.push(item);
  return items;
}

/**
 * Reads the tenant through the Management API, every page of every list: applications (with
 * their secrets, which need read:client_keys), client grants (checkpoint pages), APIs, the
 * credentials-exchange Actions and binding list, and the public key credentials of
 * private_key_jwt applications.
 */
export async function readLiveTenant(client: ManagementClient): Promise<LiveTenant> {
  const trigger = CREDENTIALS_EXCHANGE_TRIGGER.id;
  const rawClients = await all(client.clients.list({ per_page: PAGE, include_totals: true }));
  const rawGrants = await all(client.clientGrants.list({ take: PAGE }));
  const rawApis = await all(client.resourceServers.list({ per_page: PAGE, include_totals: true }));
  const rawActions = await all(client.actions.list({ triggerId: trigger, per_page: PAGE }));
  const rawBindings = await all(client.actions.triggers.bindings.list(trigger, { per_page: PAGE }));
  const clients: LiveClient[] = [];
  for (const c of rawClients) {
    const clientId = c.client_id ?? "";
    const method =
      c.token_endpoint_auth_method ??
      (c.client_authentication_methods?.private_key_jwt ? "private_key_jwt" : "");
    const credentials =
      method === "private_key_jwt"
        ? (await client.clients.credentials.list(clientId)).map((k) => ({
            id: k.id ?? "",
            name: k.name ?? "",
            alg: k.alg ?? "",
            kid: k.kid ?? "",
          }))
        : [];
    clients.push({
      clientId,
      name: c.name ?? "",
      description: c.description ?? "",
      appType: c.app_type ?? "",
      grantTypes: c.grant_types ?? [],
      metadata: (c.client_metadata ?? {}) as Record<string, string>,
      authMethod: method,
      ...(c.client_secret ? { clientSecret: c.client_secret } : {}),
      credentials,
    });
  }
  return {
    clients,
    grants: rawGrants.map((g) => ({
      id: g.id ?? "",
      clientId: g.client_id ?? "",
      audience: g.audience ?? "",
      scopes: g.scope ?? [],
    })),
    apis: rawApis.map((a) => ({
      id: a.id ?? "",
      identifier: a.identifier ?? "",
      name: a.name ?? "",
      scopes: (a.scopes ?? []).map((s) => ({ value: s.value, description: s.description ?? "" })),
      signingAlg: a.signing_alg ?? "RS256",
      tokenLifetime: a.token_lifetime ?? 86_400,
      tokenDialect: a.token_dialect ?? "access_token",
      enforcePolicies: a.enforce_policies ?? false,
      allowOfflineAccess: a.allow_offline_access ?? false,
      skipConsentForVerifiableFirstPartyClients: a.skip_consent_for_verifiable_first_party_clients ?? false,
      isSystem: a.is_system ?? false,
    })),
    actions: rawActions.map((a) => ({
      id: a.id ?? "",
      name: a.name ?? "",
      code: a.deployed_version?.code ?? a.code ?? "",
      deployed: a.deployed_version !== undefined,
      runtime: a.runtime ?? "",
    })),
    bindings: rawBindings.map((b) => ({ actionId: b.action?.id ?? "", displayName: b.display_name ?? "" })),
  };
}

/** The tenant's grants by client id, so each application's are found without a scan. */
export function grantsByClient(live: LiveTenant): Map<string, LiveGrant[]> {
  const byClient = new Map<string, LiveGrant[]>();
  for (const grant of live.grants) {
    const list = byClient.get(grant.clientId);
    if (list) list.push(grant);
    else byClient.set(grant.clientId, [grant]);
  }
  return byClient;
}
