import { managementApiAudience } from "../contract/management-api.ts";
import { isTenantId, isWorkloadName } from "../contract/tenant-id.ts";
import { AWS_TENANT_RULES } from "../trust/aws/aws-tenant-rules.ts";
import { AZURE_TENANT_RULES } from "../trust/azure/azure-tenant-rules.ts";
import { GCP_TENANT_RULES } from "../trust/gcp/gcp-tenant-rules.ts";
import { clientMetadata, RESERVED_METADATA_KEYS } from "./client-metadata.ts";
import { CLOUD_RULES } from "./cloud-rules.ts";
import { cloudsOf } from "./clouds.ts";
import type { EnvironmentIssue } from "./errors.ts";
import { KEY_RULES } from "./key-rules.ts";
import {
  ACTIONS_PER_TRIGGER,
  API_LIMIT,
  APPLICATION_LIMIT,
  AZURE_TOKEN_EXCHANGE_AUDIENCE,
  CLIENT_METADATA_MAX_KEYS,
  CLIENT_METADATA_MAX_LENGTH,
  GCP_MAX_TOKEN_LIFETIME,
  SCOPES_PER_API,
} from "./limits.ts";
import { ENVIRONMENT_NAME_PATTERN, grantResourceName, workloadNames, workloadResourceName } from "./names.ts";
import { LAST_BOUND_ACTION, PROJECT_ACTIONS } from "./project-actions.ts";
import type { Rule, RuleCheck } from "./rule.ts";

/**
 * Rules that relate fields to each other. Each returns every violation it finds, with its path
 * and the fix; parseEnvironment reports them all at once, with the schema's, running each rule
 * on whatever parts of the value it reads had their shape (salvage.ts).
 */

function duplicates<T>(items: readonly T[], key: (item: T) => string): [number, string][] {
  const seen = new Set<string>();
  const found: [number, string][] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) found.push([i, k]);
    seen.add(k);
  });
  return found;
}

const auth0Domains: RuleCheck = ({ auth0 }) => {
  const issues: EnvironmentIssue[] = [];
  if (auth0.tokenDomain === "custom" && !auth0.customDomain) {
    issues.push({
      path: "auth0.tokenDomain",
      message:
        "tokenDomain is 'custom' but no customDomain is set: set auth0.customDomain or use 'canonical'",
    });
  }
  if (auth0.customDomain && auth0.customDomain === auth0.domain) {
    issues.push({
      path: "auth0.customDomain",
      message:
        "customDomain equals the tenant's canonical domain: remove it, or set the custom domain itself",
    });
  }
  return issues;
};

