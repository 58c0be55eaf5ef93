import type {
  CacheRecord,
  CredentialsExchangeEvent,
  DenyCode,
} from "../../actions/types/credentials-exchange.ts";

/**
 * The credentials-exchange v2 event and api as Auth0's official typings describe them
 * (https://github.com/auth0/auth0-actions/blob/HEAD/src/credentials-exchange/v2/index.d.ts and
 * its test harness, src/credentials-exchange/v2/test/index.d.ts), where they go beyond or differ
 * from the project's own typings in actions/types/credentials-exchange.ts: the early-access
 * `event.agent` and `event.transaction.target_scopes`, `api.transaction` methods returning
 * nothing, and the cache's result records. The runtime hands Actions these.
 */

/**
 * [Early access] The agent acting in this flow: set when the requesting client is linked to an
 * agent and the tenant has agents as principals enabled, absent otherwise
 * (https://auth0.com/docs/actions/reference/credentials-exchange/credentials-exchange-event-object).
 */
export interface TriggerAgent {
  /** Stable, prefixed `agt_`. */
  readonly agent_id: string;
  readonly name: string;
  /** Free-form; an empty object when the agent has none. */
  readonly agent_metadata: Readonly<Record<string, unknown>>;
}

/** The `event` an Action receives. */
export type TriggerEvent = Omit<CredentialsExchangeEvent, "transaction"> & {
  readonly agent?: TriggerAgent;
  readonly transaction: CredentialsExchangeEvent["transaction"] & {
    /**
     * [Early access] The live target scope set: it changes as soon as an `api.transaction`
     * method is called, in the current Action and every later one
     * (https://auth0.com/docs/customize/actions/handling-scopes-in-actions).
     */
    readonly target_scopes?: readonly string[];
  };
};

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

/** The `api` an Action receives. */
export interface TriggerApi {
  readonly access: {
    deny(code: DenyCode, reason?: string): TriggerApi;
  };
  readonly accessToken: {
    setCustomClaim(name: string, value: unknown): TriggerApi;
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
