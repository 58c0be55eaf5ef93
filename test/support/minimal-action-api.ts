import vm from "node:vm";
import type {
  CredentialsExchangeApi,
  CredentialsExchangeEvent,
  OnExecuteCredentialsExchange,
} from "../../actions/types/credentials-exchange.ts";

/**
 * Loads an Action bundle as Auth0 does at its simplest: the CommonJS code inside a module
 * wrapper, with no `require`. The faithful runtime is src/runtime; this is enough to check the
 * bundle's export and the Action's decisions.
 */
export function loadBundle(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInThisContext(`(function (exports, module) {${code}\n})`) as (
    exports: unknown,
    module: unknown,
  ) => void;
  wrapper(module.exports, module);
  return module.exports;
}

/** What one execution did. */
export interface Outcome {
  readonly claims: Record<string, unknown>;
  readonly denied: { code: string; reason: string | undefined } | undefined;
}

/** A minimal event: a client with `metadata`, a token for `audience`. */
export function minimalEvent(
  metadata: Record<string, string>,
  overrides: { audience?: string; body?: Record<string, unknown>; scope?: string[] } = {},
): CredentialsExchangeEvent {
  const audience = overrides.audience ?? "https://orders.api.acme.example";
  return {
    accessToken: { customClaims: {}, scope: overrides.scope ?? ["orders:read"] },
    client: { client_id: "abc123", name: "some client", metadata },
    request: {
      body: overrides.body ?? { grant_type: "client_credentials", audience },
      geoip: {},
      ip: "203.0.113.7",
      method: "POST",
    },
    resource_server: { identifier: audience },
    tenant: { id: "acme-test" },
    transaction: { requested_scopes: overrides.scope ?? [] },
    secrets: {},
  };
}

/** Runs a handler once with a recording api. */
export async function execute(
  handler: OnExecuteCredentialsExchange,
  event: CredentialsExchangeEvent,
): Promise<Outcome> {
  const claims: Record<string, unknown> = {};
  let denied: Outcome["denied"];
  const api: CredentialsExchangeApi = {
    access: {
      deny(code, reason) {
        denied = { code, reason };
        return api;
      },
    },
    accessToken: {
      setCustomClaim(name, value) {
        claims[name] = value;
        return api;
      },
    },
    cache: {
      get: () => undefined,
      set: () => ({ type: "error", code: "unsupported in the minimal api" }),
      delete: () => ({ type: "error", code: "unsupported in the minimal api" }),
    },
    transaction: {
      addTargetScope: () => api,
      removeTargetScope: () => api,
      setTargetScopes: () => api,
      clearTargetScopes: () => api,
    },
  };
  await handler(event, api);
  return { claims, denied };
}
