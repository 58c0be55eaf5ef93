import { hash, timingSafeEqual } from "node:crypto";
import { type JWTPayload, jwtVerify } from "jose";
import type { LocalClient, LocalTenant } from "./local-tenant.ts";
import { AUTH0_ERRORS, type OAuthError } from "./oauth-errors.ts";

/** The parameters of a token request, every value a string (anything else was refused before). */
export type TokenParameters = Readonly<Record<string, string>>;

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * How long a client assertion may live, and how far its `iat` may lie ahead. Auth0 documents
 * neither bound (UNCONFIRMED): these follow what its SDKs send (about a minute) with room to
 * spare, and keep the replay cache small.
 */
export const ASSERTION_LIMITS = { maxLifetimeS: 300, clockToleranceS: 30 } as const;

/**
 * A secret's SHA-256: secrets are compared as digests, in constant time whatever their lengths.
 * A registered secret's is computed once, when the tenant loads (LocalClient.secretDigest).
 */
export function secretDigest(secret: string): Buffer {
  return hash("sha256", secret, "buffer");
}

/** What a presented secret is compared with when the client has none, so the timing is the same. */
const NO_SECRET_DIGEST = secretDigest("\u0000no-secret");

/** `Authorization: Basic base64(id:secret)`, form-urlencoded parts decoded (RFC 6749 2.3.1). */
function basicCredentials(authorization: string): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
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

/** The `iss` an assertion claims, read before its signature can be checked (to find the key). */
function claimedIssuer(assertion: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      iss?: unknown;
    };
    return typeof payload.iss === "string" ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

async function assertionClient(
  tenant: LocalTenant,
  parameters: TokenParameters,
  nowS: number,
): Promise<LocalClient | OAuthError> {
  const unauthorized = AUTH0_ERRORS.unauthorizedClient.response();
  const assertion = parameters.client_assertion ?? "";
  if (parameters.client_assertion_type !== ASSERTION_TYPE)
    return AUTH0_ERRORS.missingParameter.response("client_assertion_type");
  const claimed = claimedIssuer(assertion);
  const client = claimed === undefined ? undefined : tenant.clients.get(claimed);
  if (client?.method !== "private_key_jwt") return unauthorized;
  if (parameters.client_id !== undefined && parameters.client_id !== client.clientId) return unauthorized;
  for (const { key, algorithm, expiresAtS } of client.keys) {
    if (expiresAtS !== undefined && expiresAtS <= nowS) continue;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, key, {
        algorithms: [algorithm],
        issuer: client.clientId,
        subject: client.clientId,
        audience: [tenant.env.issuer, tenant.tokenEndpoint],
        currentDate: new Date(nowS * 1000),
        clockTolerance: ASSERTION_LIMITS.clockToleranceS,
        maxTokenAge: ASSERTION_LIMITS.maxLifetimeS,
        requiredClaims: ["jti", "exp", "iat"],
      }));
    } catch {
      continue; // try the next registered key (two during rotation)
    }
    const iat = Number(payload.iat);
    const exp = Number(payload.exp);
    if (iat > nowS + ASSERTION_LIMITS.clockToleranceS || exp - iat > ASSERTION_LIMITS.maxLifetimeS)
      return unauthorized;
    // Outside the try: a journal that cannot record the assertion fails the request (500), as
    // issuing a token it could not remember would let it be replayed after a restart.
    const fresh = tenant.usedAssertions.claim(
      `${client.clientId}:${String(payload.jti)}`,
      exp + ASSERTION_LIMITS.clockToleranceS,
      nowS,
    );
    return fresh ? client : unauthorized;
  }
  return unauthorized;
}

/**
 * Authenticates the client of a token request with the method it is registered for:
 * client_secret_post (client_id and client_secret in the body), client_secret_basic (the
 * Authorization header), or private_key_jwt (a client assertion signed with one of its
 * unexpired registered keys, for this issuer, short-lived, and never replayed).
 */
export async function authenticateClient(
  tenant: LocalTenant,
  parameters: TokenParameters,
  authorization: string | undefined,
  nowS: number,
): Promise<LocalClient | OAuthError> {
  const unauthorized = AUTH0_ERRORS.unauthorizedClient.response();
  const basic = authorization === undefined ? undefined : basicCredentials(authorization);
  if (authorization !== undefined && basic === undefined) return unauthorized;
  const methods = [basic, parameters.client_secret, parameters.client_assertion].filter(
    (m) => m !== undefined,
  );
  if (methods.length > 1) return AUTH0_ERRORS.severalAuthenticationMethods.response();
  if (parameters.client_assertion !== undefined) return assertionClient(tenant, parameters, nowS);

  if (basic && parameters.client_id !== undefined && parameters.client_id !== basic.id) return unauthorized;
  const id = basic?.id ?? parameters.client_id;
  const secret = basic?.secret ?? parameters.client_secret;
  if (id === undefined) return AUTH0_ERRORS.missingParameter.response("client_id");
  const client = tenant.clients.get(id);
  // Compare even for an unknown client, so timing does not tell which client ids exist.
  const matches = timingSafeEqual(secretDigest(secret ?? ""), client?.secretDigest ?? NO_SECRET_DIGEST);
  if (!client?.clientSecret || secret === undefined || !matches) return unauthorized;
  if (client.method !== (basic ? "client_secret_basic" : "client_secret_post")) return unauthorized;
  return client;
}
