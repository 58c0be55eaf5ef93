import { performance } from "node:perf_hooks";
import type {
  CredentialsExchangeApi,
  CredentialsExchangeEvent,
} from "../../actions/types/credentials-exchange.ts";
import { isAuth0ApiAudience } from "../model/contract/management-api.ts";
import { keptLog, secretRedactor } from "./action-console.ts";
import { type LoadedAction, runWithLog } from "./action-module.ts";
import { TriggerCache } from "./cache.ts";
import { CUSTOM_CLAIMS_LIMIT_BYTES, claimRejection, RESERVED_CLAIMS } from "./claims-policy.ts";
import { type Clock, systemClock } from "./clock.ts";
import { ExecutionDeadlines, TIMED_OUT } from "./deadline.ts";
import { deepFreeze, type EventOverrides, eventFromSkeleton } from "./event.ts";
import { type ActionLog, DENY_CODES, EXECUTION_LIMIT_MS, type ExecutionResult } from "./execution-result.ts";
import { ExecutionState, LiveTransaction, TARGET_SCOPE_LIMITS, targetScope } from "./execution-state.ts";
import { UNCONFIRMED } from "./unconfirmed.ts";

// Split out to execution-result.ts and execution-state.ts; re-exported here for one release so
// that importers of this module's old exports keep working.
export {
  type ActionLog,
  CONSOLE_LIMIT_CHARS,
  DENY_CODES,
  type Diagnostic,
  EXECUTION_LIMIT_MS,
  type ExecutionResult,
} from "./execution-result.ts";
export { TARGET_SCOPE_LIMITS } from "./execution-state.ts";

/** Options of a runtime: one Auth0 tenant's credentials-exchange trigger. */
export interface RuntimeOptions {
  /** The cache's and the event's clock. Default: the system clock. */
  readonly clock?: Clock;
  /** The tenant's canonical domain, to know its own APIs' audiences. Default: acme-test.eu.auth0.com. */
  readonly tenantDomain?: string;
  /** The execution limit; shorten it only to test timeouts quickly. Default: 20,000 ms. */
  readonly executionLimitMs?: number;
  /** Empty the cache before every execution, as Auth0 may ("items may vanish"). Default: false. */
  readonly evictCacheBetweenExecutions?: boolean;
  /** Where to add up the time each part of an execution takes (benchmarks). Default: not measured. */
  readonly costs?: ExecutionCosts;
}

/**
 * Milliseconds spent in each part of the executions of a runtime given this object: building
 * the event from the skeleton and the request, freezing it (and preparing the live target
 * scopes), running the Actions, and turning what they did into claims, scopes and the result.
 */
export interface ExecutionCosts {
  executions: number;
  build: number;
  freeze: number;
  run: number;
  claims: number;
}

/** One token request through the trigger. */
export interface ExecutionRequest {
  /** The event, with realistic defaults for every part not given. */
  readonly event?: EventOverrides;
  /**
   * The scopes of the client grant for (client, audience). Default: the token's initial scopes.
   * The token starts with the requested scopes (all granted ones when none were requested), and
   * so does `event.transaction.target_scopes` (UNCONFIRMED.targetScopesStart).
   */
  readonly grantedScopes?: readonly string[] | ReadonlySet<string>;
}

