/**
 * Typings of Auth0's credentials-exchange trigger, version v2 (see
 * ../shared/reference/auth0.md). The official `@auth0/actions` typings are not on the package
 * registry this project builds from, so the project keeps its own; every Action in actions/
 * type-checks against them.
 */

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
  };
  readonly secrets: Readonly<Record<string, string>>;
}

/** The deny codes Auth0 accepts in `api.access.deny`. */
export type DenyCode = "invalid_scope" | "invalid_request" | "server_error";

/** A cache record as `api.cache.get` returns it. */
export interface CacheRecord {
  readonly value: string;
  readonly expires_at: number;
}

/** What `api.cache.set` and `api.cache.delete` return (`record`: what was stored or removed). */
export type CacheWriteResult =
  | { readonly type: "success"; readonly record?: CacheRecord }
  | {
      readonly type: "error";
      readonly code:
        | "CacheKeySizeExceeded"
        | "CacheValueSizeExceeded"
        | "CacheSizeExceeded"
        | "InvalidExpiry"
        | (string & {});
    };

/** The `api` argument of `onExecuteCredentialsExchange`. */
export interface CredentialsExchangeApi {
  readonly access: {
    deny(code: DenyCode, reason?: string): CredentialsExchangeApi;
  };
  readonly accessToken: {
    setCustomClaim(name: string, value: unknown): CredentialsExchangeApi;
  };
  readonly cache: {
    get(key: string): CacheRecord | undefined;
    set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): CacheWriteResult;
    delete(key: string): CacheWriteResult;
  };
  /** Early access: target scopes, intersected with the client grant afterwards. */
  readonly transaction: {
    addTargetScope(scope: string): CredentialsExchangeApi;
    removeTargetScope(scope: string): CredentialsExchangeApi;
    setTargetScopes(scopes: readonly string[]): CredentialsExchangeApi;
    clearTargetScopes(): CredentialsExchangeApi;
  };
}

/** The handler every credentials-exchange Action exports. */
export type OnExecuteCredentialsExchange = (
  event: CredentialsExchangeEvent,
  api: CredentialsExchangeApi,
) => Promise<void>;
