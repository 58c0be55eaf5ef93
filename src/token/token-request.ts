/**
 * One client-credentials request to Auth0's token endpoint. Auth0's authentication client
 * (`@auth0/auth0-auth-js`) makes it where it fits: an https issuer at a domain's root with
 * client_secret_post or private_key_jwt. It always discovers `https://{domain}`, refuses http and
 * sends secrets only in the body, so client_secret_basic workloads and the local issuer's
 * loopback http go through a direct POST with the same inputs, outputs and errors.
 */
import { randomUUID } from "node:crypto";
import { AuthClient, type TokenByClientCredentialsError } from "@auth0/auth0-auth-js";
import { decodeJwt, SignJWT } from "jose";
import { tokenEndpointOf } from "../model/contract/endpoints.ts";
import { type ClientCredential, privateKeyOf } from "./client-credential.ts";
import { describeQuota, quotaBuckets, retryAfterSeconds } from "./rate-limit-headers.ts";
import { TokenRequestError } from "./token-errors.ts";

/** Who asks for which token, and where. */
export interface TokenRequestOptions {
  /** The issuer, trailing slash included (`https://acme.eu.auth0.com/`): the token endpoint is under it. */
  readonly issuer: string;
  readonly clientId: string;
  readonly credential: ClientCredential;
  /** The API identifier: the token's `aud`. */
  readonly audience: string;
  /** An organization id or name, for M2M access to an organization. Default: none. */
  readonly organization?: string;
  /** The fetch to use (a custom CA, a proxy). Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** A token as issued, with its times in seconds since the epoch. */
export interface IssuedToken {
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Makes one request; `signal` bounds it. */
export type TokenRequester = (signal: AbortSignal) => Promise<IssuedToken>;

/** Client assertions live 60 s: long enough for clock skew, short for replay. */
const ASSERTION_LIFETIME_S = 60;

/** Whether `issuer` may be called over plain http: loopback only (the local environment). */
function isLoopback(url: URL): boolean {
  return url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
}

/** Checks the issuer before anything is sent: https (or loopback http), ending in '/'. */
export function checkedIssuer(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new TypeError(`issuer ${JSON.stringify(issuer)} is not a URL: give it as https://<domain>/`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url)))
    throw new TypeError(
      `issuer ${issuer} must be https (plain http only on loopback, for the local environment): the client secret or assertion would travel in clear`,
    );
  if (!issuer.endsWith("/") || url.search || url.hash)
    throw new TypeError(`issuer ${issuer} must end in '/' with no query, as the tokens' iss does`);
  return url;
}

/** The token's times from its own `iat` and `exp`, or from `expires_in` for an opaque token. */
function issued(accessToken: string, expiresIn: number | undefined, nowS: number): IssuedToken {
  try {
    const { iat, exp } = decodeJwt(accessToken);
    if (typeof exp === "number")
      return { accessToken, issuedAt: typeof iat === "number" ? iat : nowS, expiresAt: exp };
  } catch {
    // Not a JWT: fall back to expires_in.
  }
  if (typeof expiresIn !== "number" || !(expiresIn > 0))
    throw new TokenRequestError(
      "the token response has neither a JWT exp nor expires_in: is the issuer Auth0?",
      {
        code: "bad_response",
        status: 200,
        retryable: false,
      },
    );
  return { accessToken, issuedAt: nowS, expiresAt: nowS + expiresIn };
}

/** What to fix, for an error status Auth0 answered with. */
function fixFor(status: number, error: string | undefined, options: TokenRequestOptions): string {
  if (status === 401 || error === "invalid_client" || error === "unauthorized_client")
    return `check client ${options.clientId}'s ${options.credential.method === "private_key_jwt" ? "private key (its public key must be registered on the application)" : "client secret"} and that the application uses ${options.credential.method}`;
  if (status === 403)
    return `grant client ${options.clientId} the API ${options.audience} (a grant in the stack), or ask for an audience it is granted`;
  if (status === 429)
    return "tokens are cached until shortly before they expire; share the cache between processes (the default for gcp-executable and aws-credential-process), or raise the client's quota";
  if (status >= 500) return "Auth0 failed; it was retried with backoff";
  return "check the issuer, audience and organization";
}