const apis: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  for (const [i, key] of duplicates(config.apis, (a) => a.key)) {
    issues.push({
      path: `apis[${i}].key`,
      message: `API key "${key}" is used twice: give each API its own key`,
    });
  }
  for (const [i, id] of duplicates(config.apis, (a) => a.identifier)) {
    issues.push({
      path: `apis[${i}].identifier`,
      message: `API identifier "${id}" is declared twice: an identifier names one API`,
    });
  }
  const limit = API_LIMIT[config.auth0.plan];
  if (config.apis.length > limit) {
    issues.push({
      path: "apis",
      message: `${config.apis.length} APIs exceed the ${config.auth0.plan} plan's ${limit}: remove APIs or set auth0.plan`,
    });
  }
  for (const [i, cloud] of duplicates(
    config.apis.filter((a) => a.cloud),
    (a) => a.cloud ?? "",
  )) {
    issues.push({
      path: "apis",
      message: `more than one API is marked cloud: ${cloud} (the ${i + 1}th such API): keep one API per cloud`,
    });
  }
  config.apis.forEach((api, i) => {
    const at = `apis[${i}]`;
    if (api.scopes.length > SCOPES_PER_API) {
      issues.push({ path: `${at}.scopes`, message: `an API holds at most ${SCOPES_PER_API} scopes` });
    }
    for (const [j, value] of duplicates(api.scopes, (s) => s.value)) {
      issues.push({
        path: `${at}.scopes[${j}].value`,
        message: `scope "${value}" is declared twice on this API`,
      });
    }
    if (api.cloud && api.signingAlg !== "RS256") {
      issues.push({
        path: `${at}.signingAlg`,
        message: `an API whose tokens ${api.cloud.toUpperCase()} accepts must sign with RS256 (AWS and GCP accept only RS/ES algorithms): set signingAlg: RS256`,
      });
    }
    if (api.cloud === "gcp" && api.tokenLifetime >= GCP_MAX_TOKEN_LIFETIME) {
      issues.push({
        path: `${at}.tokenLifetime`,
        message: `GCP rejects tokens that live ${GCP_MAX_TOKEN_LIFETIME} s (48 h) or longer: set tokenLifetime below ${GCP_MAX_TOKEN_LIFETIME}, e.g. 3600`,
      });
    }
    if (api.cloud === "azure" && api.identifier !== AZURE_TOKEN_EXCHANGE_AUDIENCE) {
      issues.push({
        path: `${at}.identifier`,
        message: `Entra ID only accepts tokens whose aud is ${AZURE_TOKEN_EXCHANGE_AUDIENCE}: set the Azure API's identifier to it`,
      });
    }
    if (api.identifier === AZURE_TOKEN_EXCHANGE_AUDIENCE && api.cloud !== "azure") {
      issues.push({
        path: `${at}.cloud`,
        message: `${AZURE_TOKEN_EXCHANGE_AUDIENCE} is the Azure token-exchange audience: set cloud: azure on this API`,
      });
    }
  });
  return issues;
};

const noManagementApi: RuleCheck = (config) => {
  const management = [config.auth0.domain, config.auth0.customDomain].flatMap((d) =>
    d ? [managementApiAudience(d), managementApiAudience(d).slice(0, -1)] : [],
  );
  return config.apis.flatMap((api, i) =>
    management.includes(api.identifier)
      ? [
          {
            path: `apis[${i}].identifier`,
            message: `"${api.identifier}" is an Auth0 Management API identifier, which this tool never grants: use your own API's identifier`,
          },
        ]
      : [],
  );
};

