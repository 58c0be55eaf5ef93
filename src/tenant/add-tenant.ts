import path from "node:path";
import type { Environment } from "../model/environment/environment.ts";
import { type OnboardingRequest, tenantFromRequest } from "./onboarding.ts";
import { applyStackChange, readStackBefore, StackChangeError } from "./stack-change.ts";
import { appendTenant } from "./tenants-text.ts";

/** What `m2m tenant add` did. */
export interface AddedTenant {
  /** The stack file that was changed. */
  readonly path: string;
  /** The environment as written. */
  readonly environment: Environment;
}

/**
 * Appends a new tenant with one workload to `Pulumi.<stack>.yaml`, keeping every other byte of
 * the file, after the model has accepted the whole resulting environment; otherwise nothing is
 * written and the error names each problem (paths of the new tenant read `tenants[N] (id)`).
 */
export function addTenant(projectDir: string, stack: string, request: OnboardingRequest): AddedTenant {
  const tenant = tenantFromRequest(request);
  const before = readStackBefore(projectDir, stack);
  const existing = before.config.tenants.find((t) => t.id === request.id);
  if (existing)
    throw new StackChangeError(
      `tenant "${request.id}" is already in ${path.basename(before.path)}: pick another id, or edit its workloads in the file`,
    );
  const tenants = Array.isArray(before.raw.tenants) ? before.raw.tenants : [];
  const index = tenants.length;
  const environment = applyStackChange(
    stack,
    before,
    () => ({
      text: appendTenant(before.text, tenant, before.document),
      expected: { ...before.raw, tenants: [...tenants, tenant] },
    }),
    (p) => p.replace(new RegExp(`^tenants\\[${index}\\]`), `tenants[${index}] (new tenant ${request.id})`),
  );
  return { path: before.path, environment };
}
