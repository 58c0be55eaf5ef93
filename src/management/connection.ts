import { ManagementClient } from "auth0";
import { readLocalState } from "../issuer/local-state.ts";
import { localManagementAudience } from "../issuer/management-api/scopes.ts";
import { findLocalServer } from "../issuer/server-discovery.ts";
import { jwksUriOf } from "../model/contract/endpoints.ts";
import { type Environment, parseEnvironment } from "../model/environment/environment.ts";
import { AUTH0_PLANS, managementRateLimit } from "../model/environment/limits.ts";
import type { KeySource } from "../verify/token-input.ts";
import { CredentialsError, managementCredentials } from "./credentials.ts";
import { type LiveTenant, readLiveTenant } from "./live-tenant.ts";
import { localFetch } from "./local-fetch.ts";
import { managementCallError } from "./management-errors.ts";
import { Pacer, pacingNote } from "./pacer.ts";

/** Which tenant to reach, and how. */
export interface ConnectOptions {
  readonly projectDir: string;
  readonly stack: string;
  /** The stack's raw `m2m:environment`. */
  readonly raw: unknown;
  /** The running local environment (m2m up --local) instead of the stack's Auth0 tenant. */
  readonly local: boolean;
  /** With `local`: its state folder. Default: <projectDir>/.m2m/<stack>. */
  readonly stateDir?: string;
  /** Where the credentials are read from. Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** A paced Management API client for one stack's tenant, and what the commands need beside it. */
export interface ManagementConnection {
  readonly client: ManagementClient;
  readonly pacer: Pacer;
  /** The environment as that tenant issues it (the local issuer with --local). */
  readonly env: Environment;
  /** Requests to the tenant's own endpoints (its token endpoint), mapped like the client's. */
  readonly fetch: typeof fetch;
  /** What signs the tenant's tokens, for verifying them. */
  readonly keys: KeySource;
  /** The application this connection authenticates as: never compared, listed as information. */
  readonly managementClientId: string;
  /** One line saying which tenant this is. */
  readonly said: string;
}

/**
 * Connects to the stack's tenant through `auth0`'s ManagementClient: on the model's domain with
 * the M2M_AUTH0_* credentials, or (`local`) on the running local environment with its own
 * management application (the M2M_AUTH0_* variables are then ignored). The client's own
 * retries are off; the Pacer paces and retries.
 */
export async function connect(options: ConnectOptions): Promise<ManagementConnection> {
  if (options.local) {
    const server = await findLocalServer(options.projectDir, options.stack, options.stateDir);
    const state = readLocalState(server.stateDir);
    if (!state?.management)
      throw new CredentialsError(
        `the local environment in ${server.stateDir} has no management application: restart it with m2m up --local --stack ${options.stack}`,
      );
    const env = parseEnvironment(options.raw, options.stack, server.issuer);
    const domain = new URL(server.issuer).host;
    const pacer = new Pacer(managementRateLimit(env.auth0.plan, env.production));
    const fetch = localFetch(domain, server.issuer, server.certificatePath);
    return {
      client: new ManagementClient({
        domain,
        audience: localManagementAudience(server.issuer),
        clientId: state.management.clientId,
        clientSecret: state.management.clientSecret,
        fetch: pacedManagementFetch(pacer, fetch),
        maxRetries: 0,
      }),
      pacer,
      env,
      fetch,
      keys: { kind: "local", signingKeyPem: state.signingKeyPem, apiSecrets: state.apiSecrets },
      managementClientId: state.management.clientId,
      said: `the local environment at ${server.issuer}`,
    };
  }
  const env = parseEnvironment(options.raw, options.stack);
  const credentials = managementCredentials(options.environment ?? process.env);
  const pacer = new Pacer(managementRateLimit(env.auth0.plan, env.production));
  return {
    client: new ManagementClient({
      // The Management API lives on the canonical domain, even when tokens use a custom one.
      domain: env.auth0.domain,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      fetch: pacedManagementFetch(pacer, fetch),
      maxRetries: 0,
    }),
    pacer,
    env,
    fetch,
    keys: { kind: "jwks-url", url: jwksUriOf(env.issuer) },
    managementClientId: credentials.clientId,
    said: `Auth0 tenant ${env.auth0.domain}`,
  };
}

/** A connection to a tenant whose model is not written yet: what `m2m adopt` works with. */
export type AdoptionConnection = Omit<ManagementConnection, "env" | "keys" | "fetch">;

/**
 * Connects for `m2m adopt`, whose stack may hold only the start of a model: the tenant's domain
 * (`auth0.domain`), plan and `production` are read from `base` without validating the rest.
 * With `local`, the running local environment, as connect() does.
 */
export async function connectForAdoption(
  options: Omit<ConnectOptions, "raw"> & { readonly base: Readonly<Record<string, unknown>> },
): Promise<AdoptionConnection> {
  if (options.local) {
    // The local environment runs from the stack, so its model validates already.
    const {
      env: _env,
      keys: _keys,
      fetch: _fetch,
      ...rest
    } = await connect({ ...options, raw: options.base });
    return rest;
  }
  const auth0 = (options.base.auth0 ?? {}) as { domain?: unknown; plan?: unknown };
  if (typeof auth0.domain !== "string" || !/^[a-z0-9.-]+\.[a-z]{2,63}$/.test(auth0.domain))
    throw new CredentialsError(
      `Pulumi.${options.stack}.yaml needs m2m:environment.auth0.domain (the tenant's canonical domain, e.g. acme-dev.eu.auth0.com) for m2m adopt to know which tenant to read`,
    );
  const plan = AUTH0_PLANS.find((p) => p === auth0.plan) ?? "self-service";
  const credentials = managementCredentials(options.environment ?? process.env);
  const pacer = new Pacer(managementRateLimit(plan, options.base.production === true));
  return {
    client: new ManagementClient({
      domain: auth0.domain,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      fetch: pacedManagementFetch(pacer, fetch),
      maxRetries: 0,
    }),
    pacer,
    managementClientId: credentials.clientId,
    said: `Auth0 tenant ${auth0.domain}`,
  };
}

/** Management API calls go through the pacer; token requests (not metered by it) do not. */
function pacedManagementFetch(pacer: Pacer, inner: typeof fetch): typeof fetch {
  const paced = pacer.fetch(inner);
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    return new URL(url).pathname.startsWith("/api/v2/") ? paced(input, init) : inner(input, init);
  };
}

/**
 * Reads the whole tenant through a connection, as every command that reads it does: a failed
 * call becomes the error that names the tenant and what to grant, and when the pacer had to wait,
 * a line on stderr says so.
 */
export async function readTenant(connection: AdoptionConnection): Promise<LiveTenant> {
  let live: LiveTenant;
  try {
    live = await readLiveTenant(connection.client);
  } catch (error) {
    throw managementCallError(error, connection.said);
  }
  const note = pacingNote(connection.pacer.stats);
  if (note) console.error(note);
  return live;
}
