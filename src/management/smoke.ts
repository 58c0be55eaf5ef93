import { createPrivateKey, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignJWT } from "jose";
import { tokenEndpointOf } from "../model/contract/endpoints.ts";
import { cloudApi } from "../model/environment/clouds.ts";
import type { Environment } from "../model/environment/environment.ts";
import { workloadKey } from "../model/environment/names.ts";
import { deployedActionName, PROJECT_ACTIONS } from "../model/environment/project-actions.ts";
import type { ApiConfig, WorkloadConfig } from "../model/environment/schema.ts";
import { issuedClaims } from "../model/trust/token-claims.ts";
import { environmentTargets, type Targets } from "../verify/targets.ts";
import { type KeySource, readJwt } from "../verify/token-input.ts";
import { verifyClaims, verifyExitCode } from "../verify/verdicts.ts";
import { grantsByClient, type LiveClient, type LiveGrant, type LiveTenant } from "./live-tenant.ts";
import { managedByWorkload } from "./managed-clients.ts";

/** One granted API of one workload: did the tenant issue what the model promises? */
export interface SmokeRow {
  readonly api: string;
  readonly outcome: "ok" | "miss" | "skipped";
  /** What happened: the token's verdict, or why there is none. */
  readonly detail: string;
}

/** A tenant-wide check: what it is about, and how it came out. */
export interface SmokeCheck {
  readonly check: string;
  readonly outcome: "ok" | "miss";
  readonly detail: string;
}

/** One workload's table. */
export interface SmokeWorkload {
  readonly workload: string;
  readonly clientId?: string;
  readonly rows: readonly SmokeRow[];
}

export interface SmokeReport {
  readonly version: 1;
  readonly tenant: string;
  /** Tenant-wide checks (this project's Actions bound), each a miss when failed. */
  readonly checks: readonly SmokeCheck[];
  readonly workloads: readonly SmokeWorkload[];
}

/** What smoke needs besides the model and the live tenant. */
export interface SmokeContext {
  readonly tenant: string;
  /** Sends token requests to the tenant (mapped to the local origin with --local). */
  readonly fetch: typeof fetch;
  readonly keys: KeySource;
  readonly local: boolean;
  /** Where a workload's `tokenCredential` env is read. Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly nowS?: () => number;
}

/** The claims the model promises that differ in the token (`exp`, `iat` and `jti` as issued). */
function claimMismatches(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const have = actual[name];
    const same =
      name === "scope"
        ? String(have ?? "")
            .split(" ")
            .sort()
            .join(" ") === String(want).split(" ").sort().join(" ")
        : JSON.stringify(have) === JSON.stringify(want);
    if (!same)
      out.push(`${name} is ${JSON.stringify(have) ?? "absent"}, the model promises ${JSON.stringify(want)}`);
  }
  return out;
}

/** The private key of a private_key_jwt workload, from its tokenCredential; undefined without one. */
function privateKeyOf(
  workload: WorkloadConfig,
  environment: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const source = workload.tokenCredential;
  if (!source) return undefined;
  if ("env" in source) return environment[source.env] || undefined;
  try {
    return readFileSync(source.file, "utf8");
  } catch {
    return undefined;
  }
}

type TokenAttempt = { token: string } | { skipped: string } | { miss: string };

