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

/** Freezes `value` and everything reachable from it (a frozen object's own parts are taken as frozen). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Loops rather than Object.values: no array per object, no call per primitive (per token).
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === "object") deepFreeze(v);
    }
  } else {
    for (const k in value) {
      const v: unknown = value[k];
      if (v !== null && typeof v === "object") deepFreeze(v);
    }
  }
  return value;
}

/**
 * The default event, built and frozen once: defaults that look like a real request to a real
 * tenant (documentation IP range). Every event shares the parts it does not override, which is
 * safe because nothing can change them, and saves copying and freezing them per token.
 */
const SKELETON = deepFreeze({
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
  secrets: {},
  organization: { metadata: {} },
  custom_domain: { domain_metadata: {} },
  agent: { agent_metadata: {} },
});

/** A deep copy of a caller's value: the event never holds (or freezes) the caller's objects. */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k in value) {
      if (Object.hasOwn(value, k)) out[k] = copy((value as Record<string, unknown>)[k]);
    }
    return out as T;
  }
  return value;
}

/** Parts an override replaces whole rather than merges into. */
const REPLACED: ReadonlySet<string> = new Set(["metadata", "agent_metadata", "body"]);

/**
 * `base` with `override` merged in: `base` itself when there is nothing to merge (it is a
 * frozen skeleton part, or fresh), otherwise a fresh object whose parts not overridden are
 * still `base`'s.
 */
function merge<T extends object>(base: T, override: object | undefined): T {
  if (!override) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const k in override) {
    if (!Object.hasOwn(override, k)) continue;
    const v = (override as Record<string, unknown>)[k];
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

/** Parts built by `eventPart`, by the part of the event each was built for. */
const PREBUILT = new WeakMap<object, PartName>();

type PartName = "tenant" | "client" | "resource_server" | "organization" | "custom_domain" | "agent";

/**
 * One part of the event (`client`, `tenant`, `resource_server`, ...) merged with its defaults and
 * frozen once, to be given in the overrides of many executions: the runtime uses it as it is,
 * without copying or freezing it again. This is how the local issuer builds each client's,
 * API's and tenant's part once rather than per token; being frozen through, the part can be
 * shared by every execution that names it. The caller's `override` is copied, never frozen.
 */
export function eventPart<K extends PartName>(
  name: K,
  override: NonNullable<EventOverrides[K]>,
): EventOverrides[K] {
  const part = deepFreeze(merge(SKELETON[name], override as object));
  // The skeleton's own part, when nothing was overridden, is already shared: no entry needed.
  if (part !== SKELETON[name]) PREBUILT.set(part, name);
  return part as EventOverrides[K];
}

/** `base` with `override` merged in, or `override` itself when eventPart built it for `name`. */
function part<T extends object>(name: PartName, base: T, override: object | undefined): T {
  return override && PREBUILT.get(override) === name ? (override as T) : merge(base, override);
}

/**
 * The event of one execution, for the runtime: the skeleton's frozen parts where nothing is
 * overridden, fresh objects (copies of the caller's overrides) elsewhere. Not frozen yet:
 * deepFreeze freezes exactly the fresh parts, as it stops at the skeleton's frozen ones.
 */
export function eventFromSkeleton(overrides: EventOverrides = {}): CredentialsExchangeEvent {
  const client = part("client", SKELETON.client, overrides.client);
  const resourceServer = part("resource_server", SKELETON.resource_server, overrides.resource_server);
  const transaction = merge(SKELETON.transaction, overrides.transaction);
  const request = overrides.request?.body
    ? merge(SKELETON.request, overrides.request)
    : merge(
        { ...SKELETON.request, body: postedBody(client, resourceServer, transaction) },
        overrides.request,
      );
  const event: Record<string, unknown> = {
    tenant: part("tenant", SKELETON.tenant, overrides.tenant),
    client,
    resource_server: resourceServer,
    request,
    transaction,
    accessToken: merge(SKELETON.accessToken, overrides.accessToken),
    // The runtime gives each Action its own secrets instead; nothing to copy when none are given.
    secrets: overrides.secrets ? copy(overrides.secrets) : SKELETON.secrets,
  };
  // Assigned rather than spread in, which costs an object and a slow path per token.
  if (overrides.organization) {
    event.organization = part("organization", SKELETON.organization, overrides.organization);
  }
  if (overrides.custom_domain) {
    event.custom_domain = part("custom_domain", SKELETON.custom_domain, overrides.custom_domain);
  }
  if (overrides.agent) event.agent = part("agent", SKELETON.agent, overrides.agent);
  return event as unknown as CredentialsExchangeEvent;
}

/** What the client would have posted, when the request body is not given. */
function postedBody(
  client: { readonly client_id: string },
  resourceServer: { readonly identifier: string },
  transaction: { readonly requested_scopes: readonly string[] },
): Record<string, string> {
  return {
    grant_type: "client_credentials",
    client_id: client.client_id,
    audience: resourceServer.identifier,
    ...(transaction.requested_scopes.length > 0 ? { scope: transaction.requested_scopes.join(" ") } : {}),
  };
}

/**
 * A whole credentials-exchange v2 event: the documented shape with realistic defaults, each
 * part overridable (objects merge, lists, `metadata`, `agent_metadata` and `body` replace). The
 * request body defaults to what the client would have posted. `organization`, `custom_domain`
 * and `agent` appear only when given (`agent` is early access: Auth0 sets it only for a client
 * linked to an agent, with `agent_metadata` an empty object when the agent has none,
 * https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-event-object).
 * A given `transaction.target_scopes` is where the runtime starts the target scopes. Returns fresh,
 * writable objects: the caller's overrides are copied, never frozen in place.
 */
export function credentialsExchangeEvent(overrides: EventOverrides = {}): CredentialsExchangeEvent {
  return copy(eventFromSkeleton(overrides));
}
