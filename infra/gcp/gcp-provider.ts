import { Provider } from "@pulumi/gcp/provider";
import type { Environment } from "../../src/model/environment/environment.ts";

/** The explicit GCP provider of an environment, bound to the model's project. */
export function gcpProvider(env: Environment): Provider {
  const cloud = env.clouds.gcp;
  if (!cloud) throw new Error("GCP is not on for this environment");
  return new Provider(`gcp-${env.name}`, { project: cloud.projectId });
}