async function requestToken(
  env: Environment,
  client: LiveClient,
  workload: WorkloadConfig,
  api: ApiConfig,
  context: SmokeContext,
): Promise<TokenAttempt> {
  const body: Record<string, string> = { grant_type: "client_credentials", audience: api.identifier };
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (client.authMethod === "private_key_jwt") {
    const pem = privateKeyOf(workload, context.environment ?? process.env);
    if (!pem)
      return {
        skipped: `private_key_jwt: no private key (set the workload's tokenCredential and make its ${workload.tokenCredential ? "source" : "env or file"} readable here)`,
      };
    const alg =
      workload.authentication.method === "private_key_jwt"
        ? (workload.authentication.keys[0]?.algorithm ?? "RS256")
        : "RS256";
    const nowS = Math.floor(Date.now() / 1000);
    body.client_assertion_type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    body.client_assertion = await new SignJWT({})
      .setProtectedHeader({ alg })
      .setIssuer(client.clientId)
      .setSubject(client.clientId)
      .setAudience(env.issuer)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 60)
      .setJti(randomUUID())
      .sign(createPrivateKey(pem));
  } else {
    if (!client.clientSecret)
      return {
        miss: "the Management API returned no client secret (the application needs read:client_keys)",
      };
    if (client.authMethod === "client_secret_basic")
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;
    else {
      body.client_id = client.clientId;
      body.client_secret = client.clientSecret;
    }
  }
  const response = await context.fetch(tokenEndpointOf(env.issuer), {
    method: "POST",
    headers,
    body: new URLSearchParams(body).toString(),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status !== 200 || typeof answer.access_token !== "string")
    return {
      miss: `no token: ${response.status} ${String(answer.error ?? "")} ${String(answer.error_description ?? "")}`.trim(),
    };
  return { token: answer.access_token };
}

async function smokeApi(
  env: Environment,
  client: LiveClient,
  owner: { tenantId: string; workload: WorkloadConfig },
  api: ApiConfig,
  grants: readonly LiveGrant[],
  targets: Targets,
  context: SmokeContext,
): Promise<SmokeRow> {
  const grant = owner.workload.grants.find((g) => g.api === api.key);
  const liveGrant = grants.find((g) => g.audience === api.identifier);
  if (!liveGrant) return { api: api.key, outcome: "miss", detail: `no client grant to ${api.identifier}` };
  const attempt = await requestToken(env, client, owner.workload, api, context);
  if ("skipped" in attempt) return { api: api.key, outcome: "skipped", detail: attempt.skipped };
  if ("miss" in attempt) return { api: api.key, outcome: "miss", detail: attempt.miss };
  let read: Awaited<ReturnType<typeof readJwt>>;
  try {
    read = await readJwt(attempt.token, context.keys);
  } catch (error) {
    return { api: api.key, outcome: "miss", detail: (error as Error).message };
  }
  const claims = read.claims as Record<string, unknown>;
  const expected = issuedClaims(env, {
    tenantId: owner.tenantId,
    workload: owner.workload.name,
    clientId: client.clientId,
    api,
    scopes: grant?.scopes ?? [],
    iat: Number(claims.iat),
    ...(typeof claims.jti === "string" ? { jti: claims.jti } : {}),
  });
  const mismatches = claimMismatches(expected, claims);
  if (mismatches.length > 0) return { api: api.key, outcome: "miss", detail: mismatches.join("; ") };
  const cloud = (["aws", "gcp", "azure"] as const).find(
    (c) => cloudApi(env, c)?.identifier === api.identifier,
  );
  if (!cloud) return { api: api.key, outcome: "ok", detail: "token with the claims the model promises" };
  const nowS = context.nowS?.() ?? Math.floor(Date.now() / 1000);
  const report = verifyClaims(env, targets, read.claims, read.form, { nowS, local: context.local });
  const code = verifyExitCode(report);
  const entries = [...report.aws, ...report.gcp, ...report.azure];
  const breach = entries.some((e) => !e.own && e.allowed);
  // A grant to a cloud's API with no access there (no role, binding or credential): nothing of its own to accept it.
  if (!breach && !entries.some((e) => e.own))
    return {
      api: api.key,
      outcome: "ok",
      detail: `claims as promised; the model gives it no ${cloud} target, and no other workload's accepts it`,
    };
  if (code === 0)
    return {
      api: api.key,
      outcome: "ok",
      detail: `claims as promised; ${cloud} accepts it at its own target${entries.filter((e) => e.own).length > 1 ? "s" : ""} only`,
    };
  const why = entries
    .filter((e) => (e.own && !e.allowed) || (!e.own && e.allowed))
    .map((e) =>
      e.own
        ? `own ${e.target} refuses it: ${e.reasons.join(", ")}`
        : `ANOTHER workload's ${e.target} (${e.tenant}/${e.workload}) accepts it`,
    );
  return { api: api.key, outcome: "miss", detail: [...why, ...report.notes].join("; ") || "not accepted" };
}

