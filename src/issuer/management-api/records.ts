// The objects of the local Management API, in the shapes Auth0's Management API v2 returns them
// (snake_case, as on the wire). Only the fields this tool reads and writes are kept.

/** How an application authenticates at the token endpoint. */
export type TokenEndpointAuthMethod =
  | "client_secret_post"
  | "client_secret_basic"
  | "private_key_jwt"
  | "none";

/** An application (`/api/v2/clients`). */
export interface ClientRecord {
  readonly client_id: string;
  readonly name: string;
  readonly description: string;
  readonly app_type: string;
  readonly grant_types: readonly string[];
  readonly client_metadata: Readonly<Record<string, string>>;
  readonly token_endpoint_auth_method: TokenEndpointAuthMethod;
  /** Shown only to tokens with read:client_keys. */
  readonly client_secret?: string;
  readonly is_first_party: boolean;
  readonly oidc_conformant: boolean;
  readonly cross_origin_authentication: boolean;
  readonly callbacks: readonly string[];
  readonly allowed_origins: readonly string[];
  readonly web_origins: readonly string[];
  /** private_key_jwt: the ids of its credentials. */
  readonly client_authentication_methods?: {
    readonly private_key_jwt: { readonly credentials: readonly { readonly id: string }[] };
  };
}

/** A public key credential of a private_key_jwt application (`/clients/{id}/credentials`). */
export interface CredentialRecord {
  readonly id: string;
  readonly name: string;
  readonly credential_type: "public_key";
  readonly kid: string;
  readonly alg: string;
  /** Kept to check assertions; never returned (Auth0 does not return it either). */
  readonly pem: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly expires_at?: string;
}

/** A client grant (`/api/v2/client-grants`). */
export interface GrantRecord {
  readonly id: string;
  readonly client_id: string;
  readonly audience: string;
  readonly scope: readonly string[];
}

/** An API (`/api/v2/resource-servers`). */
export interface ResourceServerRecord {
  readonly id: string;
  readonly name: string;
  readonly identifier: string;
  readonly scopes: readonly { readonly value: string; readonly description: string }[];
  readonly signing_alg: "RS256" | "PS256" | "HS256";
  readonly token_lifetime: number;
  readonly token_dialect: string;
  readonly allow_offline_access: boolean;
  readonly skip_consent_for_verifiable_first_party_clients: boolean;
  readonly enforce_policies: boolean;
  /** Auth0's own APIs (the Management API): listed, never changed. */
  readonly is_system: boolean;
}

/** The version of an Action that runs (`deployed_version`). */
export interface ActionVersionRecord {
  readonly id: string;
  readonly number: number;
  readonly code: string;
  readonly runtime: string;
  readonly deployed: true;
  readonly created_at: string;
}

/** An Action (`/api/v2/actions/actions`). */
export interface ActionRecord {
  readonly id: string;
  readonly name: string;
  /** The draft's code; the deployed version's is what runs. */
  readonly code: string;
  readonly runtime: string;
  readonly supported_triggers: readonly { readonly id: string; readonly version: string }[];
  readonly dependencies: readonly { readonly name: string; readonly version: string }[];
  readonly secrets: readonly { readonly name: string }[];
  readonly status: "built";
  readonly all_changes_deployed: boolean;
  readonly deployed_version?: ActionVersionRecord;
  readonly created_at: string;
  readonly updated_at: string;
}

/** One entry of a trigger's binding list. */
export interface BindingRecord {
  readonly id: string;
  readonly trigger_id: string;
  readonly display_name: string;
  readonly action_id: string;
  readonly created_at: string;
  readonly updated_at: string;
}
