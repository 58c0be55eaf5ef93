import { type PolicyResource, unknownCheckingProxy } from "@pulumi/policy";
import program from "../../infra/index.ts";
import { committedEnvironment, mockStack, settled, stackConfig } from "../support/mocked-stack.ts";

/**
 * The dev stack as a policy sees it in a preview: props wrapped the way @pulumi/policy wraps
 * them (a proxy that throws on unknowns), unknowns written as the engine's sentinels.
 */

/** The engine's sentinel for an unknown string (@pulumi/policy proxy.ts). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A resource before wrapping: plain props, and what each prop depends on (by `type::name`). */
export interface DraftResource {
  type: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: the tests shape preview props freely
  props: Record<string, any>;
  dependsOn?: Record<string, string[]>;
}

export const urnOf = (r: { type: string; name: string }) => `urn:pulumi:dev::m2m::${r.type}::${r.name}`;

/** The dev stack's resources with every value known. */
export function devDrafts(): Promise<DraftResource[]> {
  return stackDrafts(committedEnvironment("dev"));
}

/** The resources of the dev stack run with `environment`, every value known. */
export async function stackDrafts(environment: unknown): Promise<DraftResource[]> {
  const registered = await mockStack("dev", stackConfig(environment), ["m2m:auth0ClientSecret"]);
  await program();
  await settled();
  return registered.map((r) => ({ type: r.type, name: r.name, props: structuredClone(r.state) }));
}

/** Wraps drafts as the SDK hands them to a stack policy. */
export function asPreview(drafts: readonly DraftResource[]): PolicyResource[] {
  const resources = drafts.map(
    (d) =>
      ({
        type: d.type,
        name: d.name,
        urn: urnOf(d),
        props: unknownCheckingProxy(structuredClone(d.props)),
        propertyDependencies: {},
      }) as unknown as PolicyResource,
  );
  const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
  drafts.forEach((d, i) => {
    const target = resources[i] as PolicyResource;
    for (const [prop, names] of Object.entries(d.dependsOn ?? {})) {
      target.propertyDependencies[prop] = names.map((n) => {
        const found = byKey.get(n);
        if (!found) throw new Error(`no resource ${n}`);
        return found;
      });
    }
  });
  return resources;
}

/** The draft of `type` named `name`. */
export function draft(drafts: readonly DraftResource[], type: string, name: string): DraftResource {
  const found = drafts.find((d) => d.type === type && d.name === name);
  if (!found) throw new Error(`no ${type} ${name}`);
  return found;
}
