import path from "node:path";
import { resourceOptions } from "../model/environment/resource-options.ts";
import { applyStackChange, readStackBefore, StackChangeError } from "./stack-change.ts";
import { tenantFootprint } from "./tenant-footprint.ts";
import { decommissionTenantText, removeTenantText } from "./tenants-text.ts";

/** What `m2m tenant remove` did to the stack file, and what the next `pulumi up`s do. */
export interface TenantRemoval {
  /** `removed`: the tenant is gone from the file; `decommissioned`: step 1 of a protected stack's two. */
  readonly step: "removed" | "decommissioned";
  readonly path: string;
  /** What to tell the user, line by line. */
  readonly report: readonly string[];
}

/**
 * Offboards tenant `id` from `Pulumi.<stack>.yaml`. A stack whose tenant resources are
 * protected (production) takes two applies, as the README's "Offboarding a tenant" says: the
 * first call sets `decommissioned: true` (the next `pulumi up` lifts protection, deleting
 * nothing); once that is applied, a call with `confirm` removes the tenant (the `pulumi up`
 * after it deletes its resources). Removing it before would make `pulumi up` fail on the
 * protected resources. An unprotected stack's tenant is removed at once.
 */
export function removeTenant(projectDir: string, stack: string, id: string, confirm: boolean): TenantRemoval {
  const before = readStackBefore(projectDir, stack);
  const file = path.basename(before.path);
  const env = before.config;
  const tenant = env.tenants.find((t) => t.id === id);
  if (!tenant)
    throw new StackChangeError(
      `there is no tenant "${id}" in ${file}; ${tenantIds(
        env.tenants.map((t) => t.id),
        stack,
      )}`,
    );
  const raw = before.raw.tenants as Record<string, unknown>[];
  const footprint = tenantFootprint(env, tenant);
  const protectedStack = resourceOptions("client", { production: env.production }).protect;
  const up = `pulumi up --stack ${stack}`;

  if (protectedStack && !tenant.decommissioned) {
    applyStackChange(stack, before, () => ({
      text: decommissionTenantText(before.text, id, before.document),
      expected: {
        ...before.raw,
        tenants: raw.map((t) => (t.id === id ? { ...t, decommissioned: true } : t)),
      },
    }));
    return {
      step: "decommissioned",
      path: before.path,
      report: [
        `Stack ${stack} protects its resources (production: true), so tenant "${id}" is offboarded in two applies.`,
        `Set decommissioned: true on tenant "${id}" in ${file}; it is still there.`,
        ...(confirm ? ["(--confirm removes a tenant only once its decommissioning has been applied.)"] : []),
        "Next:",
        `  1. ${up}: lifts protection from ${id}'s resources (${footprint}); nothing is deleted, its workloads keep working.`,
        `  2. m2m tenant remove ${id} --stack ${stack} --confirm, then ${up}: deletes them, grants first, so its tokens stop being issued before the trust goes.`,
      ],
    };
  }
  if (protectedStack && !confirm)
    throw new StackChangeError(
      [
        `tenant "${id}" is decommissioned in ${file}; nothing was changed.`,
        `Once ${up} has applied that (its resources no longer protected), remove it with: m2m tenant remove ${id} --stack ${stack} --confirm`,
        `Removing it before then makes ${up} fail on its protected resources.`,
      ].join("\n"),
    );
  applyStackChange(stack, before, () => ({
    text: removeTenantText(before.text, id, before.document),
    expected: { ...before.raw, tenants: raw.filter((t) => t.id !== id) },
  }));
  return {
    step: "removed",
    path: before.path,
    report: [
      `Removed tenant "${id}" from ${file}.`,
      `Next: ${up} deletes its resources (${footprint}), grants first, so its tokens stop being issued before the trust goes.`,
    ],
  };
}

/** "its tenants: a, b, c", at most ten of them, and where to see the rest. */
function tenantIds(ids: readonly string[], stack: string): string {
  if (ids.length === 0) return "it has no tenants";
  const shown = ids.slice(0, 10).join(", ");
  return ids.length <= 10
    ? `its tenants: ${shown}`
    : `its tenants: ${shown} and ${ids.length - 10} more (m2m tenant list --stack ${stack})`;
}
