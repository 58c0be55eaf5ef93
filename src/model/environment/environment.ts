import type { z } from "zod";
import { type TenantClaimNames, tenantClaimNames } from "../contract/claims.ts";
import { EnvironmentError, type EnvironmentIssue, formatPath } from "./errors.ts";
import { issuerOf } from "./issuer.ts";
import { environmentNameProblem } from "./names.ts";
import { ruleIssues } from "./rule.ts";
import { RULES } from "./rules.ts";
import { salvage } from "./salvage.ts";
import { type EnvironmentConfig, environmentSchema } from "./schema.ts";

/**
 * A validated environment: the stack's `m2m:environment` value with defaults applied, plus the
 * values every face of the tool derives from it in the same way.
 */
export interface Environment extends EnvironmentConfig {
  /** The environment's name: the Pulumi stack name (dev, staging, prod). */
  readonly name: string;
  /** The `iss` of every token the environment issues, with its trailing slash. */
  readonly issuer: string;
  /** The tenant claim names under the environment's claim namespace. */
  readonly claims: TenantClaimNames;
}

/** The config key that holds the environment in a stack file. */
export const ENVIRONMENT_CONFIG_KEY = "m2m:environment";

/**
 * Validates a stack's `m2m:environment` value and returns the environment, or throws an
 * EnvironmentError listing every violation: the stack name's, the schema's, then the rules'
 * (relations between fields), the rules run on whatever parts of a refused value parsed
 * (salvage.ts). Pure: callers create nothing until it returns.
 *
 * @param issuerOverride the issuer to use instead of the Auth0 one, for the local environment,
 *   which serves the same desired state from its own URL.
 */
export function parseEnvironment(raw: unknown, stackName: string, issuerOverride?: string): Environment {
  const nameProblem = environmentNameProblem(stackName);
  const nameIssues: EnvironmentIssue[] = nameProblem ? [{ path: "(stack name)", message: nameProblem }] : [];
  if (raw === undefined || raw === null) {
    throw new EnvironmentError(stackName, [
      ...nameIssues,
      {
        path: "",
        message: `the stack has no ${ENVIRONMENT_CONFIG_KEY} value: add it to Pulumi.${stackName}.yaml (see the README's "Configuring a stack")`,
      },
    ]);
  }
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const checkable = salvage(raw);
    const findings = checkable
      ? ruleIssues(RULES, checkable.config, stackName, checkable.broken).map(checkable.renumber)
      : [];
    throw new EnvironmentError(stackName, [...nameIssues, ...parsed.error.issues.map(toIssue), ...findings]);
  }
  const issues = [...nameIssues, ...ruleIssues(RULES, parsed.data, stackName)];
  if (issues.length > 0) throw new EnvironmentError(stackName, issues);
  return {
    ...parsed.data,
    name: stackName,
    issuer: issuerOverride ?? issuerOf(parsed.data.auth0),
    claims: tenantClaimNames(parsed.data.claimNamespace),
  };
}

/** What to write where a required field is missing, when "add it" is not enough. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  credentialsExchange:
    "is required: list the credentials-exchange trigger's whole binding list, at least `bindings: [{action: tenant-claims}]`, plus every Action other teams bound there ({id, displayName}); binding replaces whatever is bound",
  "auth0.domain": "is required: the Auth0 tenant's canonical domain, e.g. acme-dev.eu.auth0.com",
  claimNamespace: "is required: an https URL you own ending in '/', e.g. https://claims.example.com/",
};

function toIssue(issue: z.core.$ZodIssue): EnvironmentIssue {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? { path, message: REQUIRED_HINTS[path] ?? `is required: add ${withArticle(issue.expected)} here` }
        : { path, message: `must be ${withArticle(issue.expected)}, not ${describe(issue.input)}` };
    case "unrecognized_keys":
      return {
        path,
        message: `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove or correct the spelling`,
      };
    case "invalid_value":
      return {
        path,
        message: `is ${describe(issue.input)}; use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    default:
      return { path, message: issue.message };
  }
}

/** "an array", "a string": the expected type as a message says it. */
function withArticle(type: string): string {
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}
