import { CLIENT_METADATA_KEYS } from "../model/contract/claims.ts";
import { TENANT_ID_PATTERN } from "../model/contract/tenant-id.ts";
import { TOKEN_DIALECTS } from "../model/contract/token-dialect.ts";
import { apiSettings, WORKLOAD_CLIENT_SETTINGS } from "../model/environment/auth0-settings.ts";
import { RESERVED_METADATA_KEYS } from "../model/environment/client-metadata.ts";
import {
  auth0ClientName,
  grantResourceName,
  workloadKey,
  workloadResourceName,
} from "../model/environment/names.ts";
import {
  CREDENTIALS_EXCHANGE_TRIGGER,
  deployedActionName,
  LAST_BOUND_ACTION,
  PROJECT_ACTIONS,
  type ProjectAction,
} from "../model/environment/project-actions.ts";
import { grantsByClient, type LiveApi, type LiveClient, type LiveTenant } from "./live-tenant.ts";

/** One entry of a `pulumi import --file` file. */
export interface ImportEntry {
  readonly type: string;
  /** Unique within the file (components end in `-component`): what `parent` refers to. */
  readonly name: string;
  /** The resource's name in the program (a component and its first child share one). */
  readonly logicalName: string;
  /** The cloud id; absent for components, which the import creates empty. */
  readonly id?: string;
  /** The name of the parent entry (a component of this file). */
  readonly parent?: string;
  /** The name of the provider in the file's nameTable. */
  readonly provider?: string;
  readonly component?: true;
}

/** A `pulumi import --file` file: resources, and the URNs of what they name but do not create. */
export interface ImportFile {
  readonly nameTable: Readonly<Record<string, string>>;
  readonly resources: readonly ImportEntry[];
}

/** What `m2m adopt` makes of a tenant. */
export interface Adoption {
  /** The stack's `m2m:environment`, to be validated before it is written. */
  readonly environment: Record<string, unknown>;
  readonly importFile: ImportFile;
  /** What stays out of the model, and why: listed, never dropped silently. */
  readonly notAdopted: readonly string[];
  /** What `pulumi up` will change in place on imported objects (never a replacement). */
  readonly updates: readonly string[];
  /** What `pulumi up` will create that the tenant does not have. */
  readonly creates: readonly string[];
}

/** What adoption starts from besides the tenant. */
export interface AdoptionInput {
  readonly stack: string;
  /** The Pulumi project's name (Pulumi.yaml `name`), for URNs. */
  readonly project: string;
  /**
   * The stack's existing `m2m:environment` (possibly partial): production, auth0, claimNamespace
   * and clouds are kept; an API it declares keeps its key and cloud.
   */
  readonly base: Readonly<Record<string, unknown>>;
  /** `--map`: client id -> `tenant/workload`, for applications without that metadata. */
  readonly map: Readonly<Record<string, string>>;
  /** The application the command signed in as: never adopted. */
  readonly managementClientId: string;
}

/** The resource types the program registers (infra/auth0/*.ts), by role. */
export const AUTH0_TYPES = {
  provider: "pulumi:providers:auth0",
  apiComponent: "m2m:auth0:Api",
  resourceServer: "auth0:index/resourceServer:ResourceServer",
  scopes: "auth0:index/resourceServerScopes:ResourceServerScopes",
  exchangeComponent: "m2m:auth0:CredentialsExchange",
  action: "auth0:index/action:Action",
  triggerActions: "auth0:index/triggerActions:TriggerActions",
  workloadComponent: "m2m:auth0:WorkloadClient",
  client: "auth0:index/client:Client",
  grant: "auth0:index/clientGrant:ClientGrant",
  credentials: "auth0:index/clientCredentials:ClientCredentials",
} as const;

/** The component infra/auth0/credentials-exchange.ts registers, and the provider's name (tenant-provider.ts). */
const EXCHANGE_COMPONENT = "credentials-exchange";
const providerName = (stack: string) => `auth0-${stack}`;

/** A model key from an API's name or identifier: a-z, 0-9 and '-', as TENANT_ID_PATTERN asks. */
function apiKeyOf(api: LiveApi, taken: Set<string>): string {
  const source = api.name || new URL(api.identifier, "https://x/").hostname;
  const slug = source
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 18)
    .replace(/-+$/, "");
  let key = slug.length >= 3 ? slug : `api-${slug || "x"}`.slice(0, 18);
  for (let i = 2; taken.has(key); i++) key = `${slug.slice(0, 16)}-${i}`;
  taken.add(key);
  return key;
}

