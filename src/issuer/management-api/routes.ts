import { createPublicKey, type KeyObject } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { jwtVerify } from "jose";
import type { LocalTenant } from "../local-tenant.ts";
import { MANAGEMENT_ERRORS, ManagementApiError } from "./errors.ts";
import { actionsPage, checkpointPage, offsetPage, project, type Query, text } from "./pagination.ts";
import type { ClientRecord, CredentialRecord } from "./records.ts";
import type { ManagementScope } from "./scopes.ts";

/** What a handler gets: the request's parts, the tenant, and the token's scopes. */
interface Call {
  readonly tenant: LocalTenant;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Query;
  readonly body: unknown;
  readonly scopes: ReadonlySet<string>;
}

/** One endpoint: method, path under /api/v2, the scopes any of which it needs, and its answer. */
interface Endpoint {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly scopes: readonly ManagementScope[];
  /** The status of a success; 200 unless said. */
  readonly status?: number;
  readonly handle: (call: Call) => unknown;
}

/** A client as the token's scopes may see it: the secret only with read:client_keys. */
function clientView(client: ClientRecord, scopes: ReadonlySet<string>): ClientRecord {
  if (scopes.has("read:client_keys")) return client;
  const { client_secret: _hidden, ...rest } = client;
  return rest;
}

/** A credential without its PEM, which Auth0 never returns. */
function credentialView({ pem: _pem, ...rest }: CredentialRecord): Omit<CredentialRecord, "pem"> {
  return rest;
}

