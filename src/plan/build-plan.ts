import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../model/environment/environment.ts";
import { placeholderClientId, workloadKey, workloadResourceName } from "../model/environment/names.ts";
import type { ReachEntry } from "../model/trust/reach.ts";
import type { Registration } from "./mocked-program.ts";
import { SECRET_SHOWN } from "./mocked-program.ts";
import {
  PLAN_FORMAT,
  type Plan,
  type PlanIdentity,
  type PlanOwner,
  type PlanResource,
  type PlanWorkload,
} from "./plan.ts";
import type { ProjectCode } from "./project-code.ts";
import { replacingProperties } from "./replacement-properties.ts";
import { KIND_OF_TYPE } from "./resource-kinds.ts";

/** Components the program registers per tenant or per workload, named after them. */
const OWNED_COMPONENTS: ReadonlySet<string> = new Set([
  "m2m:auth0:WorkloadClient",
  "m2m:aws:WorkloadRole",
  "m2m:aws:TenantBoundary",
  "m2m:gcp:TenantServiceAccount",
  "m2m:gcp:WorkloadAccess",
  "m2m:azure:TenantIdentity",
]);

/** Providers first, then Auth0, then each cloud: the order every face of the plan lists them in. */
const TYPE_ORDER = [
  "pulumi:providers:",
  "m2m:auth0:",
  "auth0:",
  "m2m:aws:",
  "aws:",
  "m2m:gcp:",
  "gcp:",
  "m2m:azure:",
  "azure-native:",
];
const typeRank = (type: string) => {
  const rank = TYPE_ORDER.findIndex((prefix) => type.startsWith(prefix));
  return rank === -1 ? TYPE_ORDER.length : rank;
};

/**
 * The plan of `env` from what its program registered: each resource with its component, owner,
 * the model's options and the properties that replace it; per workload its grants, the cloud
 * identities that trust it and what they reach (`reach`: the model's environmentReach of `env`).
 */
