import { AWS_TAGS_CLAIM, awsTagsClaim } from "../contract/aws-session-tags.ts";
import { clientSubject } from "../contract/subject.ts";
import { isRfc9068 } from "../contract/token-dialect.ts";
import { cloudApi } from "../environment/clouds.ts";
import type { Environment } from "../environment/environment.ts";
import type { ApiConfig } from "../environment/schema.ts";

/** Who a token is for and when it was issued. */
export interface TokenRequest {
  readonly tenantId: string;
  readonly workload: string;
  readonly clientId: string;
  /** The API the token is for: its identifier, lifetime and dialect decide Auth0's claims. */
  readonly api: Pick<ApiConfig, "identifier" | "tokenLifetime" | "tokenDialect">;
  /** The granted scopes the token carries. */
  readonly scopes: readonly string[];
  /** Issued at, in seconds since the epoch. */
  readonly iat: number;
  /** A unique id, for the rfc9068 dialect's `jti`. Default: `<clientId>-<iat>`. */
  readonly jti?: string | undefined;
}

/**
 * The claims Auth0 itself puts in a client-credentials token, before any Action: the token
 * structure of the seed guide. The `rfc9068_profile` dialects carry `client_id` and `jti`
 * instead of `azp`, and no `gty`: "The RFC 9068 profile does not use the gty claim"
 * (https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles, whose claims table
 * also marks `gty` absent from that profile). The Auth0 profile keeps `gty: client-credentials`.
 */
export function auth0TokenClaims(
  env: Pick<Environment, "issuer">,
  request: TokenRequest,
): Record<string, unknown> {
  const { api } = request;
  const rfc9068 = isRfc9068(api);
  // Assigned in Auth0's order rather than spread in: the local issuer builds this per token.
  const claims: Record<string, unknown> = {
    iss: env.issuer,
    sub: clientSubject(request.clientId),
    aud: api.identifier,
    iat: request.iat,
    exp: request.iat + api.tokenLifetime,
  };
  if (rfc9068) {
    claims.client_id = request.clientId;
    claims.jti = request.jti ?? `${request.clientId}-${request.iat}`;
  } else {
    claims.azp = request.clientId;
  }
  claims.scope = request.scopes.join(" ");
  if (!rfc9068) claims.gty = "client-credentials";
  return claims;
}

/** The claims the tenant-claims Action adds for a managed workload (and the AWS tags on AWS tokens). */
export function tenantActionClaims(env: Environment, request: TokenRequest): Record<string, unknown> {
  const aws = env.clouds.aws && cloudApi(env, "aws")?.identifier === request.api.identifier;
  return {
    [env.claims.tenantId]: request.tenantId,
    [env.claims.workload]: request.workload,
    ...(aws
      ? {
          [AWS_TAGS_CLAIM]: awsTagsClaim(
            request.tenantId,
            request.workload,
            env.clouds.aws?.transitiveTagKeys ?? [],
          ),
        }
      : {}),
  };
}

/** The whole token of a managed workload: Auth0's claims and the tenant-claims Action's. */
export function issuedClaims(env: Environment, request: TokenRequest): Record<string, unknown> {
  return { ...auth0TokenClaims(env, request), ...tenantActionClaims(env, request) };
}
