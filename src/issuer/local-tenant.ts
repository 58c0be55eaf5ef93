import { createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import { actionConstants, bundleAction } from "../actions/bundle.ts";
import { triggerBindings } from "../model/bindings.ts";
import { clientMetadata } from "../model/client-metadata.ts";
import { tokenEndpointOf } from "../model/endpoints.ts";
import type { Environment } from "../model/environment.ts";
import { auth0ClientName, workloadKey } from "../model/names.ts";
import type { ApiConfig } from "../model/schema.ts";
import { type LoadedAction, loadAction } from "../runtime/action-module.ts";
import { CredentialsExchangeRuntime } from "../runtime/credentials-exchange.ts";
import { type EventOverrides, eventPart } from "../runtime/event.ts";
import { secretDigest } from "./client-authentication.ts";
import type { LocalState } from "./local-state.ts";
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

/** The embedded Auth0-compatible tenant: the environment's desired state, ready to issue tokens. */
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
  const apis = new Map(env.apis.map((api) => [api.key, api]));
  const clients = new Map<string, LocalClient>();
  for (const tenant of env.tenants) {
    for (const workload of tenant.workloads) {
      const key = workloadKey(tenant.id, workload.name);
      const record = state.clients[key];
      if (!record) throw new Error(`${key} was not provisioned`);
      const auth = workload.authentication;
      const name = auth0ClientName(env.name, tenant.id, workload.name).value;
      const metadata = clientMetadata(tenant.id, workload.name, workload.metadata);
      clients.set(record.clientId, {
        key,
        clientId: record.clientId,
        name,
        tenantId: tenant.id,
        workload: workload.name,
        metadata,
        method: auth.method,
        ...(record.clientSecret
          ? { clientSecret: record.clientSecret, secretDigest: secretDigest(record.clientSecret) }
          : {}),
        keys:
          auth.method === "private_key_jwt"
            ? auth.keys.map((k) => ({
                key: createPublicKey(k.pem),
                algorithm: k.algorithm,
                ...(k.expiresAt ? { expiresAtS: Math.floor(Date.parse(k.expiresAt) / 1000) } : {}),
              }))
            : [],
        grants: new Map(
          workload.grants.map((g) => [apis.get(g.api)?.identifier ?? g.api, new Set(g.scopes)] as const),
        ),
        eventPart: eventPart("client", { client_id: record.clientId, name, metadata }),
      });
    }
  }
  const constants = actionConstants(env);
  const bindings = triggerBindings(env);
  const actions = bindings.flatMap((b) =>
    b.kind === "project"
      ? [loadAction({ name: b.action, code: bundleAction(b.action, constants).code })]
      : [],
  );
  return {
    env,
    tokenEndpoint: tokenEndpointOf(env.issuer),
    clients,
    apis: new Map(env.apis.map((api) => [api.identifier, api])),
    signingKey: await loadSigningKey(state.signingKeyPem),
    apiSecrets: new Map(
      Object.entries(state.apiSecrets).map(([id, secret]) => [id, createSecretKey(Buffer.from(secret))]),
    ),
    actions,
    skippedBindings: bindings.flatMap((b) => (b.kind === "external" ? [b.displayName] : [])),
    runtime: new CredentialsExchangeRuntime({ tenantDomain: env.auth0.domain }),
    eventParts: {
      tenant: eventPart("tenant", { id: env.auth0.domain.split(".")[0] ?? "local" }),
      resourceServers: new Map(
        env.apis.map((api) => [api.identifier, eventPart("resource_server", { identifier: api.identifier })]),
      ),
    },
    usedAssertions,
  };
}
