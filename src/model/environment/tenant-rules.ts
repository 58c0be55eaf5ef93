/** Rules over tenants, their workloads, grants and metadata, and the names they compose. */

import { isTenantId, isWorkloadName } from "../contract/tenant-id.ts";
import { clientMetadata, RESERVED_METADATA_KEYS } from "./client-metadata.ts";
import { cloudsOf } from "./clouds.ts";
import type { EnvironmentIssue } from "./errors.ts";
import { APPLICATION_LIMIT, CLIENT_METADATA_MAX_KEYS, CLIENT_METADATA_MAX_LENGTH } from "./limits.ts";
import { ENVIRONMENT_NAME_PATTERN, grantResourceName, workloadNames, workloadResourceName } from "./names.ts";
import { duplicates, type Rule, type RuleCheck } from "./rule.ts";

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

/** Tenants, workloads, grants and metadata against the APIs and Auth0's limits. */
export const TENANTS_RULE: Rule = {
  check: tenants,
  reads: ["tenants", "apis", "auth0.plan", "auth0.applicationLimit"],
};

/** No two workloads compose one resource name. */
export const COMPOSED_NAMES_RULE: Rule = { check: composedNamesUnique, reads: ["tenants"] };
