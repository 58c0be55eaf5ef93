import { timingSafeEqual } from "node:crypto";
import { jwtVerify } from "jose";
import type { LocalClient, LocalTenant } from "./local-tenant.ts";
import { AUTH0_ERRORS, type OAuthError } from "./oauth-errors.ts";

/** The parameters of a token request, every value a string (anything else was refused before). */
export type TokenParameters = Readonly<Record<string, string>>;

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: Basic base64(id:secret)`, form-urlencoded parts decoded (RFC 6749 2.3.1). */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization?.trim() ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon)),
      secret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

/**
 * Authenticates the client of a token request with the method it is registered for:
 * client_secret_post (client_id and client_secret in the body), client_secret_basic (the
 * Authorization header), or private_key_jwt (a client assertion signed with one of its
 * registered keys, for this issuer, unexpired, and never replayed).
 */
export async function authenticateClient(
  tenant: LocalTenant,
  parameters: TokenParameters,
  authorization: string | undefined,
  nowS: number,
): Promise<LocalClient | OAuthError> {
  const basic = basicCredentials(authorization);
  const assertion = parameters.client_assertion;
  const methods = [
    basic !== undefined,
    parameters.client_secret !== undefined,
    assertion !== undefined,
  ].filter(Boolean);
  if (methods.length > 1) return AUTH0_ERRORS.severalAuthenticationMethods.response();
  const unauthorized = AUTH0_ERRORS.unauthorizedClient.response();

  if (assertion !== undefined) {
    if (parameters.client_assertion_type !== ASSERTION_TYPE)
      return AUTH0_ERRORS.missingParameter.response("client_assertion_type");
    let claimed: string | undefined;
    try {
      const payload = JSON.parse(
        Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString("utf8"),
      ) as { iss?: unknown };
      claimed = typeof payload.iss === "string" ? payload.iss : undefined;
    } catch {
      return unauthorized;
    }
    const client = claimed === undefined ? undefined : tenant.clients.get(claimed);
    if (!client || client.method !== "private_key_jwt") return unauthorized;
    if (parameters.client_id !== undefined && parameters.client_id !== client.clientId) return unauthorized;
    for (const { key, algorithm } of client.keys) {
      try {
        const { payload } = await jwtVerify(assertion, key, {
          algorithms: [algorithm],
          issuer: client.clientId,
          subject: client.clientId,
          audience: [tenant.env.issuer, tenant.tokenEndpoint],
          currentDate: new Date(nowS * 1000),
          requiredClaims: ["jti", "exp"],
        });
        const jti = String(payload.jti);
        for (const [used, exp] of tenant.usedAssertions) if (exp < nowS) tenant.usedAssertions.delete(used);
        if (tenant.usedAssertions.has(jti)) return unauthorized;
        tenant.usedAssertions.set(jti, Number(payload.exp));
        return client;
      } catch {
        // try the next registered key (two during rotation)
      }
    }
    return unauthorized;
  }

  const id = basic?.id ?? parameters.client_id;
  const secret = basic?.secret ?? parameters.client_secret;
  if (id === undefined) return AUTH0_ERRORS.missingParameter.response("client_id");
  const client = tenant.clients.get(id);
  if (!client?.clientSecret || secret === undefined || !sameSecret(secret, client.clientSecret))
    return unauthorized;
  const used = basic ? "client_secret_basic" : "client_secret_post";
  if (client.method !== used) return unauthorized;
  return client;
}
