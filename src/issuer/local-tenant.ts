import type { KeyObject } from "node:crypto";
import { actionConstants, bundleAction } from "../bundle/action-bundle.ts";
import { tokenEndpointOf } from "../model/contract/endpoints.ts";
import { workloadDescription } from "../model/environment/auth0-settings.ts";
import { triggerBindings } from "../model/environment/bindings.ts";
import { clientMetadata } from "../model/environment/client-metadata.ts";
import type { Environment } from "../model/environment/environment.ts";
import { managementRateLimit } from "../model/environment/limits.ts";
import { auth0ClientName, workloadKey } from "../model/environment/names.ts";
import { ACTIONS_RUNTIME, deployedActionName } from "../model/environment/project-actions.ts";
import type { ApiConfig } from "../model/environment/schema.ts";
import type { LoadedAction } from "../runtime/action-module.ts";
import { CredentialsExchangeRuntime } from "../runtime/credentials-exchange.ts";
import { type EventOverrides, eventPart } from "../runtime/event.ts";
import { localAction } from "./local-action.ts";
import { type LocalState, newClientId, newClientSecret } from "./local-state.ts";
import { clientDefaults, ManagementStore, type TokenView } from "./management-api/store.ts";
import type { ReplayJournal } from "./replay-journal.ts";
import { loadSigningKey, type SigningKey } from "./signing-key.ts";

/** One application of the local tenant. */
export interface LocalClient {
  readonly key: string;
  readonly clientId: string;
  readonly name: string;
  readonly tenantId: string;
  readonly workload: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly method: "client_secret_post" | "client_secret_basic" | "private_key_jwt";
  readonly clientSecret?: string;
  /** The secret's digest, computed once: what a presented secret is compared with. */
  readonly secretDigest?: Buffer;
  /** private_key_jwt: the registered public keys, their algorithms and expiry (seconds). */
  readonly keys: readonly {
    readonly key: KeyObject;
    readonly algorithm: string;
    readonly expiresAtS?: number;
  }[];
  /** API identifier -> granted scopes. */
  readonly grants: ReadonlyMap<string, ReadonlySet<string>>;
  /** `event.client` of its tokens, built and frozen once (see EventParts). */
  readonly eventPart: EventOverrides["client"];
}

/**
 * The parts of the Actions' event that do not change between token requests, built and frozen
 * once (src/runtime/event.ts, eventPart): every token for an API shares its part, which is safe
 * because nothing can change it. Each client's part is on the client (LocalClient.eventPart).
 */
export interface EventParts {
  readonly tenant: EventOverrides["tenant"];
  /** By API identifier. */
  readonly resourceServers: ReadonlyMap<string, EventOverrides["resource_server"]>;
}

/**
 * The embedded Auth0-compatible tenant: the environment's desired state, ready to issue tokens.
 * Built by localTenant from the model; changed afterwards only through its Management API.
 */
export interface LocalTenant {
  /** The environment, derived again with the local issuer. */
  readonly env: Environment;
  readonly tokenEndpoint: string;
  readonly clients: ReadonlyMap<string, LocalClient>;
  readonly apis: ReadonlyMap<string, ApiConfig>;
  readonly signingKey: SigningKey;
  /** HS256 APIs' secrets, by identifier. */
  readonly apiSecrets: ReadonlyMap<string, KeyObject>;
  /** The trigger's Actions that run here, in binding order: this project's, bundled as deployed. */
  readonly actions: readonly LoadedAction[];
  /** Other teams' bindings, which exist only on the real tenant and are not run here. */
  readonly skippedBindings: readonly string[];
  readonly runtime: CredentialsExchangeRuntime;
  readonly eventParts: EventParts;
  /** private_key_jwt assertions already used, until they expire: never accepted twice, even across restarts. */
  readonly usedAssertions: ReplayJournal;
  /**
   * The tenant's Management API state. Its changes reach `clients`, `apis`, `apiSecrets`,
   * `actions`, `skippedBindings` and `eventParts.resourceServers` in place, so tokens follow them;
   * they last while the environment runs (a restart provisions the model again).
   */
  readonly management: ManagementStore;
}

/**
 * Builds the local tenant of `env` (whose issuer is the local one) from its provisioned state and
 * the journal of the assertions its clients already used.
 */
export async function localTenant(
  env: Environment,
  state: LocalState,
  usedAssertions: ReplayJournal,
): Promise<LocalTenant> {
  const view: TokenView = {
    clients: new Map(),
    apis: new Map(),
    apiSecrets: new Map(),
    resourceServerParts: new Map(),
    actions: [],
    skippedBindings: [],
  };
  const management = new ManagementStore(
    view,
    env.issuer,
    managementRateLimit(env.auth0.plan, env.production),
    // A state written before the Management API existed gets its application on the next provision.
    state.management ?? { clientId: newClientId(), clientSecret: newClientSecret() },
  );
  const apis = new Map(env.apis.map((api) => [api.key, api]));
  for (const api of env.apis) management.seedApi(api, state.apiSecrets[api.identifier]);
  for (const tenant of env.tenants) {
    for (const workload of tenant.workloads) {
      const key = workloadKey(tenant.id, workload.name);
      const record = state.clients[key];
      if (!record) throw new Error(`${key} was not provisioned`);
      const auth = workload.authentication;
      management.seedClient(
        {
          ...clientDefaults(auth0ClientName(env.name, tenant.id, workload.name).value),
          client_id: record.clientId,
          description: workloadDescription(env.name, tenant, workload),
          client_metadata: clientMetadata(tenant.id, workload.name, workload.metadata),
          token_endpoint_auth_method: auth.method,
          ...(record.clientSecret ? { client_secret: record.clientSecret } : {}),
        },
        auth.method === "private_key_jwt"
          ? auth.keys.map((k) => ({
              name: k.name,
              pem: k.pem,
              alg: k.algorithm,
              ...(k.expiresAt ? { expiresAt: k.expiresAt } : {}),
            }))
          : [],
        workload.grants.map((g) => ({
          audience: apis.get(g.api)?.identifier ?? g.api,
          scope: [...g.scopes],
        })),
      );
    }
  }
  const constants = actionConstants(env);
  const bound = triggerBindings(env).map((b) => {
    if (b.kind === "external") {
      // Another team's Action exists on the real tenant only: known here by id, never run.
      const actionId = management.actions.seed({
        id: b.id,
        name: b.displayName,
        code: "",
        runtime: ACTIONS_RUNTIME,
      });
      return { actionId, displayName: b.displayName };
    }
    const code = bundleAction(b.action, constants).code;
    const name = deployedActionName(b.action);
    // Under its deployed name, as Auth0 names it in errors and logs (and a redeploy here does).
    const actionId = management.actions.seed(
      { name, code, runtime: ACTIONS_RUNTIME },
      localAction(name, code),
    );
    return { actionId, displayName: name };
  });
  management.actions.seedBindings(bound);
  return {
    env,
    tokenEndpoint: tokenEndpointOf(env.issuer),
    clients: view.clients,
    apis: view.apis,
    signingKey: await loadSigningKey(state.signingKeyPem),
    apiSecrets: view.apiSecrets,
    actions: view.actions,
    skippedBindings: view.skippedBindings,
    runtime: new CredentialsExchangeRuntime({ tenantDomain: env.auth0.domain }),
    eventParts: {
      tenant: eventPart("tenant", { id: env.auth0.domain.split(".")[0] ?? "local" }),
      resourceServers: view.resourceServerParts,
    },
    usedAssertions,
    management,
  };
}