/** The subset of Auth0's Management API v2 that m2m smoke, drift and adopt use. */
const ENDPOINTS: readonly Endpoint[] = [
  {
    method: "GET",
    path: "/clients",
    scopes: ["read:clients", "read:client_keys"],
    handle: ({ tenant, query, scopes }) =>
      offsetPage(
        project(
          tenant.management.listClients().map((c) => clientView(c, scopes)),
          query,
        ),
        "clients",
        query,
      ),
  },
  {
    method: "GET",
    path: "/clients/:id",
    scopes: ["read:clients", "read:client_keys"],
    handle: ({ tenant, params, query, scopes }) =>
      project([clientView(tenant.management.getClient(params.id ?? ""), scopes)], query)[0],
  },
  {
    method: "POST",
    path: "/clients",
    scopes: ["create:clients"],
    status: 201,
    handle: ({ tenant, body }) => tenant.management.createClient(body),
  },
  {
    method: "PATCH",
    path: "/clients/:id",
    scopes: ["update:clients"],
    handle: ({ tenant, params, body }) => tenant.management.updateClient(params.id ?? "", body),
  },
  {
    method: "DELETE",
    path: "/clients/:id",
    scopes: ["delete:clients"],
    status: 204,
    handle: ({ tenant, params }) => tenant.management.deleteClient(params.id ?? ""),
  },
  {
    method: "GET",
    path: "/clients/:id/credentials",
    scopes: ["read:client_credentials", "read:client_keys"],
    handle: ({ tenant, params }) => tenant.management.listCredentials(params.id ?? "").map(credentialView),
  },
  {
    method: "POST",
    path: "/clients/:id/credentials",
    scopes: ["create:client_credentials"],
    status: 201,
    handle: ({ tenant, params, body }) =>
      credentialView(tenant.management.createCredential(params.id ?? "", body)),
  },
  {
    method: "GET",
    path: "/client-grants",
    scopes: ["read:client_grants"],
    handle: ({ tenant, query }) => {
      const clientId = text(query, "client_id");
      const audience = text(query, "audience");
      const grants = tenant.management.listGrants({
        ...(clientId !== undefined ? { client_id: clientId } : {}),
        ...(audience !== undefined ? { audience } : {}),
      });
      return checkpointPage(grants, "client_grants", query);
    },
  },
  {
    method: "GET",
    path: "/client-grants/:id",
    scopes: ["read:client_grants"],
    handle: ({ tenant, params }) => tenant.management.getGrant(params.id ?? ""),
  },
  {
    method: "POST",
    path: "/client-grants",
    scopes: ["create:client_grants"],
    status: 201,
    handle: ({ tenant, body }) => tenant.management.createGrant(body),
  },
  {
    method: "PATCH",
    path: "/client-grants/:id",
    scopes: ["update:client_grants"],
    handle: ({ tenant, params, body }) => tenant.management.updateGrant(params.id ?? "", body),
  },
  {
    method: "DELETE",
    path: "/client-grants/:id",
    scopes: ["delete:client_grants"],
    status: 204,
    handle: ({ tenant, params }) => tenant.management.deleteGrant(params.id ?? ""),
  },
  {
    method: "GET",
    path: "/resource-servers",
    scopes: ["read:resource_servers"],
    handle: ({ tenant, query }) =>
      offsetPage(project(tenant.management.listResourceServers(), query), "resource_servers", query),
  },
  {
    method: "GET",
    path: "/resource-servers/:id",
    scopes: ["read:resource_servers"],
    handle: ({ tenant, params }) => tenant.management.getResourceServer(params.id ?? ""),
  },
  {
    method: "POST",
    path: "/resource-servers",
    scopes: ["create:resource_servers"],
    status: 201,
    handle: ({ tenant, body }) => tenant.management.createResourceServer(body),
  },
  {
    method: "PATCH",
    path: "/resource-servers/:id",
    scopes: ["update:resource_servers"],
    handle: ({ tenant, params, body }) => tenant.management.updateResourceServer(params.id ?? "", body),
  },
  {
    method: "DELETE",
    path: "/resource-servers/:id",
    scopes: ["delete:resource_servers"],
    status: 204,
    handle: ({ tenant, params }) => tenant.management.deleteResourceServer(params.id ?? ""),
  },
  {
    method: "GET",
    path: "/actions/actions",
    scopes: ["read:actions"],
    handle: ({ tenant, query }) => {
      const triggerId = text(query, "triggerId");
      const actionName = text(query, "actionName");
      const actions = tenant.management.actions.list({
        ...(triggerId !== undefined ? { triggerId } : {}),
        ...(actionName !== undefined ? { actionName } : {}),
      });
      return actionsPage(actions, "actions", query);
    },
  },
  {
    method: "GET",
    path: "/actions/actions/:id",
    scopes: ["read:actions"],
    handle: ({ tenant, params }) => tenant.management.actions.get(params.id ?? ""),
  },
  {
    method: "POST",
    path: "/actions/actions",
    scopes: ["create:actions"],
    status: 201,
    handle: ({ tenant, body }) => tenant.management.actions.create(body),
  },
  {
    method: "PATCH",
    path: "/actions/actions/:id",
    scopes: ["update:actions"],
    handle: ({ tenant, params, body }) => tenant.management.actions.update(params.id ?? "", body),
  },
  {
    method: "POST",
    path: "/actions/actions/:id/deploy",
    scopes: ["create:actions"],
    handle: ({ tenant, params }) => tenant.management.actions.deploy(params.id ?? ""),
  },
  {
    method: "DELETE",
    path: "/actions/actions/:id",
    scopes: ["delete:actions"],
    status: 204,
    handle: ({ tenant, params }) => tenant.management.actions.delete(params.id ?? ""),
  },
  {
    method: "GET",
    path: "/actions/triggers/:triggerId/bindings",
    scopes: ["read:actions"],
    handle: ({ tenant, params, query }) => {
      const bindings = tenant.management.actions.listBindings(params.triggerId ?? "").map((b) => ({
        id: b.id,
        trigger_id: b.trigger_id,
        display_name: b.display_name,
        action: bindingAction(tenant, b.action_id),
        created_at: b.created_at,
        updated_at: b.updated_at,
      }));
      return actionsPage(bindings, "bindings", query);
    },
  },
  {
    method: "PATCH",
    path: "/actions/triggers/:triggerId/bindings",
    scopes: ["update:actions"],
    handle: ({ tenant, params, body }) => ({
      bindings: tenant.management.actions.updateBindings(params.triggerId ?? "", body).map((b) => ({
        id: b.id,
        trigger_id: b.trigger_id,
        display_name: b.display_name,
        action: bindingAction(tenant, b.action_id),
      })),
    }),
  },
];

