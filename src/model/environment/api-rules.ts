/** Rules over the Auth0 domains and the APIs. */

import { managementApiAudience } from "../contract/management-api.ts";
import type { EnvironmentIssue } from "./errors.ts";
import {
  API_LIMIT,
  AZURE_TOKEN_EXCHANGE_AUDIENCE,
  GCP_MAX_TOKEN_LIFETIME,
  SCOPES_PER_API,
} from "./limits.ts";
import { duplicates, type Rule, type RuleCheck } from "./rule.ts";

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

/** The API rules, in the order their findings are reported, with the parts each reads. */
export const API_RULES: readonly Rule[] = [
  { check: auth0Domains, reads: ["auth0.domain", "auth0.customDomain", "auth0.tokenDomain"] },
  { check: apis, reads: ["apis", "auth0.plan"] },
  { check: noManagementApi, reads: ["apis", "auth0.domain", "auth0.customDomain"] },
];