const tenants: RuleCheck = (config, envName) => {
  const issues: EnvironmentIssue[] = [];
  const apisByKey = new Map(config.apis.map((a) => [a.key, a]));
  for (const [i, id] of duplicates(config.tenants, (t) => t.id)) {
    issues.push({
      path: `tenants[${i}].id`,
      message: `tenant id "${id}" is used twice: tenant ids are unique`,
    });
  }
  config.tenants.forEach((tenant, t) => {
    for (const [w, name] of duplicates(tenant.workloads, (w) => w.name)) {
      issues.push({
        path: `tenants[${t}].workloads[${w}].name`,
        message: `workload "${name}" appears twice in tenant "${tenant.id}": workload names are unique per tenant`,
      });
    }
    tenant.workloads.forEach((workload, w) => {
      const at = `tenants[${t}].workloads[${w}]`;
      for (const [g, key] of duplicates(workload.grants, (g) => g.api)) {
        issues.push({
          path: `${at}.grants[${g}].api`,
          message: `API "${key}" is granted twice: merge the scopes into one grant`,
        });
      }
      workload.grants.forEach((grant, g) => {
        const api = apisByKey.get(grant.api);
        if (!api) {
          issues.push({
            path: `${at}.grants[${g}].api`,
            message: `unknown API "${grant.api}": use one of the keys under apis (${[...apisByKey.keys()].join(", ")})`,
          });
          return;
        }
        const known = new Set(api.scopes.map((s) => s.value));
        grant.scopes.forEach((scope, s) => {
          if (!known.has(scope)) {
            issues.push({
              path: `${at}.grants[${g}].scopes[${s}]`,
              message: `scope "${scope}" does not exist on API "${api.key}": add it to that API's scopes or remove it from the grant`,
            });
          }
        });
        for (const [s, scope] of duplicates(grant.scopes, (x) => x)) {
          issues.push({
            path: `${at}.grants[${g}].scopes[${s}]`,
            message: `scope "${scope}" is listed twice`,
          });
        }
      });
      issues.push(...metadataIssues(at, tenant.id, workload.name, workload.metadata));
      // A stack name, id or name refused already is reported there; its composed names would only
      // repeat it.
      if (!ENVIRONMENT_NAME_PATTERN.test(envName) || !isTenantId(tenant.id) || !isWorkloadName(workload.name))
        return;
      for (const name of workloadNames(envName, tenant.id, workload.name, cloudsOf(config, workload))) {
        if (!name.pattern.test(name.value)) {
          issues.push({
            path: at,
            message: `the ${name.what} "${name.value}" (from environment "${envName}", tenant "${tenant.id}", workload "${workload.name}") breaks its rule: ${name.rule}. Shorten the tenant id or workload name`,
          });
        }
      }
    });
  });
  const applications = config.tenants.reduce((n, t) => n + t.workloads.length, 0);
  // The plan counts every application on the tenant, Pulumi's own Management API client too.
  const planRoom = APPLICATION_LIMIT[config.auth0.plan] - 1;
  const limit = Math.min(config.auth0.applicationLimit ?? planRoom, planRoom);
  if (applications > limit) {
    const source =
      limit === config.auth0.applicationLimit
        ? "auth0.applicationLimit"
        : `the ${config.auth0.plan} plan's ${APPLICATION_LIMIT[config.auth0.plan]}, less Pulumi's own application`;
    issues.push({
      path: "tenants",
      message: `${applications} workloads need ${applications} Auth0 applications, over the limit of ${limit} (${source}): remove workloads, move tenants to another stack, or raise auth0.plan / auth0.applicationLimit`,
    });
  }
  return issues;
};

/**
 * Names are composed by joining ids with '-', and ids may contain '-': tenant `abc-def` with
 * workload `ghi` and tenant `abc` with workload `def-ghi` would share one Auth0 application name
 * and one IAM role. Refuse any such collision.
 */
const composedNamesUnique: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  const owners = new Map<string, string>();
  const claim = (name: string, owner: string, path: string) => {
    const first = owners.get(name);
    if (first && first !== owner) {
      issues.push({
        path,
        message: `${owner} composes the name "${name}", as ${first} does: rename one of them (ids are joined with '-')`,
      });
    }
    if (!first) owners.set(name, owner);
  };
  config.tenants.forEach((tenant, t) => {
    tenant.workloads.forEach((workload, w) => {
      const owner = `tenant "${tenant.id}" workload "${workload.name}"`;
      claim(workloadResourceName(tenant.id, workload.name), owner, `tenants[${t}].workloads[${w}].name`);
      for (const [g, grant] of workload.grants.entries()) {
        const path = `tenants[${t}].workloads[${w}].grants[${g}].api`;
        claim(grantResourceName(tenant.id, workload.name, grant.api), owner, path);
      }
    });
  });
  return issues;
};