/** The error for an HTTP error answer. */
function httpError(
  status: number,
  headers: Headers | undefined,
  body: { error?: unknown; error_description?: unknown },
  options: TokenRequestOptions,
  nowMs: number,
): TokenRequestError {
  const error = typeof body.error === "string" ? body.error : undefined;
  const errorDescription = typeof body.error_description === "string" ? body.error_description : undefined;
  const retryAfter = retryAfterSeconds(headers?.get("retry-after"), nowMs);
  const quota = quotaBuckets(headers?.get("auth0-client-quota-limit"));
  const organizationQuota = quotaBuckets(headers?.get("auth0-organization-quota-limit"));
  const said = [error, errorDescription].filter(Boolean).join(": ");
  const quotaText = [
    ...(quota ? [`client quota ${describeQuota(quota)}`] : []),
    ...(organizationQuota ? [`organization quota ${describeQuota(organizationQuota)}`] : []),
    ...(retryAfter !== undefined ? [`retry after ${retryAfter} s`] : []),
  ].join("; ");
  return new TokenRequestError(
    `Auth0 refused a token for client ${options.clientId} and audience ${options.audience}: ${status}${said ? ` ${said}` : ""}${quotaText ? ` (${quotaText})` : ""}. Fix: ${fixFor(status, error, options)}`,
    {
      code: status === 429 ? "rate_limited" : "refused",
      status,
      ...(error !== undefined ? { error } : {}),
      ...(errorDescription !== undefined ? { errorDescription } : {}),
      retryable: status === 429 || status >= 500,
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
      ...(quota ? { quota } : {}),
      ...(organizationQuota ? { organizationQuota } : {}),
    },
  );
}

function networkError(options: TokenRequestOptions, cause: unknown): TokenRequestError {
  const reason =
    (cause as { cause?: { code?: string } })?.cause?.code ??
    (cause as { code?: string })?.code ??
    (cause instanceof Error ? cause.name : "error");
  return new TokenRequestError(
    `could not reach ${tokenEndpointOf(options.issuer)} (${reason === "TimeoutError" || reason === "AbortError" ? "no answer in time" : reason}): check the issuer URL and that this machine can reach it`,
    { code: "network", retryable: true },
  );
}

/** A client assertion for private_key_jwt, signed with the workload's key. */
async function clientAssertion(
  options: TokenRequestOptions,
  credential: Extract<ClientCredential, { method: "private_key_jwt" }>,
): Promise<string> {
  const nowS = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg: credential.algorithm ?? "RS256",
      typ: "JWT",
      ...(credential.keyId ? { kid: credential.keyId } : {}),
    })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.issuer)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + ASSERTION_LIFETIME_S)
    .setJti(randomUUID())
    .sign(privateKeyOf(credential));
}

