/**
 * The test kit for Auth0 credentials-exchange Actions: load an Action as deployed (or from its
 * TypeScript source), run it through an emulated trigger with Auth0's event, api, limits and
 * rules, and assert on the claims, scopes, denial, logs and diagnostics.
 */

export type {
  CacheDeleteResult,
  CacheError,
  CacheErrorCode,
  CacheSetOptions,
  CacheSetResult,
  CredentialsExchangeAgent,
  CredentialsExchangeApi,
  CredentialsExchangeEvent,
} from "../../actions/types/credentials-exchange.ts";
export type { ActionDependency, ActionSource, LoadedAction, LoadOptions } from "./action-module.ts";
export { ACTION_LIMITS, ActionLoadError, loadAction, loadActionSource } from "./action-module.ts";
export { CACHE_LIMITS, TriggerCache } from "./cache.ts";
export { CUSTOM_CLAIMS_LIMIT_BYTES, RESERVED_CLAIMS, RESTRICTED_CLAIMS } from "./claims-policy.ts";
export { type Clock, type ManualClock, manualClock, systemClock } from "./clock.ts";
export {
  CredentialsExchangeRuntime,
  type ExecutionRequest,
  type RuntimeOptions,
} from "./credentials-exchange.ts";
export { credentialsExchangeEvent, type EventOverrides } from "./event.ts";
export {
  type ActionLog,
  CONSOLE_LIMIT_CHARS,
  DENY_CODES,
  type Diagnostic,
  EXECUTION_LIMIT_MS,
  type ExecutionResult,
} from "./execution-result.ts";
export { TARGET_SCOPE_LIMITS } from "./execution-state.ts";
export { loadProjectAction } from "./project-action.ts";
export {
  UNCONFIRMED,
  UNCONFIRMED_TABLE,
  type UnconfirmedBehaviour,
  type UnconfirmedEntry,
} from "./unconfirmed.ts";
