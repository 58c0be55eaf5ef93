import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { publicKeyProblem } from "../model/environment/public-key.ts";

/**
 * A new tenant as `m2m tenant add` is asked for it: one value per model field a user sets when
 * onboarding, in the flags' own syntax. Each field says which model field it fills; what the
 * values mean (scopes that exist, cloud targets the tenant owns) is judged by the model, not here.
 */
export interface OnboardingRequest {
  /** `tenants[].id`. */
  readonly id: string;
  /** `workloads[0].name`. */
  readonly workload: string;
  /** `workloads[0].description`. Default: none. */
  readonly description?: string;
  /** `workloads[0].grants`, each `<api key>=<scope>,<scope>`. At least one. */
  readonly grants: readonly string[];
  /** `workloads[0].authentication.method`. Default: the model's, client_secret_post (not written). */
  readonly method?: string;
  /** `authentication.keys`: files of RSA public keys (PEM), for private_key_jwt; 1 or 2. */
  readonly keyFiles: readonly string[];
  /** `workloads[0].metadata`, each `<key>=<value>`. Default: none. */
  readonly metadata: readonly string[];
  /** `workloads[0].tokenCredential.env`: the variable the workload's secret or key is read from. */
  readonly tokenEnv?: string;
  /** `workloads[0].tokenCredential.file`: the file it is read from. */
  readonly tokenFile?: string;
  /** `workloads[0].aws.managedPolicyArns`. */
  readonly awsManagedPolicies: readonly string[];
  /** `workloads[0].aws.inlinePolicy`: a file holding the IAM policy document (JSON or YAML). */
  readonly awsInlinePolicyFile?: string;
  /** `workloads[0].aws.maxSessionDuration`, in seconds (3600 to 43200). */
  readonly awsMaxSessionDuration?: string;
  /** `workloads[0].gcp.roles`, each `<role>:<target>=<name>` (see GCP_GRANT_SYNTAX). */
  readonly gcpRoles: readonly string[];
  /** `workloads[0].gcp.impersonateServiceAccount`. */
  readonly gcpImpersonate: boolean;
  /** `tenants[].gcp.serviceAccountRoles`: roles of the tenant's service account, as gcpRoles. */
  readonly gcpServiceAccountRoles: readonly string[];
  /** `tenants[].azure.roleAssignments`, each `<roleDefinitionId>:scope=<resource id>` (see AZURE_ASSIGNMENT_SYNTAX). */
  readonly azureRoleAssignments: readonly string[];
}

/** A flag value that does not say what it must; the message names the flag and the syntax. */
export class OnboardingError extends Error {
  override readonly name = "OnboardingError";
}

/** How `--gcp-role` and `--gcp-service-account-role` are written. */
export const GCP_GRANT_SYNTAX =
  "<role>:<bucket|dataset|topic|secret>=<name>[:permissions=<p>,<p>] or <role>:project";

/** How `--azure-role-assignment` is written. */
export const AZURE_ASSIGNMENT_SYNTAX =
  "<roleDefinitionId>:scope=<resource id>[:actions=<a>,<a>][:dataActions=<a>,<a>]";

export const AUTHENTICATION_METHODS = [
  "client_secret_post",
  "client_secret_basic",
  "private_key_jwt",
] as const;

/** `a=b` split at the first `=`, both sides trimmed and non-empty. */
function assignment(value: string, flag: string, syntax: string): [string, string] {
  const at = value.indexOf("=");
  const key = value.slice(0, at).trim();
  const rest = value.slice(at + 1).trim();
  if (at === -1 || !key || !rest)
    throw new OnboardingError(`${flag} ${JSON.stringify(value)}: write it as ${syntax}`);
  return [key, rest];
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function grantOf(value: string): { api: string; scopes: string[] } {
  const [api, scopes] = assignment(value, "--grant", "<api>=<scope>,<scope> (e.g. orders=orders:read)");
  return { api, scopes: list(scopes) };
}

/**
 * `<head>:<key>=<value>:...` into `{[headName]: head, key: value, ...}`, keys limited to `keys`
 * (lists split at commas) and `flags` (a bare key meaning true).
 */
function targeted(
  value: string,
  flag: string,
  syntax: string,
  headName: string,
  keys: {
    readonly single: readonly string[];
    readonly lists: readonly string[];
    readonly flags: readonly string[];
  },
): Record<string, unknown> {
  const [head, ...parts] = value.split(":").map((part) => part.trim());
  if (!head) throw new OnboardingError(`${flag} ${JSON.stringify(value)}: write it as ${syntax}`);
  const result: Record<string, unknown> = { [headName]: head };
  for (const part of parts) {
    if (keys.flags.includes(part)) {
      result[part] = true;
      continue;
    }
    const [key, rest] = assignment(part, flag, syntax);
    if (keys.single.includes(key)) result[key] = rest;
    else if (keys.lists.includes(key)) result[key] = list(rest);
    else
      throw new OnboardingError(`${flag} ${JSON.stringify(value)}: unknown "${key}"; write it as ${syntax}`);
  }
  return result;
}

function gcpGrantOf(value: string, flag: string): Record<string, unknown> {
  return targeted(value, flag, GCP_GRANT_SYNTAX, "role", {
    single: ["bucket", "dataset", "topic", "secret"],
    lists: ["permissions"],
    flags: ["project"],
  });
}

function azureAssignmentOf(value: string): Record<string, unknown> {
  return targeted(value, "--azure-role-assignment", AZURE_ASSIGNMENT_SYNTAX, "roleDefinitionId", {
    single: ["scope"],
    lists: ["actions", "dataActions"],
    flags: [],
  });
}

/** A key file's public key, named after the file; a private key is refused without being echoed. */
function publicKeyOf(file: string): { name: string; pem: string } {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch {
    throw new OnboardingError(`--key ${file}: cannot read the file`);
  }
  const problem = publicKeyProblem(pem);
  if (problem) throw new OnboardingError(`--key ${file}: ${problem}`);
  // analytics-2026-11.pub.pem -> analytics-2026-11
  const name = path.basename(file).replace(/(\.(pem|pub|crt|cer|key|txt))+$/i, "");
  return { name, pem: pem.endsWith("\n") ? pem : `${pem}\n` };
}

function policyDocumentOf(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new OnboardingError(`--aws-inline-policy ${file}: cannot read the file`);
  }
  try {
    return parse(text);
  } catch (error) {
    throw new OnboardingError(
      `--aws-inline-policy ${file}: not a JSON or YAML policy document (${(error as Error).message.split("\n")[0]})`,
    );
  }
}

