/**
 * What `m2m up --local` proves at startup: each workload's freshly issued token for each cloud
 * API it is granted, verified as `m2m verify --local` would (signature, then every target), so
 * a broken promise shows the moment the environment starts rather than when a workload fails.
 */

import type { LocalTenant } from "../issuer/local-tenant.ts";
import { issueToken } from "../issuer/token-endpoint.ts";
import { workloadKey } from "../model/environment/names.ts";
import { environmentTargets } from "../verify/targets.ts";
import { type KeySource, readJwt, TokenInputError } from "../verify/token-input.ts";
import { allowedUnderEveryReading, verifyClaims } from "../verify/verdicts.ts";

/** One workload's token for one cloud API, and what its verification found. */
export interface MatrixRow {
  readonly tenant: string;
  readonly workload: string;
  readonly cloud: "aws" | "gcp" | "azure";
  readonly audience: string;
  /** Its own targets in that cloud (none when the model binds it to nothing there), and how many let the token in under every AWS reading. */
  readonly own: { readonly total: number; readonly allowed: number };
  /** Targets other than its own in this cloud that let it in (another workload's, or its own in another cloud): never. */
  readonly breaches: readonly string[];
  /** Why it fails: the issuer's refusal, a signature that does not hold, or an own target's reasons. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

/** The verification at startup of a local tenant's tokens. */
export interface StartupMatrix {
  readonly rows: readonly MatrixRow[];
  readonly failed: number;
}

/**
 * Mints each workload's token for each cloud API it is granted (inside the issuer, past client
 * authentication, so private_key_jwt workloads are included without their private key) and
 * verifies it against every target of the local environment. `keys` are the local environment's
 * signing keys, as `m2m verify --local` reads them.
 */
export async function startupMatrix(
  tenant: LocalTenant,
  keys: KeySource,
  nowS: number,
): Promise<StartupMatrix> {
  const env = tenant.env;
  const clients = new Map([...tenant.clients.values()].map((c) => [c.key, c]));
  const ids = Object.fromEntries([...clients].map(([key, c]) => [key, c.clientId]));
  const targets = environmentTargets(env, ids);
  const rows: MatrixRow[] = [];
  for (const t of env.tenants) {
    for (const w of t.workloads) {
      const client = clients.get(workloadKey(t.id, w.name));
      for (const grant of w.grants) {
        const api = env.apis.find((a) => a.key === grant.api);
        if (!api?.cloud) continue;
        const row = { tenant: t.id, workload: w.name, cloud: api.cloud, audience: api.identifier };
        const own = targets.of(t.id, w.name).filter((target) => target.cloud === api.cloud);
        const refused = (problem: string): MatrixRow => ({
          ...row,
          own: { total: own.length, allowed: 0 },
          breaches: [],
          problems: [problem],
          ok: false,
        });
        if (!client) {
          rows.push(refused("the local tenant has no application for it"));
          continue;
        }
        const issued = await issueToken(
          tenant,
          client,
          { grant_type: "client_credentials", client_id: client.clientId, audience: api.identifier },
          { ip: "127.0.0.1" },
          nowS,
        );
        const jwt = issued.body.access_token;
        if (issued.status !== 200 || typeof jwt !== "string") {
          rows.push(
            refused(
              `the issuer refused it: ${issued.status} ${String(issued.body.error)}: ${String(issued.body.error_description)}`,
            ),
          );
          continue;
        }
        let read: Awaited<ReturnType<typeof readJwt>>;
        try {
          read = await readJwt(jwt, keys);
        } catch (error) {
          if (!(error instanceof TokenInputError)) throw error;
          rows.push(refused(error.message));
          continue;
        }
        const report = verifyClaims(env, targets, read.claims, read.form, { nowS, local: true });
        const entries = [...report.aws, ...report.gcp, ...report.azure];
        const mine = entries.filter((e) => e.own);
        // Every target that lets the token in but is not its own in the token's cloud: another
        // workload's, or its own in a cloud whose API the token is not for.
        const breaches = entries
          .filter((e) => e.allowed && !e.own)
          .map((e) => `${e.tenant}/${e.workload} ${e.target}`);
        const allowed = mine.filter(allowedUnderEveryReading).length;
        // The token must be found to be this workload's by its subject, or nothing is proven.
        const itsOwn = report.workload?.tenant === t.id && report.workload.workload === w.name;
        rows.push({
          ...row,
          own: { total: mine.length, allowed },
          breaches,
          problems: [
            ...(itsOwn ? [] : report.notes),
            ...mine
              .filter((e) => !allowedUnderEveryReading(e))
              .flatMap((e) => e.reasons.map((r) => `${e.target}: ${r}`)),
          ],
          // A workload granted a cloud's API that the model binds to nothing there has no own
          // target: its token must then reach nothing, which is what is checked.
          ok: itsOwn && breaches.length === 0 && allowed === mine.length,
        });
      }
    }
  }
  return { rows, failed: rows.filter((r) => !r.ok).length };
}

/** The matrix as `m2m up --local` prints it. */
export function renderStartupMatrix(matrix: StartupMatrix): string {
  if (matrix.rows.length === 0) return "Verified at startup: no workload is granted a cloud API.";
  const names = matrix.rows.map((r) => `${r.tenant}/${r.workload}`);
  const width = Math.max(...names.map((n) => n.length)) + 2;
  const lines = ["Verified at startup (simulated): each workload's fresh token against every cloud target"];
  matrix.rows.forEach((r, i) => {
    const others =
      r.breaches.length === 0 ? "no other target" : `${r.breaches.length} OTHER TARGETS LET IT IN`;
    lines.push(
      `  ${r.ok ? "ok  " : "FAIL"}  ${(names[i] ?? "").padEnd(width)}${r.cloud.padEnd(7)}${r.own.total === 0 ? "no target of its own there" : `own ${r.own.allowed}/${r.own.total} let in`}, ${others}`,
    );
    for (const breach of r.breaches) lines.push(`          breach: ${breach}`);
    for (const problem of r.ok ? [] : r.problems) lines.push(`          ${problem}`);
  });
  return lines.join("\n");
}

/** The loud warning when any token failed, naming how to look closer; none when all passed. */
export function startupWarning(matrix: StartupMatrix, stack: string): string | undefined {
  if (matrix.failed === 0) return undefined;
  return [
    `WARNING: ${matrix.failed} of ${matrix.rows.length} tokens are not accepted exactly by their own targets (FAIL above).`,
    `WARNING: workloads of this environment would fail or reach what is not theirs. The server keeps running: look with m2m verify --local --stack ${stack} --token <JWT>`,
  ].join("\n");
}