export function buildPlan(
  env: Environment,
  reach: readonly ReachEntry[],
  registrations: readonly Registration[],
  code: Pick<ProjectCode, "resourceOptions">,
  unsetConfig: readonly string[] = [],
): Plan {
  const byUrn = new Map(registrations.map((r) => [r.urn, r]));
  const owners = ownerNames(env);
  const decommissioned = new Map(env.tenants.map((t) => [t.id, t.decommissioned === true]));
  const ownerOf = (r: Registration): PlanOwner | undefined => {
    const parent = byUrn.get(r.parent);
    if (!r.custom) return OWNED_COMPONENTS.has(r.type) ? owners.get(r.name) : undefined;
    if (!parent || !OWNED_COMPONENTS.has(parent.type)) return undefined;
    const own = owners.get(r.name);
    const component = owners.get(parent.name);
    return own?.workload && own.tenantId === component?.tenantId ? own : component;
  };
  const actions: Plan["actions"][number][] = [];
  const resources: PlanResource[] = registrations.map((r) => {
    const parent = byUrn.get(r.parent);
    const kind = KIND_OF_TYPE[r.type];
    const owner = ownerOf(r);
    const options = kind
      ? code.resourceOptions(kind, {
          production: env.production,
          decommissioned: owner ? decommissioned.get(owner.tenantId) === true : false,
        })
      : { protect: false, retainOnDelete: false };
    let inputs = shown(r.inputs) as Record<string, unknown>;
    if (r.type === "auth0:index/action:Action" && typeof r.inputs.code === "string") {
      const action = { name: String(r.inputs.name), ...codeDigest(r.inputs.code), code: r.inputs.code };
      actions.push(action);
      inputs = { ...inputs, code: `sha256:${action.sha256} (${action.bytes} bytes)` };
    }
    return {
      key: `${r.type}::${r.name}`,
      type: r.type,
      name: r.name,
      component: parent && parent.type !== "pulumi:pulumi:Stack" ? `${parent.type}::${parent.name}` : "",
      custom: r.custom,
      ...(kind ? { kind } : {}),
      ...(owner ? { owner } : {}),
      protect: options.protect,
      retainOnDelete: options.retainOnDelete,
      replaceOn: r.custom ? replacingProperties(r.type) : [],
      inputs,
    };
  });
  const ranks = new Map(resources.map((r) => [r.type, typeRank(r.type)]));
  const rank = (type: string) => ranks.get(type) ?? TYPE_ORDER.length;
  resources.sort((a, b) => rank(a.type) - rank(b.type) || compare(a.type, b.type) || compare(a.name, b.name));
  const binding = resources.find((r) => r.type === "auth0:index/triggerActions:TriggerActions");
  return {
    format: PLAN_FORMAT,
    stack: env.name,
    production: env.production,
    issuer: env.issuer,
    unsetConfig: [...unsetConfig],
    tenants: workloadsOf(env, resources, reach),
    actions: actions.sort((a, b) => compare(a.name, b.name)),
    bindings: ((binding?.inputs.actions ?? []) as { displayName?: string }[]).map((a) =>
      String(a.displayName),
    ),
    resources,
  };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The names the program gives owned components: a workload's, a tenant's, a tenant's boundary. */
function ownerNames(env: Environment): Map<string, PlanOwner> {
  const names = new Map<string, PlanOwner>();
  for (const tenant of env.tenants) {
    names.set(tenant.id, { tenantId: tenant.id });
    names.set(`${tenant.id}-boundary`, { tenantId: tenant.id });
    for (const w of tenant.workloads)
      names.set(workloadResourceName(tenant.id, w.name), { tenantId: tenant.id, workload: w.name });
  }
  return names;
}

/**
 * A registered value as the plan shows it: every secret as SECRET_SHOWN. Values without a secret
 * are the registered objects themselves, not copies: at 1,000 tenants a copy is hundreds of MB.
 */
function shown(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = value.map(shown);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const record = value as Record<string, unknown>;
  if (pulumi.runtime.specialSigKey in record) return SECRET_SHOWN;
  let changed = false;
  const entries = Object.entries(record).map(([k, v]) => {
    const s = shown(v);
    changed ||= s !== v;
    return [k, s] as const;
  });
  return changed ? Object.fromEntries(entries) : record;
}

function codeDigest(code: string): { sha256: string; bytes: number } {
  return { sha256: createHash("sha256").update(code).digest("hex"), bytes: Buffer.byteLength(code) };
}

function workloadsOf(
  env: Environment,
  resources: readonly PlanResource[],
  reach: readonly ReachEntry[],
): Plan["tenants"] {
  const owned = new Map<string, PlanResource[]>();
  for (const r of resources) {
    if (!r.owner?.workload) continue;
    const key = workloadKey(r.owner.tenantId, r.owner.workload);
    const list = owned.get(key);
    if (list) list.push(r);
    else owned.set(key, [r]);
  }
  const reachOf = new Map<string, PlanWorkload["reach"][number][]>();
  for (const e of reach) {
    const key = workloadKey(e.tenantId, e.workload);
    const entry = {
      cloud: e.cloud,
      resource: e.resource,
      access: e.access,
      ...(e.shared ? { shared: e.shared } : {}),
      ...(e.atMost ? { atMost: true as const } : {}),
    };
    const list = reachOf.get(key);
    if (list) list.push(entry);
    else reachOf.set(key, [entry]);
  }
  const apiByAudience = new Map(
    resources
      .filter((r) => r.type === "auth0:index/resourceServer:ResourceServer")
      .map((r) => [String(r.inputs.identifier), r.name]),
  );
  const cloudApi = (cloud: string) => env.apis.find((a) => a.cloud === cloud)?.key ?? cloud;
  return env.tenants.map((tenant) => ({
    id: tenant.id,
    decommissioned: tenant.decommissioned === true,
    workloads: tenant.workloads.map((w): PlanWorkload => {
      const mine = owned.get(workloadKey(tenant.id, w.name)) ?? [];
      const ofType = (type: string) => mine.filter((r) => r.type === type);
      const clientId = placeholderClientId(tenant.id, w.name);
      const identities: PlanIdentity[] = [];
      for (const role of ofType("aws:iam/role:Role"))
        identities.push({ cloud: "aws", api: cloudApi("aws"), label: `role ${String(role.inputs.name)}` });
      const gcpMembers = mine.filter((r) => r.kind === "gcpIamMember");
      if (gcpMembers.some((r) => String(r.inputs.member).includes(`/subject/${clientId}@`))) {
        const pool = /workloadIdentityPools\/([^/]+)\//.exec(String(gcpMembers[0]?.inputs.member))?.[1];
        identities.push({
          cloud: "gcp",
          api: cloudApi("gcp"),
          label: `principal ${clientId}@clients in pool ${pool}`,
        });
      }
      for (const m of ofType("gcp:serviceaccount/iAMMember:IAMMember"))
        identities.push({
          cloud: "gcp",
          api: cloudApi("gcp"),
          label: `service account ${String(m.inputs.serviceAccountId).split("/").at(-1)}`,
        });
      for (const c of ofType("azure-native:managedidentity:FederatedIdentityCredential"))
        identities.push({
          cloud: "azure",
          api: cloudApi("azure"),
          label: `identity ${String(c.inputs.resourceName)}`,
        });
      return {
        tenantId: tenant.id,
        workload: w.name,
        clientId,
        application: String(ofType("auth0:index/client:Client")[0]?.inputs.name ?? ""),
        method: String(
          ofType("auth0:index/clientCredentials:ClientCredentials")[0]?.inputs.authenticationMethod ?? "",
        ),
        grants: ofType("auth0:index/clientGrant:ClientGrant")
          .map((g) => ({
            api: apiByAudience.get(String(g.inputs.audience)) ?? String(g.inputs.audience),
            audience: String(g.inputs.audience),
            scopes: [...((g.inputs.scopes ?? []) as string[])],
          }))
          .sort((a, b) => compare(a.api, b.api)),
        identities,
        reach: reachOf.get(workloadKey(tenant.id, w.name)) ?? [],
      };
    }),
  }));
}