/**
 * `m2m smoke`: for every tenant workload of the model, its live application and grants, a token
 * for each granted API requested as the workload requests it (its secret read through the
 * Management API; private_key_jwt with the key its tokenCredential names, skipped without),
 * checked against the claims the model promises, and for cloud APIs verified as `m2m verify`
 * does: each cloud target of the workload accepts it, and no other workload's does.
 */
export async function smoke(env: Environment, live: LiveTenant, context: SmokeContext): Promise<SmokeReport> {
  const managed = managedByWorkload(live);
  const grantsOf = grantsByClient(live);
  const ids: Record<string, string> = {};
  for (const [key, clients] of managed) if (clients[0]) ids[key] = clients[0].clientId;
  const targets = environmentTargets(env, ids);
  const boundNames = new Set(
    live.bindings.map((b) => live.actions.find((a) => a.id === b.actionId)?.name ?? b.displayName),
  );
  const checks: SmokeCheck[] = PROJECT_ACTIONS.map((action) => {
    const name = `Action ${deployedActionName(action)}`;
    return boundNames.has(deployedActionName(action))
      ? { check: name, outcome: "ok", detail: "bound to credentials-exchange" }
      : {
          check: name,
          outcome: "miss",
          detail: "not bound to credentials-exchange: tokens carry no tenant claims",
        };
  });
  const apis = new Map(env.apis.map((a) => [a.key, a]));
  const workloads: SmokeWorkload[] = [];
  for (const tenant of env.tenants)
    for (const workload of tenant.workloads) {
      const key = workloadKey(tenant.id, workload.name);
      const client = managed.get(key)?.[0];
      if (!client) {
        workloads.push({
          workload: key,
          rows: [
            {
              api: "(application)",
              outcome: "miss",
              detail: "no application carries its managed_by marker and metadata",
            },
          ],
        });
        continue;
      }
      const rows: SmokeRow[] = [];
      for (const grant of workload.grants) {
        const api = apis.get(grant.api);
        if (api)
          rows.push(
            await smokeApi(
              env,
              client,
              { tenantId: tenant.id, workload },
              api,
              grantsOf.get(client.clientId) ?? [],
              targets,
              context,
            ),
          );
      }
      workloads.push({ workload: key, clientId: client.clientId, rows });
    }
  return { version: 1, tenant: context.tenant, checks, workloads };
}

/** Whether the report has a miss (exit 1). */
export function smokeMissed(report: SmokeReport): boolean {
  return [...report.checks, ...report.workloads.flatMap((w) => w.rows)].some((r) => r.outcome === "miss");
}

/** A table per workload. */
export function renderSmoke(report: SmokeReport): string {
  const lines = [`Smoke test of ${report.tenant}`, ""];
  for (const check of report.checks)
    lines.push(`  ${check.outcome.padEnd(8)} ${check.check}: ${check.detail}`);
  for (const w of report.workloads) {
    lines.push("", `${w.workload}${w.clientId ? `  client_id ${w.clientId}` : ""}`);
    const width = Math.max(4, ...w.rows.map((r) => r.api.length)) + 2;
    lines.push(`  ${"API".padEnd(width)}${"result".padEnd(9)}detail`);
    for (const r of w.rows) lines.push(`  ${r.api.padEnd(width)}${r.outcome.padEnd(9)}${r.detail}`);
  }
  const rows = report.workloads.flatMap((w) => w.rows);
  const count = (o: SmokeRow["outcome"]) => rows.filter((r) => r.outcome === o).length;
  lines.push("", `${count("ok")} ok, ${count("miss")} missed, ${count("skipped")} skipped`);
  return lines.join("\n");
}
