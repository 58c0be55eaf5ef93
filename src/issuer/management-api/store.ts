import { createHash, createPublicKey, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import type { TokenDialect } from "../../model/contract/token-dialect.ts";
import { apiSettings, WORKLOAD_CLIENT_SETTINGS } from "../../model/environment/auth0-settings.ts";
import type { ManagementRateLimit } from "../../model/environment/limits.ts";
import { workloadKey } from "../../model/environment/names.ts";
import type { ApiConfig } from "../../model/environment/schema.ts";
import type { LoadedAction } from "../../runtime/action-module.ts";
import { type EventOverrides, eventPart } from "../../runtime/event.ts";
import { secretDigest } from "../client-authentication.ts";
import { newClientId, newClientSecret } from "../local-state.ts";
import type { LocalClient } from "../local-tenant.ts";
import { ActionStore } from "./action-store.ts";
import {
  createClientBody,
  createCredentialBody,
  createGrantBody,
  createResourceServerBody,
  parseBody,
  updateClientBody,
  updateGrantBody,
  updateResourceServerBody,
} from "./bodies.ts";
import { MANAGEMENT_ERRORS, ManagementApiError } from "./errors.ts";
import { ManagementRateLimiter } from "./rate-limit.ts";
import type { ClientRecord, CredentialRecord, GrantRecord, ResourceServerRecord } from "./records.ts";
import { localManagementAudience, MANAGEMENT_SCOPES } from "./scopes.ts";

/**
 * What the token endpoint reads, kept current by the store: the same Map and array objects the
 * LocalTenant holds, changed in place, so a grant changed through the Management API changes the
 * next token (one store, two faces).
 */
export interface TokenView {
  /** Every application but the management application, by client id. */
  readonly clients: Map<string, LocalClient>;
  /** APIs by identifier (Auth0's own excluded). */
  readonly apis: Map<string, ApiConfig>;
  /** HS256 APIs' secrets, by identifier. */
  readonly apiSecrets: Map<string, KeyObject>;
  /** `event.resource_server` of each API, by identifier. */
  readonly resourceServerParts: Map<string, EventOverrides["resource_server"]>;
  /** The credentials-exchange trigger's runnable Actions, in binding order. */
  readonly actions: LoadedAction[];
  /** Bound Actions that do not run here (other teams', known by id only). */
  readonly skippedBindings: string[];
}

/** The application the local environment creates for its own Management API. */
export interface ManagementApplication {
  readonly clientId: string;
  readonly clientSecret: string;
}

const now = () => new Date().toISOString();
const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const grantId = () => `cgr_${newClientId().slice(0, 16)}`;

/** A stable kid for a PEM public key: what Auth0 shows beside a credential. */
function kidOf(pem: string): string {
  const der = createPublicKey(pem).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64url").slice(0, 43);
}

/**
 * The local tenant's Management API state: applications, their credentials and grants, APIs,
 * Actions and the credentials-exchange binding list, as Auth0 keeps them, with the token
 * endpoint's view (TokenView) updated on every change. Lives as long as the environment runs.
 */
export class ManagementStore {
  /** The audience of its tokens: `{issuer}api/v2/`. */
  readonly audience: string;
  readonly limiter: ManagementRateLimiter;
  private readonly clients = new Map<string, ClientRecord>();
  private readonly credentials = new Map<string, CredentialRecord[]>();
  private readonly grants = new Map<string, GrantRecord>();
  /** Grant ids by client id: an application's grants without scanning every grant. */
  private readonly grantsOfClient = new Map<string, Set<string>>();
  /** Resource server ids by identifier. */
  private readonly resourceServerIds = new Map<string, string>();
  private readonly resourceServers = new Map<string, ResourceServerRecord>();
  /** Actions and the credentials-exchange binding list. */
  readonly actions: ActionStore;
  /** Seeded APIs' model config, kept so their `key` and `cloud` survive updates. */
  private readonly modelApis = new Map<string, ApiConfig>();
  private readonly management: LocalClient;
  /** Set first: the records inserted while constructing must know which one is the management application. */
  private readonly managementId: string;

  constructor(
    private readonly view: TokenView,
    issuer: string,
    limit: ManagementRateLimit,
    application: ManagementApplication,
  ) {
    this.managementId = application.clientId;
    this.actions = new ActionStore(view);
    this.audience = localManagementAudience(issuer);
    this.limiter = new ManagementRateLimiter(limit);
    this.insertResourceServer({
      id: hex(12),
      name: "Auth0 Management API",
      identifier: this.audience,
      scopes: MANAGEMENT_SCOPES.map((value) => ({ value, description: value })),
      signing_alg: "RS256",
      token_lifetime: 86_400,
      token_dialect: "access_token",
      allow_offline_access: false,
      skip_consent_for_verifiable_first_party_clients: false,
      enforce_policies: false,
      is_system: true,
    });
    this.insertClient({
      ...clientDefaults("m2m local Management API"),
      client_id: application.clientId,
      description: "Created by m2m up --local for m2m smoke, drift and adopt",
      client_secret: application.clientSecret,
    });
    this.insertGrant({
      id: grantId(),
      client_id: application.clientId,
      audience: this.audience,
      scope: [...MANAGEMENT_SCOPES],
    });
    const management = this.localClientOf(application.clientId);
    if (!management) throw new Error("the management application was not created");
    this.management = management;
  }

  /** The management application as the token endpoint authenticates it. */
  get managementClient(): LocalClient {
    return this.localClientOf(this.managementId) ?? this.management;
  }

  /** The Management API itself, as an API the token endpoint can issue tokens for. */
  managementApi(): ApiConfig {
    return {
      key: "auth0-management-api",
      identifier: this.audience,
      name: "Auth0 Management API",
      scopes: MANAGEMENT_SCOPES.map((value) => ({ value, description: value })),
      tokenLifetime: 86_400,
      signingAlg: "RS256",
      tokenDialect: "access_token",
    };
  }

  // ---- seeding (from the model, at start) and records ----

  /** Adds an API of the model with its id; HS256 APIs bring their secret. */
  seedApi(api: ApiConfig, hsSecret?: string): void {
    this.modelApis.set(api.identifier, api);
    const settings = apiSettings(api);
    this.insertResourceServer({
      id: hex(12),
      name: api.name,
      identifier: api.identifier,
      scopes: api.scopes.map((s) => ({ value: s.value, description: s.description })),
      signing_alg: api.signingAlg,
      token_lifetime: api.tokenLifetime,
      token_dialect: api.tokenDialect,
      allow_offline_access: settings.allowOfflineAccess,
      skip_consent_for_verifiable_first_party_clients: settings.skipConsentForVerifiableFirstPartyClients,
      enforce_policies: settings.enforcePolicies,
      is_system: false,
    });
    if (hsSecret) this.view.apiSecrets.set(api.identifier, createSecretKey(Buffer.from(hsSecret)));
  }

  /** Adds an application as the program creates it, with its credentials and grants. */
  seedClient(
    client: Omit<ClientRecord, "client_authentication_methods">,
    keys: readonly { name: string; pem: string; alg: string; expiresAt?: string }[],
    grants: readonly { audience: string; scope: readonly string[] }[],
  ): void {
    this.insertClient(client);
    for (const key of keys) this.addCredential(client.client_id, key.name, key.pem, key.alg, key.expiresAt);
    for (const g of grants) this.insertGrant({ id: grantId(), client_id: client.client_id, ...g });
  }

  // ---- clients ----

  listClients(): ClientRecord[] {
    return [...this.clients.values()];
  }

  getClient(id: string): ClientRecord {
    const client = this.clients.get(id);
    if (!client) throw MANAGEMENT_ERRORS.notFound("client", "inexistent_client");
    return client;
  }

  createClient(body: unknown): ClientRecord {
    const b = parseBody(createClientBody, body);
    const method = b.token_endpoint_auth_method ?? "client_secret_post";
    const record: ClientRecord = {
      ...clientDefaults(b.name),
      ...b,
      client_id: newClientId(),
      token_endpoint_auth_method: method,
      ...(method === "private_key_jwt" || method === "none" ? {} : { client_secret: newClientSecret() }),
    } as ClientRecord;
    return this.insertClient(record);
  }

  updateClient(id: string, body: unknown): ClientRecord {
    const before = this.getClient(id);
    const b = parseBody(updateClientBody, body);
    const method = b.token_endpoint_auth_method ?? before.token_endpoint_auth_method;
    const secret =
      method === "private_key_jwt" || method === "none"
        ? {}
        : { client_secret: before.client_secret ?? newClientSecret() };
    const { client_secret: _dropped, ...rest } = before;
    return this.insertClient({
      ...rest,
      ...b,
      ...secret,
      token_endpoint_auth_method: method,
    } as ClientRecord);
  }

  deleteClient(id: string): void {
    this.getClient(id);
    if (id === this.managementId)
      throw MANAGEMENT_ERRORS.conflict("The local management application cannot be deleted");
    this.clients.delete(id);
    this.credentials.delete(id);
    for (const gid of this.grantsOfClient.get(id) ?? []) this.grants.delete(gid);
    this.grantsOfClient.delete(id);
    this.view.clients.delete(id);
  }

  listCredentials(clientId: string): CredentialRecord[] {
    this.getClient(clientId);
    return this.credentials.get(clientId) ?? [];
  }

  createCredential(clientId: string, body: unknown): CredentialRecord {
    this.getClient(clientId);
    const b = parseBody(createCredentialBody, body);
    try {
      createPublicKey(b.pem);
    } catch {
      throw MANAGEMENT_ERRORS.invalidBody("pem: not a PEM public key");
    }
    if ((this.credentials.get(clientId) ?? []).length >= 2)
      throw MANAGEMENT_ERRORS.invalidBody("a client takes at most 2 public key credentials");
    return this.addCredential(clientId, b.name ?? `key-${hex(4)}`, b.pem, b.alg ?? "RS256", b.expires_at);
  }

  // ---- client grants ----

  listGrants(filter: { client_id?: string; audience?: string }): GrantRecord[] {
    const candidates =
      filter.client_id === undefined
        ? [...this.grants.values()]
        : [...(this.grantsOfClient.get(filter.client_id) ?? [])].flatMap((id) => this.grants.get(id) ?? []);
    return candidates.filter((g) => filter.audience === undefined || g.audience === filter.audience);
  }

  getGrant(id: string): GrantRecord {
    const grant = this.grants.get(id);
    if (!grant) throw MANAGEMENT_ERRORS.notFound("client grant", "inexistent_client_grant");
    return grant;
  }

  createGrant(body: unknown): GrantRecord {
    const b = parseBody(createGrantBody, body);
    this.getClient(b.client_id);
    if (!this.resourceServerByIdentifier(b.audience))
      throw new ManagementApiError(
        404,
        `No resource server found by specified audience: ${b.audience}`,
        "inexistent_resource_server",
      );
    if (this.listGrants(b).length > 0)
      throw MANAGEMENT_ERRORS.conflict("A client grant for this client and audience already exists");
    return this.insertGrant({ id: grantId(), ...b });
  }

  updateGrant(id: string, body: unknown): GrantRecord {
    const before = this.getGrant(id);
    const b = parseBody(updateGrantBody, body);
    return this.insertGrant({ ...before, scope: b.scope });
  }

  deleteGrant(id: string): void {
    const grant = this.getGrant(id);
    this.removeGrant(grant);
    this.syncClient(grant.client_id);
  }

  // ---- resource servers ----

  listResourceServers(): ResourceServerRecord[] {
    return [...this.resourceServers.values()];
  }

  /** By id, or by identifier (Auth0 takes either in the path). */
  getResourceServer(idOrIdentifier: string): ResourceServerRecord {
    const found = this.resourceServers.get(idOrIdentifier) ?? this.resourceServerByIdentifier(idOrIdentifier);
    if (!found) throw MANAGEMENT_ERRORS.notFound("resource server", "inexistent_resource_server");
    return found;
  }

  createResourceServer(body: unknown): ResourceServerRecord {
    const b = parseBody(createResourceServerBody, body);
    if (this.resourceServerByIdentifier(b.identifier))
      throw MANAGEMENT_ERRORS.conflict("A resource server with the same identifier already exists");
    const record: ResourceServerRecord = {
      id: hex(12),
      name: b.name ?? b.identifier,
      identifier: b.identifier,
      scopes: (b.scopes ?? []).map((s) => ({ value: s.value, description: s.description })),
      signing_alg: b.signing_alg ?? "RS256",
      token_lifetime: b.token_lifetime ?? 86_400,
      token_dialect: b.token_dialect ?? "access_token",
      allow_offline_access: b.allow_offline_access ?? false,
      skip_consent_for_verifiable_first_party_clients:
        b.skip_consent_for_verifiable_first_party_clients ?? false,
      enforce_policies: b.enforce_policies ?? false,
      is_system: false,
    };
    if (record.signing_alg === "HS256")
      this.view.apiSecrets.set(record.identifier, createSecretKey(Buffer.from(newClientSecret())));
    return this.insertResourceServer(record);
  }

  updateResourceServer(idOrIdentifier: string, body: unknown): ResourceServerRecord {
    const before = this.getResourceServer(idOrIdentifier);
    if (before.is_system)
      throw new ManagementApiError(
        403,
        "You cannot update a system resource server",
        "operation_not_supported",
      );
    const b = parseBody(updateResourceServerBody, body);
    const scopes = b.scopes?.map((s) => ({ value: s.value, description: s.description }));
    return this.insertResourceServer({ ...before, ...b, ...(scopes ? { scopes } : {}) });
  }

  deleteResourceServer(idOrIdentifier: string): void {
    const rs = this.getResourceServer(idOrIdentifier);
    if (rs.is_system)
      throw new ManagementApiError(
        403,
        "You cannot delete a system resource server",
        "operation_not_supported",
      );
    this.resourceServers.delete(rs.id);
    this.resourceServerIds.delete(rs.identifier);
    this.view.apis.delete(rs.identifier);
    this.view.resourceServerParts.delete(rs.identifier);
    for (const g of [...this.grants.values()])
      if (g.audience === rs.identifier) {
        this.removeGrant(g);
        this.syncClient(g.client_id);
      }
  }

  // ---- internals ----

  private resourceServerByIdentifier(identifier: string): ResourceServerRecord | undefined {
    const id = this.resourceServerIds.get(identifier);
    return id === undefined ? undefined : this.resourceServers.get(id);
  }

  private insertClient(record: ClientRecord): ClientRecord {
    const keys = this.credentials.get(record.client_id) ?? [];
    const stored: ClientRecord =
      record.token_endpoint_auth_method === "private_key_jwt"
        ? {
            ...record,
            client_authentication_methods: {
              private_key_jwt: { credentials: keys.map((k) => ({ id: k.id })) },
            },
          }
        : (({ client_authentication_methods: _none, ...rest }) => rest)(record);
    this.clients.set(record.client_id, stored);
    this.syncClient(record.client_id);
    return stored;
  }

  private addCredential(
    clientId: string,
    name: string,
    pem: string,
    alg: string,
    expiresAt?: string,
  ): CredentialRecord {
    const at = now();
    const credential: CredentialRecord = {
      id: `cred_${newClientId().slice(0, 22)}`,
      name,
      credential_type: "public_key",
      kid: kidOf(pem),
      alg,
      pem,
      created_at: at,
      updated_at: at,
      ...(expiresAt ? { expires_at: expiresAt } : {}),
    };
    this.credentials.set(clientId, [...(this.credentials.get(clientId) ?? []), credential]);
    const client = this.clients.get(clientId);
    if (client) this.insertClient(client);
    return credential;
  }

  private insertGrant(record: GrantRecord): GrantRecord {
    this.grants.set(record.id, record);
    const ids = this.grantsOfClient.get(record.client_id) ?? new Set<string>();
    this.grantsOfClient.set(record.client_id, ids.add(record.id));
    this.syncClient(record.client_id);
    return record;
  }

  private removeGrant(record: GrantRecord): void {
    this.grants.delete(record.id);
    this.grantsOfClient.get(record.client_id)?.delete(record.id);
  }

  private insertResourceServer(record: ResourceServerRecord): ResourceServerRecord {
    this.resourceServers.set(record.id, record);
    this.resourceServerIds.set(record.identifier, record.id);
    if (record.is_system) return record;
    const model = this.modelApis.get(record.identifier);
    this.view.apis.set(record.identifier, {
      ...(model ?? { key: record.id }),
      identifier: record.identifier,
      name: record.name,
      scopes: record.scopes.map((s) => ({ value: s.value, description: s.description })),
      tokenLifetime: record.token_lifetime,
      signingAlg: record.signing_alg,
      tokenDialect: record.token_dialect as TokenDialect,
    });
    this.view.resourceServerParts.set(
      record.identifier,
      eventPart("resource_server", { identifier: record.identifier }),
    );
    return record;
  }

  private localClientOf(clientId: string): LocalClient | undefined {
    const record = this.clients.get(clientId);
    if (!record) return undefined;
    const metadata = record.client_metadata;
    const tenantId = metadata.tenant_id ?? "";
    const workload = metadata.workload ?? "";
    const method =
      record.token_endpoint_auth_method === "none" ? "client_secret_post" : record.token_endpoint_auth_method;
    const grants = new Map<string, ReadonlySet<string>>();
    for (const id of this.grantsOfClient.get(clientId) ?? []) {
      const g = this.grants.get(id);
      if (g) grants.set(g.audience, new Set(g.scope));
    }
    return {
      key: tenantId && workload ? workloadKey(tenantId, workload) : `(${record.name})`,
      clientId,
      name: record.name,
      tenantId,
      workload,
      metadata,
      method,
      ...(record.client_secret && record.token_endpoint_auth_method !== "none"
        ? { clientSecret: record.client_secret, secretDigest: secretDigest(record.client_secret) }
        : {}),
      keys:
        method === "private_key_jwt"
          ? (this.credentials.get(clientId) ?? []).map((c) => ({
              key: createPublicKey(c.pem),
              algorithm: c.alg,
              ...(c.expires_at ? { expiresAtS: Math.floor(Date.parse(c.expires_at) / 1000) } : {}),
            }))
          : [],
      grants,
      eventPart: eventPart("client", { client_id: clientId, name: record.name, metadata }),
    };
  }

  private syncClient(clientId: string): void {
    // The management application gets its tokens through the management route only.
    if (clientId === this.managementId) return;
    const local = this.localClientOf(clientId);
    if (local) this.view.clients.set(clientId, local);
    else this.view.clients.delete(clientId);
  }
}

/** An application's fields as the program creates them (infra/auth0/workload-client.ts). */
export function clientDefaults(name: string): Omit<ClientRecord, "client_id"> {
  const s = WORKLOAD_CLIENT_SETTINGS;
  return {
    name,
    description: "",
    app_type: s.appType,
    grant_types: [...s.grantTypes],
    client_metadata: {},
    token_endpoint_auth_method: "client_secret_post",
    is_first_party: s.isFirstParty,
    oidc_conformant: s.oidcConformant,
    cross_origin_authentication: s.crossOriginAuth,
    callbacks: [],
    allowed_origins: [],
    web_origins: [],
  };
}