function authenticationOf(request: OnboardingRequest): Record<string, unknown> | undefined {
  const method = request.method ?? (request.keyFiles.length > 0 ? "private_key_jwt" : undefined);
  if (method === undefined) return undefined;
  if (!(AUTHENTICATION_METHODS as readonly string[]).includes(method))
    throw new OnboardingError(`--method ${method}: use one of ${AUTHENTICATION_METHODS.join(", ")}`);
  if (method !== "private_key_jwt") {
    if (request.keyFiles.length > 0)
      throw new OnboardingError(`--key goes with --method private_key_jwt, not ${method}`);
    return { method };
  }
  if (request.keyFiles.length === 0)
    throw new OnboardingError(
      "--method private_key_jwt needs --key FILE: the workload's RSA public key (PEM), once or twice to rotate",
    );
  return { method, keys: request.keyFiles.map(publicKeyOf) };
}

/**
 * The tenant `m2m tenant add` appends: one workload, with only the fields the request sets
 * (the model's defaults stay implicit, as a hand-written stack file leaves them). Flag syntax
 * is checked here; everything else by the model, against the whole environment.
 */
export function tenantFromRequest(request: OnboardingRequest): Record<string, unknown> {
  if (request.grants.length === 0)
    throw new OnboardingError(
      "give at least one --grant <api>=<scope>,<scope>: a workload without a grant can get no token",
    );
  if (request.tokenEnv !== undefined && request.tokenFile !== undefined)
    throw new OnboardingError(
      "give --token-env or --token-file, not both: the workload reads its secret from one place",
    );
  const authentication = authenticationOf(request);
  const metadata = Object.fromEntries(
    request.metadata.map((entry) => assignment(entry, "--metadata", "<key>=<value> (e.g. team=payments)")),
  );
  const aws: Record<string, unknown> = {};
  if (request.awsManagedPolicies.length > 0) aws.managedPolicyArns = [...request.awsManagedPolicies];
  if (request.awsInlinePolicyFile !== undefined)
    aws.inlinePolicy = policyDocumentOf(request.awsInlinePolicyFile);
  if (request.awsMaxSessionDuration !== undefined) {
    const seconds = Number(request.awsMaxSessionDuration);
    if (!Number.isInteger(seconds))
      throw new OnboardingError(
        `--aws-max-session-duration ${request.awsMaxSessionDuration}: give whole seconds, 3600 to 43200`,
      );
    aws.maxSessionDuration = seconds;
  }
  const gcp: Record<string, unknown> = {};
  if (request.gcpRoles.length > 0) gcp.roles = request.gcpRoles.map((role) => gcpGrantOf(role, "--gcp-role"));
  if (request.gcpImpersonate) gcp.impersonateServiceAccount = true;

  const workload: Record<string, unknown> = { name: request.workload };
  if (request.description !== undefined) workload.description = request.description;
  workload.grants = request.grants.map(grantOf);
  if (authentication) workload.authentication = authentication;
  if (Object.keys(metadata).length > 0) workload.metadata = metadata;
  if (Object.keys(aws).length > 0) workload.aws = aws;
  if (Object.keys(gcp).length > 0) workload.gcp = gcp;
  if (request.tokenEnv !== undefined) workload.tokenCredential = { env: request.tokenEnv };
  if (request.tokenFile !== undefined) workload.tokenCredential = { file: request.tokenFile };

  const tenant: Record<string, unknown> = { id: request.id, workloads: [workload] };
  if (request.gcpServiceAccountRoles.length > 0)
    tenant.gcp = {
      serviceAccountRoles: request.gcpServiceAccountRoles.map((role) =>
        gcpGrantOf(role, "--gcp-service-account-role"),
      ),
    };
  if (request.azureRoleAssignments.length > 0)
    tenant.azure = { roleAssignments: request.azureRoleAssignments.map(azureAssignmentOf) };
  return tenant;
}
