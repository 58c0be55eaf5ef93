import { createHash } from "node:crypto";
import { actionConstants, bundleAction } from "../bundle/action-bundle.ts";
import {
  apiSettings,
  WORKLOAD_CLIENT_SETTINGS,
  workloadDescription,
} from "../model/environment/auth0-settings.ts";
import { triggerBindings } from "../model/environment/bindings.ts";
import { clientMetadata } from "../model/environment/client-metadata.ts";
import type { Environment } from "../model/environment/environment.ts";
import { auth0ClientName, workloadKey } from "../model/environment/names.ts";
import { deployedActionName } from "../model/environment/project-actions.ts";
import { grantsByClient, type LiveClient, type LiveTenant } from "./live-tenant.ts";
import { isManaged, managedByWorkload } from "./managed-clients.ts";

/** What differs between the model and the live tenant. */
export type DriftKind = "missing" | "extra" | "changed";

/** One difference, named precisely, with what `pulumi up --refresh` does about it. */
export interface DriftFinding {
  readonly kind: DriftKind;
  /** What it is about: `application m2m-dev-globex-billing (globex/billing)`, `grant ...`, `API ...`. */
  readonly subject: string;
  /** What differs: the model's value and the tenant's. */
  readonly detail: string;
  /** What `pulumi up --refresh` would do (a plain `pulumi up` does not see it). */
  readonly refresh: string;
}

/** The whole comparison. */
export interface DriftReport {
  readonly version: 1;
  readonly tenant: string;
  readonly findings: readonly DriftFinding[];
  /** Applications without the marker: other teams', Pulumi's own, the local management application. */
  readonly information: readonly string[];
}

/** A short digest of Action code, as drift shows it. */
export function codeHash(code: string): string {
  return createHash("sha256").update(code).digest("hex").slice(0, 12);
}

