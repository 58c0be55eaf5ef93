import type { CredentialsExchangeEvent } from "../../actions/types/credentials-exchange.ts";

/** A partial event: every part may be overridden, the rest takes realistic defaults. */
export type EventOverrides = {
  readonly [K in keyof CredentialsExchangeEvent]?: NonNullable<
    CredentialsExchangeEvent[K]
  > extends readonly unknown[]
    ? CredentialsExchangeEvent[K]
    : NonNullable<CredentialsExchangeEvent[K]> extends object
      ? {
          readonly [P in keyof NonNullable<CredentialsExchangeEvent[K]>]?: NonNullable<
            CredentialsExchangeEvent[K]
          >[P];
        }
      : CredentialsExchangeEvent[K];
};

/** Defaults that look like a real request to a real tenant (documentation IP range). */
const DEFAULTS = {
  tenant: { id: "acme-test" },
  client: { client_id: "wvQbnlC3Lc9kE5RPazQOGkYQvDUkWD7j", name: "Test M2M Application", metadata: {} },
  resource_server: { identifier: "https://api.example.com" },
  request: {
    ip: "203.0.113.10",
    method: "POST",
    hostname: "acme-test.eu.auth0.com",
    user_agent: "node",
    geoip: {
      cityName: "Dublin",
      continentCode: "EU",
      countryCode: "IE",
      countryCode3: "IRL",
      countryName: "Ireland",
      latitude: 53.3331,
      longitude: -6.2489,
      subdivisionCode: "L",
      subdivisionName: "Leinster",
      timeZone: "Europe/Dublin",
    },
  },
  transaction: { requested_scopes: [] as string[] },
  accessToken: { customClaims: {}, scope: [] as string[] },
};

function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copy(v);
    return out as T;
  }
  return value;
}

/** Parts an override replaces whole rather than merges into. */
const REPLACED: ReadonlySet<string> = new Set(["metadata", "agent_metadata", "body"]);

function merge<T extends object>(base: T, override: object | undefined): T {
  if (!override) return copy(base);
  const out = copy(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(override)) {
    if (v === undefined) continue;
    const current = out[k];
    const bothObjects =
      v !== null &&
      typeof v === "object" &&
      !Array.isArray(v) &&
      current !== null &&
      typeof current === "object";
    out[k] = bothObjects && !REPLACED.has(k) ? merge(current as object, v) : copy(v);
  }
  return out as T;
}

/**
 * A whole credentials-exchange v2 event: the documented shape with realistic defaults, each
 * part overridable (objects merge, lists, `metadata`, `agent_metadata` and `body` replace). The
 * request body defaults to what the client would have posted. `organization`, `custom_domain`
 * and `agent` appear only when given (`agent` is early access: Auth0 sets it only for a client
 * linked to an agent, with `agent_metadata` an empty object when the agent has none,
 * https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-event-object).
 * A given `transaction.target_scopes` is where the runtime starts the target scopes. Returns fresh
 * objects: the caller's overrides are copied, never frozen in place.
 */
export function credentialsExchangeEvent(overrides: EventOverrides = {}): CredentialsExchangeEvent {
  const client = merge(DEFAULTS.client, overrides.client);
  const resourceServer = merge(DEFAULTS.resource_server, overrides.resource_server);
  const transaction = merge(DEFAULTS.transaction, overrides.transaction);
  const body = {
    grant_type: "client_credentials",
    client_id: client.client_id,
    audience: resourceServer.identifier,
    ...(transaction.requested_scopes.length > 0 ? { scope: transaction.requested_scopes.join(" ") } : {}),
  };
  const event = {
    tenant: merge(DEFAULTS.tenant, overrides.tenant),
    client,
    resource_server: resourceServer,
    request: merge({ ...DEFAULTS.request, body }, overrides.request),
    transaction,
    accessToken: merge(DEFAULTS.accessToken, overrides.accessToken),
    secrets: copy(overrides.secrets ?? {}),
    ...(overrides.organization ? { organization: merge({ metadata: {} }, overrides.organization) } : {}),
    ...(overrides.custom_domain
      ? { custom_domain: merge({ domain_metadata: {} }, overrides.custom_domain) }
      : {}),
    ...(overrides.agent ? { agent: merge({ agent_metadata: {} }, overrides.agent) } : {}),
  };
  return event as CredentialsExchangeEvent;
}

/** Freezes `value` and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
