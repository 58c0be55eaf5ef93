/**
 * The request bodies the local Management API accepts, field by field as Auth0 documents them.
 * Unknown fields are refused (Auth0: "Additional properties not allowed"), so a typo in a
 * hand-built tenant fails loudly instead of being dropped.
 */

import { z } from "zod";
import { TOKEN_DIALECTS } from "../../model/contract/token-dialect.ts";
import { MANAGEMENT_ERRORS } from "./errors.ts";

const metadata = z.record(z.string().max(255), z.string().max(255));
const authMethod = z.enum(["client_secret_post", "client_secret_basic", "private_key_jwt", "none"]);
const stringList = z.array(z.string());

const clientFields = {
  name: z
    .string()
    .min(1)
    .regex(/^[^<>]+$/),
  description: z.string().max(140),
  app_type: z.string(),
  grant_types: stringList,
  client_metadata: metadata,
  token_endpoint_auth_method: authMethod,
  is_first_party: z.boolean(),
  oidc_conformant: z.boolean(),
  cross_origin_authentication: z.boolean(),
  callbacks: stringList,
  allowed_origins: stringList,
  web_origins: stringList,
};

const optional = <T extends Record<string, z.ZodType>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };

export const createClientBody = z.strictObject({ ...optional(clientFields), name: clientFields.name });
export const updateClientBody = z.strictObject(optional(clientFields));

export const createCredentialBody = z.strictObject({
  name: z.string().min(1).max(128).optional(),
  credential_type: z.literal("public_key"),
  pem: z.string().min(1),
  alg: z.enum(["RS256", "RS384", "PS256"]).optional(),
  expires_at: z.iso.datetime().optional(),
});

export const createGrantBody = z.strictObject({
  client_id: z.string().min(1),
  audience: z.string().min(1),
  scope: stringList,
});
export const updateGrantBody = z.strictObject({ scope: stringList });

const scopes = z.array(
  z.strictObject({ value: z.string().min(1).max(280), description: z.string().max(500).default("") }),
);
const resourceServerFields = {
  name: z.string().min(1).max(200),
  scopes,
  signing_alg: z.enum(["RS256", "PS256", "HS256"]),
  token_lifetime: z.number().int().min(60).max(2_592_000),
  token_dialect: z.enum(TOKEN_DIALECTS),
  allow_offline_access: z.boolean(),
  skip_consent_for_verifiable_first_party_clients: z.boolean(),
  enforce_policies: z.boolean(),
};
export const createResourceServerBody = z.strictObject({
  ...optional(resourceServerFields),
  identifier: z.string().min(1).max(600),
});
export const updateResourceServerBody = z.strictObject(optional(resourceServerFields));

const trigger = z.strictObject({ id: z.string().min(1), version: z.string().min(1) });
export const createActionBody = z.strictObject({
  name: z.string().min(1).max(100),
  code: z.string().max(100 * 1024),
  runtime: z.string().optional(),
  supported_triggers: z.array(trigger).min(1),
  dependencies: z.array(z.strictObject({ name: z.string(), version: z.string() })).optional(),
  secrets: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
});
export const updateActionBody = createActionBody.partial();

export const updateBindingsBody = z.strictObject({
  bindings: z
    .array(
      z.strictObject({
        ref: z.strictObject({
          type: z.enum(["action_id", "action_name", "binding_id"]),
          value: z.string().min(1),
        }),
        display_name: z.string().optional(),
      }),
    )
    .max(20),
});

/** `body` parsed by `schema`, or Auth0's 400 naming the first field that is wrong. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "body";
  const detail =
    issue?.code === "unrecognized_keys"
      ? `Additional properties not allowed: ${issue.keys.join(",")}`
      : `${where}: ${issue?.message ?? "invalid"}`;
  throw MANAGEMENT_ERRORS.invalidBody(detail.slice(0, 300));
}
