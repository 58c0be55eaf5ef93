import formBody from "@fastify/formbody";
import Fastify, { type FastifyInstance } from "fastify";
import { ENDPOINT_PATHS, jwksUriOf } from "../model/contract/endpoints.ts";
import type { LocalTenant } from "./local-tenant.ts";
import { managementTokenTenant, requestedAudience } from "./management-api/management-token.ts";
import { registerManagementApi } from "./management-api/routes.ts";
import { AUTH0_ERRORS } from "./oauth-errors.ts";
import { SERVER_LIMITS, type ServerLimits } from "./server-limits.ts";
import { tokenEndpoint } from "./token-endpoint.ts";

/** Request bodies larger than this are refused (Auth0's token requests are a few hundred bytes). */
export const BODY_LIMIT = 64 * 1024;

/** What every token response carries, as Auth0's do: no cache may keep it. */
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

/** TLS material for https://localhost. */
export interface TlsOptions {
  readonly key: string;
  readonly cert: string;
}

/**
 * The local tenant's HTTP face: discovery, JWKS, the token endpoint and the Management API subset
 * under /api/v2 (management-api/routes.ts), with Auth0's error bodies. Malformed input of any kind is answered 4xx; nothing a client sends yields a 5xx
 * (only an Action's server_error does, as on Auth0). Slow, stalled and surplus connections are
 * closed by `limits` (default: SERVER_LIMITS).
 */
export function issuerServer(
  tenant: () => LocalTenant,
  tls?: TlsOptions,
  limits: ServerLimits = SERVER_LIMITS,
): FastifyInstance {
  // Fastify has no option for the headers timeout and its check interval: they go to Node's
  // createServer, with the request timeout, which Node requires to be no shorter than the first.
  const nodeLimits = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  };
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    logger: false,
    ...(tls ? { https: { key: tls.key, cert: tls.cert, ...nodeLimits } } : { http: nodeLimits }),
  }) as unknown as FastifyInstance;
  app.server.maxConnections = limits.maxConnections;
  app.register(formBody);
  // Fastify's own request errors (bad JSON, body too large, media type) are the client's: 4xx in
  // Auth0's shape. Anything else is ours: a generic 500 that leaks nothing, or 503 while starting.
  app.setErrorHandler((error: { statusCode?: number; message?: string; code?: string }, _request, reply) => {
    const e =
      error.statusCode === 503
        ? AUTH0_ERRORS.starting.response()
        : error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
          ? {
              ...AUTH0_ERRORS.malformedRequest.response(String(error.message ?? "Bad request").slice(0, 200)),
              status: error.statusCode,
            }
          : AUTH0_ERRORS.internal.response();
    if (e.status >= 500 && e.status !== 503)
      console.error(`m2m local issuer: ${error.message ?? String(error)}`);
    reply.code(e.status).send(e.body);
  });
  app.setNotFoundHandler((_request, reply) => {
    const e = AUTH0_ERRORS.notFound.response();
    reply.code(e.status).send(e.body);
  });
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, _body, done) => {
    done(
      Object.assign(new Error("Content-Type must be application/json or application/x-www-form-urlencoded"), {
        statusCode: 415,
      }),
      undefined,
    );
  });

  app.get(`/${ENDPOINT_PATHS.discovery}`, async () => {
    const { env, tokenEndpoint: token } = tenant();
    return {
      issuer: env.issuer,
      token_endpoint: token,
      jwks_uri: jwksUriOf(env.issuer),
      grant_types_supported: ["client_credentials"],
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256", "PS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
      token_endpoint_auth_signing_alg_values_supported: ["RS256", "RS384", "PS256"],
      scopes_supported: [...new Set(env.apis.flatMap((a) => a.scopes.map((s) => s.value)))],
    };
  });
  app.get(`/${ENDPOINT_PATHS.jwks}`, async () => ({ keys: [tenant().signingKey.publicJwk] }));
  app.post(`/${ENDPOINT_PATHS.token}`, async (request, reply) => {
    // An empty header counts as none; no spreads of optional keys on this path (per token).
    const current = tenant();
    const forManagement = requestedAudience(request.body) === current.management.audience;
    const response = await tokenEndpoint(forManagement ? managementTokenTenant(current) : current, {
      body: request.body,
      authorization: request.headers.authorization || undefined,
      ip: request.ip,
      hostname: request.hostname || undefined,
      userAgent: request.headers["user-agent"] || undefined,
    });
    reply.code(response.status).headers(NO_STORE).send(response.body);
  });
  registerManagementApi(app, tenant);
  return app;
}
