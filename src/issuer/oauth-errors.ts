import { UNCONFIRMED } from "../runtime/unconfirmed.ts";

/** An error response of the token endpoint: HTTP status and Auth0's `{error, error_description}`. */
export interface OAuthError {
  readonly status: number;
  readonly body: { readonly error: string; readonly error_description: string };
}

/** Where the shape of a response comes from. */
export type Provenance = "reference" | "public-captures" | "UNCONFIRMED";

const error = (status: number, code: string, description: string): OAuthError => ({
  status,
  body: { error: code, error_description: description },
});

/**
 * Every error the local token endpoint returns, as Auth0 returns it. `reference` entries follow
 * Auth0's documentation of the token endpoint
 * (https://auth0.com/docs/api/authentication/client-credential-flow/get-token), `public-captures`
 * ones public captures of Auth0 responses; the UNCONFIRMED ones no documentation settles: they
 * are kept here, in one table, and nowhere else.
 */
export const AUTH0_ERRORS = {
  scopeNotGranted: {
    provenance: "reference",
    response: (scopes: readonly string[]) =>
      error(403, "access_denied", `Client has not been granted scopes: ${scopes.join(" ")}`),
  },
  audienceNotGranted: {
    provenance: "reference",
    response: (audience: string) =>
      error(
        403,
        "access_denied",
        `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
      ),
  },
  unknownAudience: {
    provenance: "public-captures",
    response: (audience: string) => error(403, "access_denied", `Service not found: ${audience}`),
  },
  noAudience: {
    provenance: "public-captures",
    response: () =>
      error(
        403,
        "access_denied",
        "No audience parameter was provided, and no default audience has been configured",
      ),
  },
  unauthorizedClient: {
    provenance: "public-captures",
    response: () => error(401, "access_denied", "Unauthorized"),
  },
  grantTypeNotAllowed: {
    provenance: "public-captures",
    response: (grantType: string) =>
      error(403, "unauthorized_client", `Grant type '${grantType}' not allowed for the client.`),
  },
  missingParameter: {
    provenance: "public-captures",
    response: (name: string) => error(400, "invalid_request", `Missing required parameter: ${name}`),
  },
  unsupportedGrantType: {
    provenance: "UNCONFIRMED",
    response: (grantType: string) =>
      error(400, "unsupported_grant_type", `Unsupported grant type: ${grantType}`),
  },
  malformedRequest: {
    provenance: "UNCONFIRMED",
    response: (why: string) => error(400, "invalid_request", why),
  },
  severalAuthenticationMethods: {
    provenance: "UNCONFIRMED",
    response: () => error(400, "invalid_request", "Use one client authentication method per request"),
  },
  actionDenied: {
    // invalid_request 400, invalid_scope 403, server_error 500.
    provenance: "UNCONFIRMED",
    response: (code: string, reason: string | undefined) =>
      error(
        code === "invalid_scope" ? 403 : code === "server_error" ? 500 : 400,
        code,
        reason ?? "Access denied by an Action",
      ),
  },
  actionFailed: {
    // The Action's own error text stays in the issuer's console: it may quote event.secrets.
    provenance: "UNCONFIRMED",
    response: (action: string) =>
      error(500, "server_error", `Action ${action} failed (${UNCONFIRMED.thrownHandlerResponse})`),
  },
  organizationNotAllowed: {
    // Grants default to organization_usage deny, the only mode the model has.
    provenance: "UNCONFIRMED",
    response: () => error(403, "access_denied", "Client is not allowed to request tokens for organizations"),
  },
  starting: {
    provenance: "UNCONFIRMED",
    response: () => error(503, "temporarily_unavailable", "The local tenant is starting"),
  },
  internal: {
    provenance: "UNCONFIRMED",
    response: () => error(500, "server_error", "Internal error"),
  },
  notFound: {
    provenance: "UNCONFIRMED",
    response: () => error(404, "not_found", "Not found"),
  },
} as const satisfies Record<string, { provenance: Provenance; response: (...args: never[]) => OAuthError }>;