/** Results of pure checks by input, kept up to a bound (inputs come from requests and Actions). */
class Memo<K, V> {
  readonly #values = new Map<K, V>();
  constructor(
    readonly compute: (key: K) => V,
    readonly limit = 1024,
  ) {}
  get(key: K): V {
    let value = this.#values.get(key);
    if (value === undefined && !this.#values.has(key)) {
      value = this.compute(key);
      if (this.#values.size >= this.limit) this.#values.clear();
      this.#values.set(key, value);
    }
    return value as V;
  }
}

/** An execution's event parts shared by its Actions, and its state. */
interface Prepared {
  /** The event without `secrets`, frozen: each Action gets it with its own secrets. */
  readonly shared: Omit<CredentialsExchangeEvent, "secrets"> & { readonly secrets: undefined };
  readonly state: ExecutionState;
  readonly granted: ReadonlySet<string>;
  readonly audienceIsAuth0Api: boolean;
}

const now = () => performance.now();

/**
 * An emulated Auth0 credentials-exchange trigger (v2): runs loaded Actions in binding order with
 * Auth0's event and api, its limits and its rules, and reports what the token endpoint would do.
 */
export class CredentialsExchangeRuntime {
  readonly cache: TriggerCache;
  readonly #clock: Clock;
  readonly #limitMs: number;
  readonly #evict: boolean;
  readonly #deadlines: ExecutionDeadlines;
  readonly #costs: ExecutionCosts | undefined;
  /** Both parse URLs; a tenant's audiences and an Action's claim names are few and repeat. */
  readonly #auth0Api: Memo<string, boolean>;
  readonly #rejection = {
    auth0Api: new Memo((name: string) => claimRejection(name, true) ?? null),
    other: new Memo((name: string) => claimRejection(name, false) ?? null),
  };

  constructor(options: RuntimeOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.cache = new TriggerCache(this.#clock);
    const tenantDomain = options.tenantDomain ?? "acme-test.eu.auth0.com";
    this.#auth0Api = new Memo((audience: string) => isAuth0ApiAudience(audience, tenantDomain));
    this.#limitMs = options.executionLimitMs ?? EXECUTION_LIMIT_MS;
    this.#evict = options.evictCacheBetweenExecutions ?? false;
    this.#deadlines = new ExecutionDeadlines(this.#limitMs);
    this.#costs = options.costs;
  }

  /** Runs `actions` in binding order for one token request. */
  async execute(actions: readonly LoadedAction[], request: ExecutionRequest = {}): Promise<ExecutionResult> {
    const costs = this.#costs;
    const t0 = costs ? now() : 0;
    if (this.#evict) this.cache.clear();
    const base = eventFromSkeleton(request.event);
    const t1 = costs ? now() : 0;
    const prepared = this.#prepare(base, request);
    const t2 = costs ? now() : 0;
    const run = await this.#run(actions, prepared);
    const t3 = costs ? now() : 0;
    const result = this.#result(prepared, run);
    if (costs) {
      const t4 = now();
      costs.executions++;
      costs.build += t1 - t0;
      costs.freeze += t2 - t1;
      costs.run += t3 - t2;
      costs.claims += t4 - t3;
    }
    return result;
  }

  /**
   * Freezes the event's fresh parts (the skeleton's are frozen once, at load) and sets up the
   * live target scopes and the access token every Action sees.
   */
  #prepare(base: CredentialsExchangeEvent, request: ExecutionRequest): Prepared {
    const requested = base.transaction.requested_scopes;
    const overrides = request.event;
    const granted =
      request.grantedScopes ?? (overrides?.accessToken?.scope ? base.accessToken.scope : requested);
    const initial = overrides?.accessToken?.scope
      ? base.accessToken.scope
      : requested.length > 0
        ? requested
        : granted;
    const state = new ExecutionState({ ...base.accessToken.customClaims }, [
      ...new Set(base.transaction.target_scopes ?? initial),
    ]);
    // The live target scope set: updated at once by api.transaction, in the current Action and
    // every later one (https://auth0.com/docs/customize/actions/handling-scopes-in-actions).
    const transaction = new LiveTransaction(
      deepFreeze(base.transaction),
      state,
    ) as CredentialsExchangeEvent["transaction"];
    // UNCONFIRMED.accessTokenFixed: every Action sees the access token the trigger started with.
    const accessToken = Object.freeze({
      customClaims: deepFreeze(base.accessToken.customClaims),
      scope: Object.freeze([...initial]),
    });
    // Each Action's event is `shared` with its own secrets in place of `undefined`.
    const shared = deepFreeze({ ...base, transaction, accessToken, secrets: undefined });
    return {
      shared,
      state,
      granted: granted instanceof Set ? granted : new Set(granted),
      audienceIsAuth0Api: this.#auth0Api.get(base.resource_server.identifier),
    };
  }

  async #run(
    actions: readonly LoadedAction[],
    { shared, state, audienceIsAuth0Api }: Prepared,
  ): Promise<{ executed: string[]; logs: ActionLog[]; failure: ExecutionResult["failure"] }> {
    const logs: ActionLog[] = [];
    const executed: string[] = [];
    let failure: ExecutionResult["failure"];
    const deadline = this.#deadlines.start();
    try {
      for (const action of actions) {
        const event = Object.freeze({ ...shared, secrets: frozenSecrets(action) });
        const lines: string[] = [];
        const api = this.#api(action.name, state, audienceIsAuth0Api);
        executed.push(action.name);
        let outcome: unknown;
        try {
          // The official api (transaction methods returning nothing) where the project's typings
          // still say otherwise. No function is given a name here: tsx's keepNames would add a
          // call naming it, per execution.
          outcome = await deadline.race(
            action.streamsConsole
              ? action.handler(event as CredentialsExchangeEvent, api)
              : runWithLog(
                  (line) => lines.push(line),
                  () => action.handler(event as CredentialsExchangeEvent, api),
                ),
          );
        } catch (error) {
          const message = secretRedactor(actions)(error instanceof Error ? error.message : String(error));
          state.diagnostics.push({ rule: "handler-threw", action: action.name, message });
          failure = serverError(action.name, `Action ${action.name} threw: ${message}`);
        }
        if (!action.streamsConsole) logs.push(keptLog(action.name, lines, actions, state.diagnostics));
        if (outcome === TIMED_OUT) {
          const message = `the trigger did not finish within ${this.#limitMs} ms`;
          state.diagnostics.push({ rule: "execution-limit", action: action.name, message });
          failure = serverError(action.name, message);
        }
        if (failure || state.denied) break;
      }
    } finally {
      this.#deadlines.end(deadline);
    }
    return { executed, logs, failure };
  }

