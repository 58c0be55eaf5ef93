// Typings of Auth0's credentials-exchange trigger, version v2, from Auth0's reference of its event
// object (https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-event-object)
// and api object (https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-api-object).
// The official `@auth0/actions` typings are not on the package registry this project builds from,
// so the project keeps its own; every Action in actions/ type-checks against them.

/** Geo-location of the request's IP address. */
export interface GeoIp {
  readonly cityName?: string;
  readonly continentCode?: string;
  readonly countryCode?: string;
  readonly countryCode3?: string;
  readonly countryName?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly subdivisionCode?: string;
  readonly subdivisionName?: string;
  readonly timeZone?: string;
}

/** The `event` argument of `onExecuteCredentialsExchange`. */
export interface CredentialsExchangeEvent {
  readonly accessToken: {
    readonly customClaims: Readonly<Record<string, unknown>>;
    readonly scope: readonly string[];
  };
  readonly client: {
    readonly client_id: string;
    readonly name: string;
    readonly metadata: Readonly<Record<string, string>>;
  };
  readonly custom_domain?: {
    readonly domain: string;
    readonly domain_metadata: Readonly<Record<string, string>>;
  };
  readonly organization?: {
    readonly id: string;
    readonly name: string;
    readonly display_name: string;
    readonly metadata: Readonly<Record<string, string>>;
  };
  readonly request: {
    readonly body: Readonly<Record<string, unknown>>;
    readonly geoip: GeoIp;
    readonly hostname?: string;
    readonly ip: string;
    readonly language?: string;
    readonly method: string;
    readonly user_agent?: string;
  };
  readonly resource_server: { readonly identifier: string };
  readonly tenant: { readonly id: string };
  readonly transaction: {
    readonly correlation_id?: string;
    readonly requested_scopes: readonly string[];
    /**
     * [Early access] The live target scope set: it changes as soon as an `api.transaction`
     * method is called, in the current Action and every later one
     * (https://auth0.com/docs/customize/actions/handling-scopes-in-actions).
     */
    readonly target_scopes?: readonly string[];
  };
  readonly secrets: Readonly<Record<string, string>>;
  /** [Early access] The agent acting in this flow, when the client is linked to one. */
  readonly agent?: CredentialsExchangeAgent;
}

/**
 * [Early access] The agent acting in this flow: set when the requesting client is linked to an
 * agent and the tenant has agents as principals enabled, absent otherwise
 * (https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-event-object).
 */
export interface CredentialsExchangeAgent {
  /** Stable, prefixed `agt_`. */
  readonly agent_id: string;
  readonly name: string;
  /** Free-form; an empty object when the agent has none. */
  readonly agent_metadata: Readonly<Record<string, unknown>>;
}

/** The deny codes Auth0 accepts in `api.access.deny`. */
export type DenyCode = "invalid_scope" | "invalid_request" | "server_error";

/** A cache record as `api.cache.get` returns it. */
export interface CacheRecord {
  readonly value: string;
  readonly expires_at: number;
}

/** Every code `api.cache.set` and `api.cache.delete` may answer (the official typings' list). */
export type CacheErrorCode =
  | "MaxSideEffectsExceeded"
  | "CacheKeySizeExceeded"
  | "CacheValueSizeExceeded"
  | "CacheSizeExceeded"
  | "ItemAlreadyExpired"
  | "InvalidExpiry"
  | "FailedToSetCacheRecord"
  | "FailedToDeleteCacheRecord"
  | "CacheKeyDoesNotExist";

/** A refused cache write. */
export interface CacheError {
  readonly type: "error";
  readonly code: CacheErrorCode;
}

/** What `api.cache.set` returns: the stored record, or why not. */
export type CacheSetResult = { readonly type: "success"; readonly record: CacheRecord } | CacheError;

/** What `api.cache.delete` returns: no record on success. */
export type CacheDeleteResult = { readonly type: "success" } | CacheError;

/** Options of `api.cache.set`: given both, the earlier expiry wins. */
export interface CacheSetOptions {
  /** Milliseconds from now. */
  readonly ttl?: number;
  /** Milliseconds since the Unix epoch. */
  readonly expires_at?: number;
}

/**
 * The `api` argument of `onExecuteCredentialsExchange`, as Auth0's official typings and harness
 * describe it (https://github.com/auth0/auth0-actions/blob/HEAD/src/credentials-exchange/v2/index.d.ts).
 */
export interface CredentialsExchangeApi {
  readonly access: {
    deny(code: DenyCode, reason?: string): CredentialsExchangeApi;
  };
  readonly accessToken: {
    setCustomClaim(name: string, value: unknown): CredentialsExchangeApi;
  };
  readonly cache: {
    get(key: string): CacheRecord | undefined;
    set(key: string, value: string, options?: CacheSetOptions): CacheSetResult;
    delete(key: string): CacheDeleteResult;
  };
  /** [Early access] Target scopes; the methods return nothing and throw on an invalid scope. */
  readonly transaction: {
    addTargetScope(scope: string): void;
    removeTargetScope(scope: string): void;
    setTargetScopes(scopes: readonly string[]): void;
    clearTargetScopes(): void;
  };
}

/** The handler every credentials-exchange Action exports. */
export type OnExecuteCredentialsExchange = (
  event: CredentialsExchangeEvent,
  api: CredentialsExchangeApi,
) => Promise<void>;