const list = (values: readonly string[]) => (values.length > 0 ? values.join(", ") : "(none)");
function sortedEqual(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

function difference(model: readonly string[], live: readonly string[]): string {
  const adds = model.filter((s) => !live.includes(s));
  const removes = live.filter((s) => !model.includes(s));
  return [removes.length ? `removes ${removes.join(" ")}` : "", adds.length ? `adds ${adds.join(" ")}` : ""]
    .filter(Boolean)
    .join(", ");
}

/**
 * The live tenant against the model: applications carrying the `managed_by` marker (missing,
 * extra, or with another name, type, grant types, metadata, authentication or keys), their grants
 * and scopes, the model's APIs (scopes and settings), this project's Actions (deployed code by
 * bundle hash) and the credentials-exchange binding order. Applications without the marker are
 * listed as information only.
 */
export function driftReport(
  env: Environment,
  live: LiveTenant,
  options: { readonly tenant: string; readonly managementClientId: string },
): DriftReport {
  const findings: DriftFinding[] = [];
  const add = (kind: DriftKind, subject: string, detail: string, refresh: string) =>
    findings.push({ kind, subject, detail, refresh });
  const managed = managedByWorkload(live);
  const grantsOf = grantsByClient(live);
  const apiByKey = new Map(env.apis.map((a) => [a.key, a]));
  const liveApis = new Map(live.apis.map((a) => [a.identifier, a]));

  const expected = new Set<string>();
  for (const tenant of env.tenants)
    for (const workload of tenant.workloads) {
      const key = workloadKey(tenant.id, workload.name);
      expected.add(key);
      const name = auth0ClientName(env.name, tenant.id, workload.name).value;
      const found = managed.get(key) ?? [];
      const subject = `application ${name} (${key})`;
      if (found.length === 0) {
        add(
          "missing",
          subject,
          "no application carries its managed_by marker and tenant_id/workload metadata",
          "Pulumi sees it deleted and creates it again: a new client id and secret, which the workload must be given",
        );
        continue;
      }
      const [client, ...others] = found as [LiveClient, ...LiveClient[]];
      for (const other of others)
        add(
          "extra",
          `application ${other.name} (${other.clientId})`,
          `a second application claims ${key} in its metadata`,
          "Pulumi does not track it: it stays, and the tenant-claims Action gives its tokens this workload's claims; delete it",
        );
      compareClient(env, client, { tenantId: tenant.id, workload }, subject, add);
      const grants = grantsOf.get(client.clientId) ?? [];
      const granted = new Set<string>();
      for (const grant of workload.grants) {
        const audience = apiByKey.get(grant.api)?.identifier ?? grant.api;
        granted.add(audience);
        const liveGrant = grants.find((g) => g.audience === audience);
        const grantSubject = `grant of ${key} to ${audience}`;
        if (!liveGrant)
          add("missing", grantSubject, `the model grants ${list(grant.scopes)}`, "creates the grant again");
        else if (!sortedEqual(grant.scopes, liveGrant.scopes))
          add(
            "changed",
            grantSubject,
            `scopes are ${list(liveGrant.scopes)}; the model has ${list(grant.scopes)}`,
            `sets the scopes back (${difference(grant.scopes, liveGrant.scopes)})`,
          );
      }
      for (const extra of grants.filter((g) => !granted.has(g.audience)))
        add(
          "extra",
          `grant of ${key} to ${extra.audience}`,
          `scopes ${list(extra.scopes)}, not in the model`,
          "Pulumi does not track it: it stays after pulumi up; delete it, or add the grant to the model",
        );
    }
  for (const [key, clients] of managed) {
    if (expected.has(key)) continue;
    for (const client of clients)
      add(
        "extra",
        `application ${client.name} (${client.clientId})`,
        `marked as managed (${key}) but not in the model`,
        "if this stack's state holds it, pulumi up deletes it; otherwise it stays until deleted by hand",
      );
  }

  for (const api of env.apis) {
    const liveApi = liveApis.get(api.identifier);
    const subject = `API ${api.identifier} (${api.key})`;
    if (!liveApi) {
      add("missing", subject, "no API with this identifier", "creates it again, with its scopes");
      continue;
    }
    const settings: [string, unknown, unknown][] = [
      ["name", api.name, liveApi.name],
      ["signing_alg", api.signingAlg, liveApi.signingAlg],
      ["token_lifetime", api.tokenLifetime, liveApi.tokenLifetime],
      ["token_dialect", api.tokenDialect, liveApi.tokenDialect],
      ["enforce_policies", apiSettings(api).enforcePolicies, liveApi.enforcePolicies],
      ["allow_offline_access", apiSettings(api).allowOfflineAccess, liveApi.allowOfflineAccess],
      [
        "skip_consent_for_verifiable_first_party_clients",
        apiSettings(api).skipConsentForVerifiableFirstPartyClients,
        liveApi.skipConsentForVerifiableFirstPartyClients,
      ],
    ];
    for (const [field, model, actual] of settings)
      if (model !== actual)
        add(
          "changed",
          subject,
          `${field} is ${String(actual)}; the model has ${String(model)}`,
          `sets ${field} back to ${String(model)}`,
        );
    const modelScopes = api.scopes.map((s) => `${s.value}${s.description ? ` (${s.description})` : ""}`);
    const liveScopes = liveApi.scopes.map((s) => `${s.value}${s.description ? ` (${s.description})` : ""}`);
    if (!sortedEqual(modelScopes, liveScopes))
      add(
        "changed",
        subject,
        `scopes are ${list(liveApi.scopes.map((s) => s.value))}; the model has ${list(api.scopes.map((s) => s.value))}`,
        `ResourceServerScopes sets the whole list back (${difference(modelScopes, liveScopes)})`,
      );
  }

  const constants = actionConstants(env);
  const bindings = triggerBindings(env);
  const actionsById = new Map(live.actions.map((a) => [a.id, a]));
  const expectedOrder: string[] = [];
  for (const binding of bindings) {
    if (binding.kind === "external") {
      expectedOrder.push(`${binding.displayName} (${binding.id})`);
      continue;
    }
    const name = deployedActionName(binding.action);
    expectedOrder.push(name);
    const action = live.actions.find((a) => a.name === name);
    const subject = `Action ${name}`;
    if (!action) {
      add(
        "missing",
        subject,
        "no Action of this name on the credentials-exchange trigger",
        "creates and deploys it again",
      );
      continue;
    }
    const want = codeHash(bundleAction(binding.action, constants).code);
    const have = codeHash(action.code);
    if (!action.deployed) add("changed", subject, "it has no deployed version", "deploys the bundled code");
    else if (want !== have)
      add(
        "changed",
        subject,
        `deployed code has bundle hash ${have}; the model's bundle is ${want}`,
        "deploys the bundled code again",
      );
  }
  const liveOrder = live.bindings.map((b) => {
    const action = actionsById.get(b.actionId);
    const external = bindings.find((x) => x.kind === "external" && x.id === b.actionId);
    return external?.kind === "external"
      ? `${external.displayName} (${external.id})`
      : (action?.name ?? b.displayName);
  });
  if (liveOrder.join("\n") !== expectedOrder.join("\n"))
    add(
      "changed",
      "credentials-exchange binding list",
      `bound in order ${list(liveOrder)}; the model binds ${list(expectedOrder)}`,
      `TriggerActions sets the whole list back to ${list(expectedOrder)} (bindings it does not list are removed)`,
    );

  const information = live.clients
    .filter((c) => !isManaged(c))
    .map(
      (c) =>
        `${c.name} (${c.clientId})${c.clientId === options.managementClientId ? ": the application this command signed in as" : ""}: not marked managed_by, not compared`,
    );
  return { version: 1, tenant: options.tenant, findings, information };
}

function compareClient(
  env: Environment,
  client: LiveClient,
  owner: { tenantId: string; workload: Environment["tenants"][number]["workloads"][number] },
  subject: string,
  add: (kind: DriftKind, subject: string, detail: string, refresh: string) => void,
): void {
  const { tenantId, workload } = owner;
  const name = auth0ClientName(env.name, tenantId, workload.name).value;
  if (client.name !== name)
    add("changed", subject, `its name is ${client.name}`, `renames it back to ${name}`);
  const description = workloadDescription(env.name, { id: tenantId }, workload);
  if (client.description !== description)
    add(
      "changed",
      subject,
      `its description is ${JSON.stringify(client.description)}`,
      `sets the description back to ${JSON.stringify(description)}`,
    );
  const { appType, grantTypes } = WORKLOAD_CLIENT_SETTINGS;
  if (client.appType !== appType)
    add("changed", subject, `app_type is ${client.appType || "(none)"}`, `sets app_type back to ${appType}`);
  if (!sortedEqual(client.grantTypes, grantTypes))
    add(
      "changed",
      subject,
      `grant_types are ${list(client.grantTypes)}`,
      `sets grant_types back to ${list(grantTypes)}`,
    );
  const metadata = clientMetadata(tenantId, workload.name, workload.metadata);
  const keys = [...new Set([...Object.keys(metadata), ...Object.keys(client.metadata)])].sort();
  for (const key of keys)
    if (metadata[key] !== client.metadata[key])
      add(
        "changed",
        subject,
        `client_metadata.${key} is ${client.metadata[key] === undefined ? "(absent)" : JSON.stringify(client.metadata[key])}; the model has ${metadata[key] === undefined ? "(absent)" : JSON.stringify(metadata[key])}`,
        metadata[key] === undefined ? `removes client_metadata.${key}` : `sets client_metadata.${key} back`,
      );
  const auth = workload.authentication;
  if (client.authMethod !== auth.method)
    add(
      "changed",
      subject,
      `authenticates with ${client.authMethod || "(none)"}; the model has ${auth.method}`,
      `ClientCredentials sets ${auth.method} back`,
    );
  else if (auth.method === "private_key_jwt") {
    const model = auth.keys.map((k) => `${k.name}/${k.algorithm}`);
    const actual = client.credentials.map((k) => `${k.name}/${k.alg}`);
    if (!sortedEqual(model, actual))
      add(
        "changed",
        subject,
        `public keys are ${list(actual)}; the model has ${list(model)}`,
        "ClientCredentials sets the key list back",
      );
  }
}

/** The report as a user reads it. */
export function renderDrift(report: DriftReport): string {
  const lines = [`Drift of ${report.tenant} against the model`];
  if (report.findings.length === 0) lines.push("", "No drift: the tenant is as the model says.");
  else {
    lines.push(
      "",
      `${report.findings.length} difference${report.findings.length > 1 ? "s" : ""} (a plain pulumi up ignores changes made outside Pulumi; pulumi up --refresh reads them first):`,
    );
    for (const f of report.findings) {
      lines.push(
        `  ${f.kind.padEnd(8)} ${f.subject}`,
        `           ${f.detail}`,
        `           pulumi up --refresh: ${f.refresh}`,
      );
    }
  }
  if (report.information.length > 0) {
    lines.push("", "Not managed by this tool (information):");
    for (const line of report.information) lines.push(`  ${line}`);
  }
  return lines.join("\n");
}
