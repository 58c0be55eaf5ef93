import type * as pulumi from "@pulumi/pulumi";
import {
  type OptionsContext,
  type ResourceKind,
  resourceOptions,
} from "../src/model/environment/resource-options.ts";

/**
 * Turns the model's options for `kind` into Pulumi resource options. `dependencies` gives, per
 * kind the model says this one follows, the concrete resources to wait for (its own API's
 * scopes, say). A kind left out is a wiring mistake and throws, so an ordering guarantee can
 * never be dropped silently.
 */
export function optionsFor(
  kind: ResourceKind,
  context: OptionsContext,
  base: pulumi.CustomResourceOptions,
  dependencies: Partial<Record<ResourceKind, readonly pulumi.Resource[]>> = {},
): pulumi.CustomResourceOptions {
  const options = resourceOptions(kind, context);
  const dependsOn = options.dependsOn.flatMap((k) => {
    const resources = dependencies[k];
    if (!resources) throw new Error(`${kind} must follow ${k}, but no ${k} resource was given`);
    return resources;
  });
  return {
    ...base,
    protect: options.protect,
    retainOnDelete: options.retainOnDelete,
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
  };
}
