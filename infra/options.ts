import type * as pulumi from "@pulumi/pulumi";
import { type ResourceKind, resourceOptions } from "../src/model/resource-options.ts";

/**
 * Turns the model's options for `kind` into Pulumi resource options. `dependencies` names, per
 * kind, the concrete resources this one must follow (its own API's scopes, say); kinds it does
 * not name have nothing to wait for here.
 */
export function optionsFor(
  kind: ResourceKind,
  env: { readonly production: boolean },
  base: pulumi.CustomResourceOptions,
  dependencies: Partial<Record<ResourceKind, readonly pulumi.Resource[]>> = {},
): pulumi.CustomResourceOptions {
  const options = resourceOptions(kind, env);
  const dependsOn = options.dependsOn.flatMap((k) => dependencies[k] ?? []);
  return {
    ...base,
    protect: options.protect,
    retainOnDelete: options.retainOnDelete,
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
  };
}