  #result(
    { state, granted }: Prepared,
    run: { executed: string[]; logs: ActionLog[]; failure: ExecutionResult["failure"] },
  ): ExecutionResult {
    const { executed, logs } = run;
    let failure = run.failure;
    const total = state.claimBytesTotal;
    if (!failure && !state.denied && total > CUSTOM_CLAIMS_LIMIT_BYTES) {
      const message = `custom claims total ${total} bytes, over Auth0's ${CUSTOM_CLAIMS_LIMIT_BYTES} (${UNCONFIRMED.claimsOverLimit})`;
      const last = executed.at(-1) ?? "";
      state.diagnostics.push({ rule: "claims-size", action: last, message });
      failure = serverError(last, message);
    }
    // The target set holds no repeats (api.transaction keeps it so).
    const scopes: string[] = [];
    for (const s of state.target) {
      if (granted.has(s)) {
        scopes.push(s);
      } else {
        state.diagnostics.push({
          rule: "scope-outside-grant",
          action: executed.at(-1) ?? "",
          message: `target scope "${s}" is not in the client grant; Auth0 drops it silently`,
        });
      }
    }
    // Built in key order, with the optional keys assigned rather than spread in (per token).
    const result: { -readonly [K in keyof ExecutionResult]?: ExecutionResult[K] } = {
      outcome: failure ? "failed" : state.denied ? "denied" : "issued",
      claims: failure || state.denied ? {} : state.claims,
      scopes: failure || state.denied ? [] : scopes,
    };
    if (state.denied) result.denied = state.denied;
    if (failure) result.failure = failure;
    result.executed = executed;
    result.logs = logs;
    result.diagnostics = state.diagnostics;
    return result as ExecutionResult;
  }

  #api(action: string, state: ExecutionState, audienceIsAuth0Api: boolean): CredentialsExchangeApi {
    const cache = this.cache;
    const rejections = audienceIsAuth0Api ? this.#rejection.auth0Api : this.#rejection.other;
    // Returns the api, as the official typings and harness do. Method shorthand throughout: the
    // methods still work detached (they use no `this`), and tsx's keepNames adds a name-setting
    // call per arrow function assigned to a name, per execution.
    const api: CredentialsExchangeApi = {
      access: {
        deny(code, reason) {
          if (!DENY_CODES.has(code)) {
            // UNCONFIRMED.denyCode
            throw new Error(
              `api.access.deny: code must be invalid_scope, invalid_request or server_error, not ${JSON.stringify(code)}`,
            );
          }
          state.denied ??= { action, code, reason };
          return api;
        },
      },
      accessToken: {
        setCustomClaim(name, value) {
          if (typeof name !== "string" || name === "") {
            // UNCONFIRMED.claimName
            throw new TypeError("api.accessToken.setCustomClaim: name must be a non-empty string");
          }
          if (RESERVED_CLAIMS.has(name)) {
            // UNCONFIRMED.scopeClaim
            throw new Error(
              `api.accessToken.setCustomClaim: the ${JSON.stringify(name)} claim cannot be set`,
            );
          }
          const json = value === undefined ? undefined : JSON.stringify(value);
          if (json === undefined) {
            // UNCONFIRMED.nonSerializableClaim (JSON.stringify itself throws on BigInt and cycles)
            throw new TypeError(
              `api.accessToken.setCustomClaim: the value of "${name}" is not JSON-serializable`,
            );
          }
          const rejection = rejections.get(name);
          if (rejection) {
            state.diagnostics.push({ rule: rejection.rule, action, message: rejection.message });
            return api;
          }
          // A copy, so the Action cannot change the claim after setting it; strings and booleans
          // come back from JSON as they went in.
          const kept = typeof value === "string" || typeof value === "boolean" ? value : JSON.parse(json);
          // A claim named __proto__ is a claim like any other, never the claims' prototype
          // (UNCONFIRMED.protoClaim).
          if (name === "__proto__") {
            Object.defineProperty(state.claims, name, {
              value: kept,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else {
            state.claims[name] = kept;
          }
          const bytes = Buffer.byteLength(name) + Buffer.byteLength(json);
          state.claimBytesTotal += bytes - (state.claimBytes.get(name) ?? 0);
          state.claimBytes.set(name, bytes);
          return api;
        },
      },
      cache: {
        get(key) {
          return cache.get(key);
        },
        set(key, value, options) {
          return cache.set(key, value, options);
        },
        delete(key) {
          return cache.delete(key);
        },
      },
      // Checks and results as the official typings and harness have them: nothing is returned;
      // a scope is trimmed, and must then be a non-empty string of at most 280 characters
      // without whitespace; the set holds at most 1,000 scopes; a failed call changes nothing.
      transaction: {
        addTargetScope(scope) {
          const valid = targetScope("addTargetScope", scope);
          if (state.target.includes(valid)) return;
          if (state.target.length >= TARGET_SCOPE_LIMITS.count) {
            throw new Error(`api.transaction.addTargetScope: more than ${TARGET_SCOPE_LIMITS.count} scopes`);
          }
          state.retarget([...state.target, valid]);
        },
        removeTargetScope(scope) {
          const valid = targetScope("removeTargetScope", scope);
          state.retarget(state.target.filter((s) => s !== valid));
        },
        setTargetScopes(scopes) {
          if (!Array.isArray(scopes)) {
            throw new TypeError("api.transaction.setTargetScopes: scopes must be an array");
          }
          const unique = [...new Set(scopes.map((s) => targetScope("setTargetScopes", s)))];
          if (unique.length > TARGET_SCOPE_LIMITS.count) {
            throw new Error(`api.transaction.setTargetScopes: more than ${TARGET_SCOPE_LIMITS.count} scopes`);
          }
          state.retarget(unique);
        },
        clearTargetScopes() {
          state.retarget([]);
        },
      },
    };
    return api;
  }
}

/** Each Action's secrets, frozen once: `event.secrets` is read-only and the same every time. */
const FROZEN_SECRETS = new WeakMap<LoadedAction, Readonly<Record<string, string>>>();
function frozenSecrets(action: LoadedAction): Readonly<Record<string, string>> {
  let secrets = FROZEN_SECRETS.get(action);
  if (!secrets) {
    secrets = Object.freeze({ ...action.secrets });
    FROZEN_SECRETS.set(action, secrets);
  }
  return secrets;
}
function serverError(action: string, description: string): NonNullable<ExecutionResult["failure"]> {
  // UNCONFIRMED.thrownHandlerResponse
  return { action, status: 500, error: "server_error", error_description: description };
}