function baseApis(base: Readonly<Record<string, unknown>>): Map<string, Record<string, unknown>> {
  const apis = Array.isArray(base.apis) ? (base.apis as Record<string, unknown>[]) : [];
  return new Map(apis.filter((a) => typeof a?.identifier === "string").map((a) => [String(a.identifier), a]));
}

/** Where an application belongs: `--map`, else its tenant_id/workload metadata. */
function ownerOf(client: LiveClient, map: Readonly<Record<string, string>>): string | undefined {
  const mapped = map[client.clientId];
  if (mapped) return mapped;
  const tenantId = client.metadata[CLIENT_METADATA_KEYS.tenantId];
  const workload = client.metadata[CLIENT_METADATA_KEYS.workload];
  return tenantId && workload ? workloadKey(tenantId, workload) : undefined;
}

/**
 * A hand-built tenant as this project's model and a `pulumi import` file. Applications map to
 * tenants and workloads by `--map` or by their metadata, never by guessing; APIs their grants
 * name, and the credentials-exchange binding list, come with them. The import file names every
 * API, scope set, application, grant, credential, Action and the trigger binding with the
 * program's exact resource names and parents, so `pulumi up` after the import creates none of
 * them. What the model cannot say is listed in `notAdopted`.
 */
export function adoptTenant(live: LiveTenant, input: AdoptionInput): Adoption {
  const notAdopted: string[] = [];
  const updates: string[] = [];
  const creates: string[] = [];
  const known = baseApis(input.base);
  const apisByIdentifier = new Map(live.apis.filter((a) => !a.isSystem).map((a) => [a.identifier, a]));
  const systemApis = new Set(live.apis.filter((a) => a.isSystem).map((a) => a.identifier));
  const usedApis = new Map<string, string>(); // identifier -> key
  const takenKeys = new Set([...known.values()].map((a) => String(a.key)));
  const keyOf = (api: LiveApi) => {
    let key = usedApis.get(api.identifier);
    if (!key) {
      const declared = known.get(api.identifier)?.key;
      key = typeof declared === "string" ? declared : apiKeyOf(api, takenKeys);
      usedApis.set(api.identifier, key);
    }
    return key;
  };

  const tenants = new Map<string, Record<string, unknown>[]>();
  const grantsOf = grantsByClient(live);
  const adoptedClients: {
    client: LiveClient;
    tenantId: string;
    workload: string;
    grants: { key: string; id: string }[];
  }[] = [];
  for (const client of live.clients) {
    if (client.clientId === input.managementClientId) continue;
    const label = `application ${client.name} (${client.clientId})`;
    const owner = ownerOf(client, input.map);
    if (!owner) {
      notAdopted.push(`${label}: no tenant_id/workload metadata and not in --map`);
      continue;
    }
    const [tenantId = "", workload = "", ...rest] = owner.split("/");
    if (rest.length > 0 || !TENANT_ID_PATTERN.test(tenantId) || !TENANT_ID_PATTERN.test(workload)) {
      notAdopted.push(`${label}: "${owner}" is not tenant/workload with ids of 3 to 20 of a-z, 0-9 and '-'`);
      continue;
    }
    if (client.authMethod === "private_key_jwt") {
      notAdopted.push(
        `${label} (${owner}): private_key_jwt, and Auth0 never returns the public keys' PEM (${client.credentials.map((k) => k.name).join(", ")}); add the workload by hand with its PEM keys`,
      );
      continue;
    }
    if (client.authMethod !== "client_secret_post" && client.authMethod !== "client_secret_basic") {
      notAdopted.push(
        `${label} (${owner}): authenticates with ${client.authMethod || "nothing"}, which the model has no form for`,
      );
      continue;
    }
    const grants: Record<string, unknown>[] = [];
    const grantIds: { key: string; id: string }[] = [];
    for (const grant of grantsOf.get(client.clientId) ?? []) {
      const api = apisByIdentifier.get(grant.audience);
      const where = `grant of ${owner} to ${grant.audience}`;
      if (systemApis.has(grant.audience))
        notAdopted.push(`${where}: Auth0's own API, which the model does not grant`);
      else if (!api) notAdopted.push(`${where}: no such API on the tenant`);
      else if (grant.scopes.length === 0)
        notAdopted.push(`${where}: no scopes (the model grants at least one)`);
      else {
        const key = keyOf(api);
        grants.push({ api: key, scopes: [...grant.scopes] });
        grantIds.push({ key, id: grant.id });
      }
    }
    if (grants.length === 0) {
      notAdopted.push(`${label} (${owner}): no grant the model can express`);
      continue;
    }
    const metadata = Object.fromEntries(
      Object.entries(client.metadata).filter(([k]) => !RESERVED_METADATA_KEYS.includes(k)),
    );
    const entry: Record<string, unknown> = {
      name: workload,
      ...(client.description && client.description.length <= 140 ? { description: client.description } : {}),
      grants,
      authentication: { method: client.authMethod },
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    };
    if (client.description.length > 140)
      updates.push(`${label}: its description is over 140 characters; pulumi up sets the model's default`);
    const name = auth0ClientName(input.stack, tenantId, workload).value;
    if (client.name !== name) updates.push(`${label}: pulumi up renames it to ${name}`);
    if (client.metadata[CLIENT_METADATA_KEYS.managedBy] === undefined)
      updates.push(
        `${label}: pulumi up adds the managed_by, tenant_id and workload metadata the tenant-claims Action reads`,
      );
    if (
      client.appType !== WORKLOAD_CLIENT_SETTINGS.appType ||
      client.grantTypes.join(",") !== WORKLOAD_CLIENT_SETTINGS.grantTypes.join(",")
    )
      updates.push(
        `${label}: pulumi up makes it a machine-to-machine application with only the client_credentials grant`,
      );
    tenants.set(tenantId, [...(tenants.get(tenantId) ?? []), entry]);
    adoptedClients.push({ client, tenantId, workload, grants: grantIds });
  }

  const apis: Record<string, unknown>[] = [];
  for (const [identifier, key] of usedApis) {
    const api = apisByIdentifier.get(identifier);
    if (!api) continue;
    const declared = known.get(identifier);
    const dialect = (TOKEN_DIALECTS as readonly string[]).includes(api.tokenDialect)
      ? api.tokenDialect
      : undefined;
    const settings = apiSettings({ tokenDialect: dialect ?? "access_token" });
    for (const [field, want, have] of [
      ["enforce_policies", settings.enforcePolicies, api.enforcePolicies],
      ["allow_offline_access", settings.allowOfflineAccess, api.allowOfflineAccess],
      [
        "skip_consent_for_verifiable_first_party_clients",
        settings.skipConsentForVerifiableFirstPartyClients,
        api.skipConsentForVerifiableFirstPartyClients,
      ],
    ] as const)
      if (want !== have)
        updates.push(`API ${identifier} (${key}): pulumi up sets ${field} to ${String(want)}`);
    if (!dialect)
      notAdopted.push(
        `API ${identifier}: token dialect ${api.tokenDialect} is not one the model knows; pulumi up sets access_token`,
      );
    apis.push({
      key,
      identifier,
      name: api.name || identifier,
      scopes: api.scopes.map((s) => ({ value: s.value, description: s.description })),
      tokenLifetime: api.tokenLifetime,
      signingAlg: api.signingAlg,
      ...(dialect ? { tokenDialect: dialect } : {}),
      ...(declared?.cloud !== undefined ? { cloud: declared.cloud } : {}),
    });
  }
  for (const api of apisByIdentifier.values())
    if (!usedApis.has(api.identifier))
      notAdopted.push(
        `API ${api.identifier} (${api.name}): no adopted workload is granted it, so the stack does not take it over`,
      );

  // The binding list, in the tenant's order: this project's Actions by name, others by id.
  const actionsById = new Map(live.actions.map((a) => [a.id, a]));
  const projectByName = new Map(PROJECT_ACTIONS.map((p) => [deployedActionName(p), p] as const));
  const bindings: Record<string, unknown>[] = [];
  const boundProject = new Map<ProjectAction, string>();
  for (const binding of live.bindings) {
    const action = actionsById.get(binding.actionId);
    const project = action ? projectByName.get(action.name) : undefined;
    if (project && action) {
      bindings.push({ action: project });
      boundProject.set(project, action.id);
    } else
      bindings.push({
        id: binding.actionId,
        displayName: binding.displayName || action?.name || binding.actionId,
      });
  }
  const lastIndex = bindings.findIndex((b) => b.action === LAST_BOUND_ACTION);
  if (lastIndex < 0) {
    bindings.push({ action: LAST_BOUND_ACTION });
    creates.push(
      `Action ${deployedActionName(LAST_BOUND_ACTION)}, bound last to credentials-exchange: from then on tokens of the adopted workloads carry their tenant claims`,
    );
  } else if (lastIndex !== bindings.length - 1) {
    bindings.push(...bindings.splice(lastIndex, 1));
    updates.push(
      `credentials-exchange binding list: pulumi up moves ${deployedActionName(LAST_BOUND_ACTION)} last, where no later Action can overwrite its claims`,
    );
  }
  for (const project of PROJECT_ACTIONS)
    if (
      project !== LAST_BOUND_ACTION &&
      !boundProject.has(project) &&
      !live.actions.some((a) => a.name === deployedActionName(project))
    )
      creates.push(`Action ${deployedActionName(project)}`);

  const environment: Record<string, unknown> = {
    ...(input.base.production !== undefined ? { production: input.base.production } : {}),
    ...(input.base.auth0 !== undefined ? { auth0: input.base.auth0 } : {}),
    ...(input.base.claimNamespace !== undefined ? { claimNamespace: input.base.claimNamespace } : {}),
    apis,
    tenants: [...tenants].map(([id, workloads]) => ({ id, workloads })),
    ...(input.base.clouds !== undefined ? { clouds: input.base.clouds } : {}),
    credentialsExchange: { bindings },
  };

  const provider = providerName(input.stack);
  // A component and its first child share their logical name, so file names must differ.
  const componentName = (logicalName: string) => `${logicalName}-component`;
  const component = (type: string, logicalName: string): ImportEntry => ({
    type,
    name: componentName(logicalName),
    logicalName,
    component: true,
  });
  const custom = (type: string, logicalName: string, id: string, parent: string): ImportEntry => ({
    type,
    name: logicalName,
    logicalName,
    id,
    parent: componentName(parent),
    provider,
  });
  const resources: ImportEntry[] = [];
  for (const [identifier, key] of usedApis) {
    const api = apisByIdentifier.get(identifier);
    if (!api) continue;
    resources.push(component(AUTH0_TYPES.apiComponent, key));
    resources.push(custom(AUTH0_TYPES.resourceServer, key, api.id, key));
    // ResourceServerScopes imports by the API's identifier; the program has none for a scope-less API.
    if (api.scopes.length > 0) resources.push(custom(AUTH0_TYPES.scopes, `${key}-scopes`, identifier, key));
  }
  resources.push(component(AUTH0_TYPES.exchangeComponent, EXCHANGE_COMPONENT));
  for (const project of PROJECT_ACTIONS) {
    const id =
      boundProject.get(project) ?? live.actions.find((a) => a.name === deployedActionName(project))?.id;
    if (id) resources.push(custom(AUTH0_TYPES.action, project, id, EXCHANGE_COMPONENT));
  }
  // TriggerActions owns the trigger's whole list; its import id is the trigger's.
  resources.push(
    custom(
      AUTH0_TYPES.triggerActions,
      CREDENTIALS_EXCHANGE_TRIGGER.id,
      CREDENTIALS_EXCHANGE_TRIGGER.id,
      EXCHANGE_COMPONENT,
    ),
  );
  for (const { client, tenantId, workload, grants } of adoptedClients) {
    const name = workloadResourceName(tenantId, workload);
    resources.push(component(AUTH0_TYPES.workloadComponent, name));
    resources.push(custom(AUTH0_TYPES.client, name, client.clientId, name));
    for (const grant of grants)
      resources.push(
        custom(AUTH0_TYPES.grant, grantResourceName(tenantId, workload, grant.key), grant.id, name),
      );
    // ClientCredentials imports by the client id: the secret stays the one the workload has.
    resources.push(custom(AUTH0_TYPES.credentials, `${name}-credentials`, client.clientId, name));
  }
  return {
    environment,
    importFile: {
      nameTable: { [provider]: providerUrn(input.project, input.stack) },
      resources,
    },
    notAdopted,
    updates,
    creates,
  };
}

/** The URN of the stack's Auth0 provider, which must exist before the import. */
export function providerUrn(project: string, stack: string): string {
  return `urn:pulumi:${stack}::${project}::${AUTH0_TYPES.provider}::${providerName(stack)}`;
}