/** The characters Auth0 allows in client_metadata field names. */
const METADATA_KEY = /^[A-Za-z0-9:,\-+=_*?"/\\()<>@ \t]+$/;

function metadataIssues(
  at: string,
  tenantId: string,
  workload: string,
  extra: Readonly<Record<string, string>>,
): EnvironmentIssue[] {
  const issues: EnvironmentIssue[] = [];
  for (const key of Object.keys(extra)) {
    if (RESERVED_METADATA_KEYS.includes(key)) {
      issues.push({
        path: `${at}.metadata.${key}`,
        message: `"${key}" is set by this tool and cannot be overridden: remove it`,
      });
    } else if (key.length === 0 || key.length > CLIENT_METADATA_MAX_LENGTH || !METADATA_KEY.test(key)) {
      issues.push({
        path: `${at}.metadata`,
        message: `metadata key "${key.slice(0, 40)}" must be 1 to ${CLIENT_METADATA_MAX_LENGTH} characters of letters, digits, spaces and :,-+=_*?"/\\()<>@`,
      });
    }
  }
  const total = Object.keys(clientMetadata(tenantId, workload, extra)).length;
  if (total > CLIENT_METADATA_MAX_KEYS) {
    issues.push({
      path: `${at}.metadata`,
      message: `the client would carry ${total} metadata keys, over Auth0's ${CLIENT_METADATA_MAX_KEYS} (${RESERVED_METADATA_KEYS.length} are this tool's): remove ${total - CLIENT_METADATA_MAX_KEYS}`,
    });
  }
  return issues;
}

const bindings: RuleCheck = ({ credentialsExchange }) => {
  const issues: EnvironmentIssue[] = [];
  const list = credentialsExchange.bindings;
  const known: readonly string[] = PROJECT_ACTIONS;
  list.forEach((b, i) => {
    if ("action" in b && !known.includes(b.action)) {
      issues.push({
        path: `credentialsExchange.bindings[${i}].action`,
        message: `"${b.action}" is not one of this project's Actions (${known.join(", ")}); bind another team's Action by its {id, displayName}`,
      });
    }
  });
  for (const [i, name] of duplicates(
    list.filter((b) => "action" in b),
    (b) => ("action" in b ? b.action : ""),
  )) {
    issues.push({
      path: "credentialsExchange.bindings",
      message: `Action "${name}" is bound twice (binding ${i + 1} of this project's): bind it once`,
    });
  }
  for (const [i, id] of duplicates(
    list.filter((b) => "id" in b),
    (b) => ("id" in b ? b.id : ""),
  )) {
    issues.push({
      path: "credentialsExchange.bindings",
      message: `external Action id "${id}" is bound twice (external binding ${i + 1}): bind it once`,
    });
  }
  for (const action of known) {
    if (!list.some((b) => "action" in b && b.action === action)) {
      issues.push({
        path: "credentialsExchange.bindings",
        message: `this project's Action "${action}" is not bound, so tokens would lack tenant claims: add {action: ${action}}`,
      });
    }
  }
  const last = list.findLastIndex((b) => "action" in b && b.action === LAST_BOUND_ACTION);
  if (last !== -1 && last < list.length - 1) {
    const after = list
      .slice(last + 1)
      .map((b) => ("action" in b ? `"${b.action}"` : `"${b.displayName}" (${b.id})`));
    issues.push({
      path: `credentialsExchange.bindings[${last}]`,
      message: `"${LAST_BOUND_ACTION}" must be the last binding, but ${after.join(", ")} ${after.length > 1 ? "run" : "runs"} after it and could overwrite the tenant claims and the AWS session-tags claim it sets: move {action: ${LAST_BOUND_ACTION}} to the end of the list`,
    });
  }
  if (list.length > ACTIONS_PER_TRIGGER) {
    issues.push({
      path: "credentialsExchange.bindings",
      message: `Auth0 binds at most ${ACTIONS_PER_TRIGGER} Actions to a trigger; this list has ${list.length}`,
    });
  }
  return issues;
};

/** Every cross-field rule, in the order their findings are reported, with the parts it reads. */
export const RULES: readonly Rule[] = [
  { check: auth0Domains, reads: ["auth0.domain", "auth0.customDomain", "auth0.tokenDomain"] },
  { check: apis, reads: ["apis", "auth0.plan"] },
  { check: noManagementApi, reads: ["apis", "auth0.domain", "auth0.customDomain"] },
  { check: tenants, reads: ["tenants", "apis", "auth0.plan", "auth0.applicationLimit"] },
  ...KEY_RULES,
  { check: composedNamesUnique, reads: ["tenants"] },
  { check: bindings, reads: ["credentialsExchange"] },
  ...CLOUD_RULES,
  ...AWS_TENANT_RULES,
  ...AZURE_TENANT_RULES,
  ...GCP_TENANT_RULES,
];
