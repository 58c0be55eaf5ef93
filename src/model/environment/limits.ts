// Auth0's documented limits that the model enforces before anything is created
// (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/entity-limit-policy).

/** Auth0 subscription plans, as far as entity limits go. */
export const AUTH0_PLANS = ["free", "self-service", "enterprise"] as const;
export type Auth0Plan = (typeof AUTH0_PLANS)[number];

/** Applications (clients) per tenant, by plan. */
export const APPLICATION_LIMIT: Readonly<Record<Auth0Plan, number>> = {
  free: 10,
  "self-service": 100,
  enterprise: 100_000,
};

/** APIs (resource servers) per tenant, by plan. */
export const API_LIMIT: Readonly<Record<Auth0Plan, number>> = {
  free: 10,
  "self-service": 100,
  enterprise: 100_000,
};

/** Scopes on one API. */
export const SCOPES_PER_API = 1_000;

/** `client_metadata`: keys per client, and characters per key and per value. */
export const CLIENT_METADATA_MAX_KEYS = 10;
export const CLIENT_METADATA_MAX_LENGTH = 255;

/** private_key_jwt: public keys per client (two, so a key can rotate without downtime). */
export const PRIVATE_KEY_JWT_MAX_KEYS = 2;

/** Actions bound to one trigger. */
export const ACTIONS_PER_TRIGGER = 20;

/** API token lifetime: Auth0's default, and its maximum (30 days). */
export const DEFAULT_TOKEN_LIFETIME = 86_400;
export const MAX_TOKEN_LIFETIME = 2_592_000;

/** GCP's STS rejects subject tokens whose `exp` is 48 h or more after `iat`. */
export const GCP_MAX_TOKEN_LIFETIME = 172_800;

/** The audience Entra ID requires in a federated token; the Azure API uses it as identifier. */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** A Management API rate limit: requests allowed at once, and the sustained rate after them. */
export interface ManagementRateLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * Auth0's Management API rate limits by plan (rate-limit-configurations): Free burst 2 at 2 per
 * second; self-service burst 10 at 150 per minute; Enterprise production burst 50 at 16 per
 * second, non-production burst 10 at 2 per second. A tenant's `x-ratelimit-*` headers override
 * these once a response carries them.
 */
export function managementRateLimit(plan: Auth0Plan, production: boolean): ManagementRateLimit {
  if (plan === "free") return { burst: 2, perSecond: 2 };
  if (plan === "self-service") return { burst: 10, perSecond: 150 / 60 };
  return production ? { burst: 50, perSecond: 16 } : { burst: 10, perSecond: 2 };
}
