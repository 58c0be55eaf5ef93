/**
 * The offline plan of a stack: what `pulumi up` would register, read from the program run under
 * mocks, with what the model adds that mocks cannot show (protection, replacements, reach).
 * Deterministic: the same code and stack file give the same plan, byte for byte. Secrets never
 * enter it; client ids are the model's placeholders (Auth0 assigns the real ones at `pulumi up`).
 */
import type { ResourceKind } from "../model/environment/resource-options.ts";
import { reachBound } from "../model/trust/reach.ts";

/** The plan's format version, in its JSON. */
export const PLAN_FORMAT = "m2m-plan/1";

/** Whose a resource is, when it belongs to a tenant (and to one of its workloads). */
export interface PlanOwner {
  readonly tenantId: string;
  readonly workload?: string;
}

/** One resource the program registers (providers and components included). */
export interface PlanResource {
  /** `type::name`, unique in a stack: how two plans' resources are matched. */
  readonly key: string;
  readonly type: string;
  readonly name: string;
  /** The component it belongs to, `type::name`; "" for the stack's own children. */
  readonly component: string;
  readonly custom: boolean;
  readonly kind?: ResourceKind;
  readonly owner?: PlanOwner;
  /** From the model's resource options: `pulumi up` refuses to delete or replace it. */
  readonly protect: boolean;
  /** From the model's resource options: a delete leaves the object in place. */
  readonly retainOnDelete: boolean;
  /** Input properties whose change replaces it (replacement-properties.ts). */
  readonly replaceOn: readonly string[];
  /** Its inputs as registered: secrets as "[secret]", Action code as its hash and size. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** One grant of a workload's application. */
export interface PlanGrant {
  /** The API's key in the model (the ResourceServer's resource name). */
  readonly api: string;
  readonly audience: string;
  readonly scopes: readonly string[];
}

/** One thing a workload's cloud identity reaches (the model's reach). */
export interface PlanReach {
  readonly cloud: "aws" | "gcp" | "azure";
  readonly resource: string;
  readonly access: string;
  readonly shared?: string;
  /** An upper bound, not a reach shown (the model's `atMost`: an AWS managed policy, content unknown offline). */
  readonly atMost?: true;
}

/**
 * A reach as every face of the plan says it: `aws arn:...: s3:GetObject`, prefixed `at most` when
 * only an upper bound is known, so that a diff tells a bound from a reach shown.
 */
export function reachLine(r: PlanReach): string {
  return `${reachBound(r)}${r.cloud} ${r.resource}: ${r.access}${sharedNote(r)}`;
}

/** Where a reach lands: its cloud, resource and shared entry, whatever the access. */
export const reachTarget = (r: PlanReach): string => `${r.cloud} ${r.resource}${sharedNote(r)}`;

/** By what a reach lands there, `at most ` first for an upper bound. */
export const reachAccess = (r: PlanReach): string => `${reachBound(r)}${r.access}`;

const sharedNote = (r: PlanReach) => (r.shared ? ` (shared: ${r.shared})` : "");

/** A workload: its application, what it is granted, which cloud identities trust it, what they reach. */
export interface PlanWorkload {
  readonly tenantId: string;
  readonly workload: string;
  /** The placeholder standing for the client id Auth0 assigns. */
  readonly clientId: string;
  readonly application: string;
  readonly method: string;
  readonly grants: readonly PlanGrant[];
  /** The cloud identities its tokens obtain: `aws role m2m-dev-...`, `azure identity m2m-dev-...`. */
  readonly identities: readonly PlanIdentity[];
  readonly reach: readonly PlanReach[];
}

/** A cloud identity a workload's token obtains, and through which API's tokens. */
export interface PlanIdentity {
  readonly cloud: "aws" | "gcp" | "azure";
  /** The API whose tokens it accepts (its key). */
  readonly api: string;
  /** What users call it: `role m2m-dev-globex-billing-sync`. */
  readonly label: string;
}

/** A tenant of the stack. */
export interface PlanTenant {
  readonly id: string;
  /** Being offboarded: its resources lose protection (README, "Offboarding a tenant"). */
  readonly decommissioned: boolean;
  readonly workloads: readonly PlanWorkload[];
}

/** A project Action as deployed. */
export interface PlanAction {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  /** The bundled code, for `m2m diff`'s code diff; text and Markdown show only hash and size. */
  readonly code: string;
}

/** The plan of one stack. */
export interface Plan {
  readonly format: typeof PLAN_FORMAT;
  readonly stack: string;
  readonly production: boolean;
  readonly issuer: string;
  /** Config `pulumi up` needs that the stack file does not set (placeholders stood in). */
  readonly unsetConfig: readonly string[];
  readonly tenants: readonly PlanTenant[];
  readonly actions: readonly PlanAction[];
  /** The credentials-exchange binding order, by display name. */
  readonly bindings: readonly string[];
  readonly resources: readonly PlanResource[];
}