/** The bound Action as a binding shows it: id, name, triggers, and its deployed version. */
function bindingAction(tenant: LocalTenant, actionId: string) {
  const action = tenant.management.actions.get(actionId);
  return {
    id: action.id,
    name: action.name,
    supported_triggers: action.supported_triggers,
    ...(action.deployed_version ? { deployed_version: action.deployed_version } : {}),
  };
}

const publicKeys = new WeakMap<LocalTenant, KeyObject>();

/** The scopes of the request's Management API token, or Auth0's 401. */
async function tokenScopes(request: FastifyRequest, tenant: LocalTenant): Promise<ReadonlySet<string>> {
  const header = request.headers.authorization;
  if (!header) throw MANAGEMENT_ERRORS.missingAuthentication();
  const match = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(header.trim());
  if (!match?.[1]) throw MANAGEMENT_ERRORS.invalidToken("Bad HTTP authentication header format");
  let key = publicKeys.get(tenant);
  if (!key) {
    key = createPublicKey(tenant.signingKey.privateKey);
    publicKeys.set(tenant, key);
  }
  try {
    const { payload } = await jwtVerify(match[1], key, {
      algorithms: ["RS256"],
      issuer: tenant.env.issuer,
      audience: tenant.management.audience,
    });
    return new Set(typeof payload.scope === "string" ? payload.scope.split(" ") : []);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw MANAGEMENT_ERRORS.invalidToken(
      code === "ERR_JWT_EXPIRED"
        ? "Expired token received for JSON Web Token validation"
        : code === "ERR_JWT_CLAIM_VALIDATION_FAILED"
          ? `Bad ${(error as { claim?: string }).claim === "aud" ? "audience" : "issuer"}`
          : "Invalid token",
    );
  }
}

function send(reply: FastifyReply, error: ManagementApiError): FastifyReply {
  return reply.code(error.statusCode).send(error.body());
}

/**
 * Registers the local Management API under `/api/v2`: each endpoint checks the bearer token
 * (signed by the tenant, for `{issuer}api/v2/`, with one of the endpoint's scopes), takes one
 * request from the tenant's rate-limit bucket (every answer carries `x-ratelimit-*`, an empty
 * bucket answers 429), and answers in Auth0's shapes, errors included.
 */
export function registerManagementApi(app: FastifyInstance, tenant: () => LocalTenant): void {
  app.register(
    async (scope) => {
      scope.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
        if (error instanceof ManagementApiError) return send(reply, error);
        const status = error.statusCode;
        if (status !== undefined && status >= 400 && status < 500)
          return send(
            reply,
            new ManagementApiError(status, String(error.message ?? "Bad Request").slice(0, 200)),
          );
        console.error(`m2m local Management API: ${error.message ?? String(error)}`);
        return send(reply, new ManagementApiError(500, "Internal Server Error"));
      });
      scope.setNotFoundHandler((_request, reply) => send(reply, MANAGEMENT_ERRORS.noEndpoint()));
      for (const endpoint of ENDPOINTS) {
        scope.route({
          method: endpoint.method,
          url: endpoint.path,
          handler: async (request, reply) => {
            const current = tenant();
            const decision = current.management.limiter.take();
            reply.headers(decision.headers);
            if (!decision.allowed) return send(reply, MANAGEMENT_ERRORS.tooManyRequests());
            const scopes = await tokenScopes(request, current);
            if (!endpoint.scopes.some((s) => scopes.has(s)))
              return send(reply, MANAGEMENT_ERRORS.insufficientScope(endpoint.scopes));
            const result = endpoint.handle({
              tenant: current,
              params: request.params as Record<string, string>,
              query: request.query as Query,
              body: request.body,
              scopes,
            });
            reply.code(endpoint.status ?? 200);
            return endpoint.status === 204 ? reply.send() : reply.send(result);
          },
        });
      }
    },
    { prefix: "/api/v2" },
  );
}
