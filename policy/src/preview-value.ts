/**
 * Values as a policy sees them in a preview, read through one guarded accessor. @pulumi/policy
 * hands policies props wrapped in a proxy that throws UnknownValueError on any unknown value,
 * and then reports the whole policy as advisory ("can't run policy during preview"): one
 * `typeof r.props.clientId` on a new client would silently turn the isolation check advisory.
 * So props are unwrapped once, here, and every unknown becomes the UNKNOWN marker, which makes
 * only the resource that holds it not checkable.
 * https://github.com/pulumi/pulumi-policy/blob/master/sdk/nodejs/policy/proxy.ts
 */

import type { PolicyResource } from "@pulumi/policy";

/** A value the engine does not know until the update. */
export const UNKNOWN: unique symbol = Symbol("unknown until the update");
export type Unknown = typeof UNKNOWN;

/** The engine's sentinels for unknown values, as @pulumi/policy's proxy recognises them. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The proxy's own escape hatch to the wrapped object. */
const TARGET = "__getSpecialProxyTarget";
const IS_PROXY = "__isSpecialProxy";

function unwrap(value: unknown): unknown {
  if (value !== null && typeof value === "object") {
    const proxied = (value as Record<string, unknown>)[IS_PROXY] === true;
    return proxied ? (value as Record<string, unknown>)[TARGET] : value;
  }
  return value;
}

/** Nesting deeper than any resource property: read as unknown rather than overflow the stack. */
const MAX_DEPTH = 64;

/** A plain copy of `value` with every unknown replaced by UNKNOWN. Never throws. */
export function plain(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const raw = unwrap(value);
  if (typeof raw === "string") return UNKNOWN_SENTINELS.has(raw) ? UNKNOWN : raw;
  if (Array.isArray(raw)) return raw.map((v) => plain(v, depth + 1));
  if (raw !== null && typeof raw === "object") {
    return Object.fromEntries(
      Object.keys(raw).map((k) => [k, plain((raw as Record<string, unknown>)[k], depth + 1)]),
    );
  }
  return raw;
}

/** Whether a value is, or holds anywhere, an unknown. */
export function holdsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(holdsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsUnknown);
  return false;
}

/** One resource of a preview, its props plain, with what each prop's value comes from. */
export interface PreviewResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Readonly<Record<string, unknown>>;
  /** The resources each prop's value comes from (known only in stack policies). */
  readonly dependsOn: Readonly<Record<string, readonly { readonly urn: string; readonly type: string }[]>>;
}

/** What a policy is given of a resource: the SDK's PolicyResource, or its per-resource args. */
type Given = Pick<PolicyResource, "type" | "name" | "urn" | "props"> & {
  readonly propertyDependencies?: PolicyResource["propertyDependencies"];
};

/** Reads a resource of a preview through the guarded accessor. */
export function previewResource(given: Given): PreviewResource {
  const deps = given.propertyDependencies ?? {};
  return {
    type: given.type,
    name: given.name,
    urn: given.urn,
    props: plain(given.props) as Record<string, unknown>,
    dependsOn: Object.fromEntries(
      Object.entries(deps).map(([k, rs]) => [k, rs.map((r) => ({ urn: r.urn, type: r.type }))]),
    ),
  };
}

/** A prop as a string, UNKNOWN, or undefined when absent or of another type. */
export function stringProp(r: PreviewResource, key: string): string | Unknown | undefined {
  const v = r.props[key];
  return v === UNKNOWN || typeof v === "string" ? v : undefined;
}

/** A prop as a list of strings (a single string counts as one), UNKNOWN if any part is unknown. */
export function stringListProp(r: PreviewResource, key: string): readonly string[] | Unknown | undefined {
  const v = r.props[key];
  if (v === undefined || v === null) return undefined;
  if (holdsUnknown(v)) return UNKNOWN;
  const list = [v].flat();
  return list.every((x) => typeof x === "string") ? (list as string[]) : undefined;
}

/** A prop as a record of strings (tags, metadata), UNKNOWN if any value is unknown. */
export function recordProp(r: PreviewResource, key: string): Readonly<Record<string, string>> | Unknown {
  const v = r.props[key];
  if (holdsUnknown(v)) return UNKNOWN;
  if (v === null || typeof v !== "object" || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
}