/** The direct POST: form body, Basic header for client_secret_basic. */
function directRequester(options: TokenRequestOptions): TokenRequester {
  const doFetch = options.fetch ?? fetch;
  const endpoint = tokenEndpointOf(options.issuer);
  return async (signal) => {
    const { credential } = options;
    const body = new URLSearchParams({ grant_type: "client_credentials", audience: options.audience });
    if (options.organization) body.set("organization", options.organization);
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    };
    if (credential.method === "private_key_jwt") {
      body.set("client_id", options.clientId);
      body.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      body.set("client_assertion", await clientAssertion(options, credential));
    } else if (credential.method === "client_secret_basic") {
      // RFC 6749 2.3.1: both parts form-encoded before base64.
      const pair = `${encodeURIComponent(options.clientId)}:${encodeURIComponent(credential.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
    } else {
      body.set("client_id", options.clientId);
      body.set("client_secret", credential.clientSecret);
    }
    let response: Response;
    let parsed: Record<string, unknown>;
    try {
      response = await doFetch(endpoint, { method: "POST", headers, body, signal });
      const text = await response.text();
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
    } catch (error) {
      throw networkError(options, error);
    }
    const nowMs = Date.now();
    if (!response.ok) throw httpError(response.status, response.headers, parsed, options, nowMs);
    if (typeof parsed.access_token !== "string" || parsed.access_token === "")
      throw new TokenRequestError(`${endpoint} answered 200 without an access_token: is the issuer Auth0?`, {
        code: "bad_response",
        status: 200,
        retryable: false,
      });
    return issued(
      parsed.access_token,
      typeof parsed.expires_in === "number" ? parsed.expires_in : undefined,
      Math.floor(nowMs / 1000),
    );
  };
}

/** Through Auth0's authentication client, which discovers the tenant once per requester. */
function auth0ClientRequester(options: TokenRequestOptions, domain: string): TokenRequester {
  const base = options.fetch ?? fetch;
  const seen: { last?: Response } = {};
  // Records the last answer, so a refusal's status and headers are read the same way as on the direct path.
  const recording: typeof fetch = async (input, init) => {
    const response = await base(input, init);
    seen.last = response;
    return response;
  };
  const { credential } = options;
  const client = new AuthClient({
    domain,
    clientId: options.clientId,
    ...(credential.method === "private_key_jwt"
      ? {
          clientAssertionSigningKey: privateKeyOf(credential)
            .export({ format: "pem", type: "pkcs8" })
            .toString(),
          clientAssertionSigningAlg: credential.algorithm ?? "RS256",
        }
      : { clientSecret: credential.method === "client_secret_post" ? credential.clientSecret : "" }),
    customFetch: recording,
  });
  return async (signal) => {
    delete seen.last;
    try {
      const response = await client.getTokenByClientCredentials(
        {
          audience: options.audience,
          ...(options.organization ? { organization: options.organization } : {}),
        },
        { signal },
      );
      const nowS = Math.floor(Date.now() / 1000);
      return issued(response.accessToken, response.expiresAt - nowS, nowS);
    } catch (error) {
      if (error instanceof TokenRequestError) throw error;
      const last = seen.last as Response | undefined;
      const status = (error as TokenByClientCredentialsError).statusCode ?? last?.status;
      if (status === undefined) throw networkError(options, (error as { cause?: unknown }).cause ?? error);
      if (status < 400)
        // Answered, but not as Auth0 would: discovery naming another issuer, a body that is no token response.
        throw new TokenRequestError(
          `Auth0's authentication client could not use the answer of ${options.issuer}: ${(error as Error).message}: is the issuer an Auth0 tenant (https://<domain>/)?`,
          { code: "bad_response", status, retryable: false },
        );
      const cause: { error?: string; error_description?: string } =
        (error as TokenByClientCredentialsError).cause ?? {};
      return Promise.reject(
        httpError(
          status,
          (error as TokenByClientCredentialsError).headers ?? last?.headers,
          { error: cause.error || undefined, error_description: cause.error_description || undefined },
          options,
          Date.now(),
        ),
      );
    }
  };
}

/** Whether Auth0's authentication client can make this request. */
export function usesAuth0Client(options: Pick<TokenRequestOptions, "issuer" | "credential">): boolean {
  const url = checkedIssuer(options.issuer);
  return (
    url.protocol === "https:" && url.pathname === "/" && options.credential.method !== "client_secret_basic"
  );
}

/** The requester for `options`: Auth0's client where it fits, else the direct POST. */
export function tokenRequester(options: TokenRequestOptions): TokenRequester {
  const url = checkedIssuer(options.issuer);
  return usesAuth0Client(options) ? auth0ClientRequester(options, url.host) : directRequester(options);
}
