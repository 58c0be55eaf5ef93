import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { isRfc9068 } from "../model/contract/token-dialect.ts";
import { auth0TokenClaims } from "../model/trust/token-claims.ts";
import { authenticateClient, type TokenParameters } from "./client-authentication.ts";
import type { LocalClient, LocalTenant } from "./local-tenant.ts";
import { AUTH0_ERRORS, type OAuthError } from "./oauth-errors.ts";

/** A token request as it reached the endpoint. */
export interface TokenRequestInput {
  /** The parsed body: JSON or form fields. */
  readonly body: unknown;
  readonly authorization?: string;
  readonly ip: string;
  readonly hostname?: string;
  readonly userAgent?: string;
}

/** The endpoint's answer: status and JSON body. */
export interface TokenResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const KNOWN_GRANT_TYPES = new Set([
  "authorization_code",
  "refresh_token",
  "password",
  "http://auth0.com/oauth/grant-type/password-realm",
  "urn:ietf:params:oauth:grant-type:device_code",
  "urn:ietf:params:oauth:grant-type:token-exchange",
  "urn:ietf:params:oauth:grant-type:jwt-bearer",
  "http://auth0.com/oauth/grant-type/passwordless/otp",
  "http://auth0.com/oauth/grant-type/mfa-otp",
]);

/** `event.request` as the endpoint builds it for the Actions. */
interface EventRequest {
  ip: string;
  method: string;
  hostname?: string;
  user_agent?: string;
  body?: Record<string, string>;
}

/** Parameters Actions never see in event.request.body. */
const HIDDEN_FROM_ACTIONS = new Set(["client_secret", "client_assertion"]);

const failure = (e: OAuthError): TokenResponse => ({ status: e.status, body: { ...e.body } });

function parameters(body: unknown): { params: TokenParameters } | { error: OAuthError } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return {
      error: AUTH0_ERRORS.malformedRequest.response("The request body must be a JSON object or a form"),
    };
  }
  // Checked in place, not copied (per token): the parsers give own keys only, on objects whose
  // prototypes hold no enumerable ones (a form's has none at all).
  for (const k in body) {
    if (typeof (body as Record<string, unknown>)[k] !== "string") {
      return {
        error: AUTH0_ERRORS.malformedRequest.response(`Parameter ${k.slice(0, 50)} must be a single string`),
      };
    }
  }
  return { params: body as TokenParameters };
}

/**
 * The client-credentials grant as Auth0 runs it: authenticate the client, check the audience
 * and the requested scopes against its grant, run the trigger's Actions (the real bundles, in
 * binding order), and sign the token Auth0 would issue, or answer Auth0's error.
 */
export async function tokenEndpoint(tenant: LocalTenant, input: TokenRequestInput): Promise<TokenResponse> {
  const parsed = parameters(input.body);
  if ("error" in parsed) return failure(parsed.error);
  const { params } = parsed;
  const grantType = params.grant_type;
  if (grantType === undefined) return failure(AUTH0_ERRORS.missingParameter.response("grant_type"));
  if (grantType !== "client_credentials") {
    return failure(
      KNOWN_GRANT_TYPES.has(grantType)
        ? AUTH0_ERRORS.grantTypeNotAllowed.response(grantType)
        : AUTH0_ERRORS.unsupportedGrantType.response(grantType.slice(0, 100)),
    );
  }
  const nowS = Math.floor(Date.now() / 1000);
  const client = await authenticateClient(tenant, params, input.authorization, nowS);
  if ("status" in client) return failure(client);
  return issueToken(tenant, client, params, input, nowS);
}

/** Where a token request came from, as the Actions see it in `event.request`. */
export type RequestOrigin = Pick<TokenRequestInput, "ip" | "hostname" | "userAgent">;

/**
 * The grant for a client already authenticated: check the audience and the requested scopes
 * against its grant, run the trigger's Actions (the real bundles, in binding order), and sign
 * the token Auth0 would issue, or answer Auth0's error. `m2m up --local` mints its startup
 * tokens here, so they are the ones a workload gets, whatever its authentication method.
 */
export async function issueToken(
  tenant: LocalTenant,
  client: LocalClient,
  params: TokenParameters,
  origin: RequestOrigin,
  nowS: number,
): Promise<TokenResponse> {
  if (params.organization !== undefined) return failure(AUTH0_ERRORS.organizationNotAllowed.response());
  const audience = params.audience;
  if (audience === undefined || audience === "") return failure(AUTH0_ERRORS.noAudience.response());
  const api = tenant.apis.get(audience);
  if (!api) return failure(AUTH0_ERRORS.unknownAudience.response(audience.slice(0, 200)));
  const granted = client.grants.get(audience);
  if (!granted) return failure(AUTH0_ERRORS.audienceNotGranted.response(audience));
  const requested = (params.scope ?? "").split(" ").filter(Boolean);
  const outside = requested.filter((s) => !granted.has(s));
  if (outside.length > 0)
    return failure(AUTH0_ERRORS.scopeNotGranted.response(outside.map((s) => s.slice(0, 100))));
  const initial = requested.length > 0 ? [...new Set(requested)] : [...granted];

  const body: Record<string, string> = {};
  for (const k in params) if (!HIDDEN_FROM_ACTIONS.has(k)) body[k] = params[k] as string;
  // Optional keys assigned rather than spread in: this runs for every token.
  const request: EventRequest = { ip: origin.ip, method: "POST" };
  if (origin.hostname) request.hostname = origin.hostname;
  if (origin.userAgent) request.user_agent = origin.userAgent;
  request.body = body;
  const result = await tenant.runtime.execute(tenant.actions, {
    event: {
      client: client.eventPart,
      resource_server: tenant.eventParts.resourceServers.get(api.identifier) ?? {
        identifier: api.identifier,
      },
      tenant: tenant.eventParts.tenant,
      request,
      transaction: { requested_scopes: requested },
      accessToken: { customClaims: {}, scope: initial },
    },
    grantedScopes: granted,
  });
  if (result.outcome === "denied" && result.denied) {
    return failure(AUTH0_ERRORS.actionDenied.response(result.denied.code, result.denied.reason));
  }
  if (result.outcome === "failed") {
    const action = result.failure?.action ?? "unknown";
    console.error(`m2m local issuer: Action ${action} failed: ${result.failure?.error_description ?? ""}`);
    return failure(AUTH0_ERRORS.actionFailed.response(action));
  }

  const rfc9068 = isRfc9068(api);
  const claims = {
    ...auth0TokenClaims(tenant.env, {
      tenantId: client.tenantId,
      workload: client.workload,
      clientId: client.clientId,
      api,
      scopes: result.scopes,
      iat: nowS,
      jti: rfc9068 ? randomUUID() : undefined,
    }),
    ...result.claims,
  };
  const typ = rfc9068 ? "at+jwt" : "JWT";
  const hs = api.signingAlg === "HS256" ? tenant.apiSecrets.get(api.identifier) : undefined;
  if (api.signingAlg === "HS256" && !hs) throw new Error(`no signing secret for HS256 API ${api.identifier}`);
  const accessToken = hs
    ? await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ }).sign(hs)
    : await new SignJWT(claims)
        .setProtectedHeader({
          alg: api.signingAlg === "PS256" ? "PS256" : "RS256",
          typ,
          kid: tenant.signingKey.kid,
        })
        .sign(tenant.signingKey.privateKey);
  return {
    status: 200,
    body: {
      access_token: accessToken,
      scope: result.scopes.join(" "),
      expires_in: api.tokenLifetime,
      token_type: "Bearer",
    },
  };
}
