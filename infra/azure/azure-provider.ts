import { Provider } from "@pulumi/azure-native/provider";
import type { Environment } from "../../src/model/environment/environment.ts";

/** The explicit Azure provider of an environment, bound to the model's subscription and directory. */
export function azureProvider(env: Environment): Provider {
  const cloud = env.clouds.azure;
  if (!cloud) throw new Error("Azure is not on for this environment");
  return new Provider(`azure-${env.name}`, {
    subscriptionId: cloud.subscriptionId,
    tenantId: cloud.tenantId,
    location: cloud.location,
  });
}
