import { cloudsOf } from "../model/environment/clouds.ts";
import type { Environment } from "../model/environment/environment.ts";

/** One workload of a listing: what it is granted and how it authenticates; never a key or secret. */
export interface ListedWorkload {
  readonly name: string;
  readonly authentication: string;
  readonly clouds: readonly string[];
  readonly grants: readonly { readonly api: string; readonly scopes: readonly string[] }[];
}

/** One tenant of a listing (`m2m tenant list --json` prints `{stack, tenants: [these]}`). */
export interface ListedTenant {
  readonly id: string;
  readonly decommissioned: boolean;
  readonly workloads: readonly ListedWorkload[];
}

/** The tenants of an environment, in the stack file's order. */
export function listTenants(env: Environment): ListedTenant[] {
  return env.tenants.map((tenant) => ({
    id: tenant.id,
    decommissioned: tenant.decommissioned,
    workloads: tenant.workloads.map((w) => ({
      name: w.name,
      authentication: w.authentication.method,
      clouds: [...cloudsOf(env, w)],
      grants: w.grants.map((g) => ({ api: g.api, scopes: [...g.scopes] })),
    })),
  }));
}

/** The listing as a table: one row per workload, its tenant's id and status on its first row. */
export function renderTenantTable(stack: string, file: string, tenants: readonly ListedTenant[]): string {
  const workloads = tenants.reduce((sum, t) => sum + t.workloads.length, 0);
  const header = `Stack ${stack} (${file}): ${tenants.length} ${tenants.length === 1 ? "tenant" : "tenants"}, ${workloads} ${workloads === 1 ? "workload" : "workloads"}`;
  if (tenants.length === 0)
    return `${header}\nAdd one with: m2m tenant add <id> --stack ${stack} --workload <name> --grant <api>=<scope>`;
  const rows = [
    ["TENANT", "STATUS", "WORKLOAD", "AUTHENTICATION", "CLOUDS", "GRANTS"],
    ...tenants.flatMap((t) =>
      t.workloads.map((w, i) => [
        i === 0 ? t.id : "",
        i === 0 ? (t.decommissioned ? "decommissioned" : "active") : "",
        w.name,
        w.authentication,
        w.clouds.join(",") || "-",
        w.grants.map((g) => `${g.api}: ${g.scopes.join(" ")}`).join("; "),
      ]),
    ),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd((widths[c] ?? 0) + 2)))
      .join("")
      .trimEnd(),
  );
  return [header, "", ...lines].join("\n");
}
