import * as gcp from "@pulumi/gcp";
import type { Environment } from "../../src/model/environment.ts";

/** The explicit GCP provider of an environment, bound to the model's project. */
export function gcpProvider(env: Environment): gcp.Provider {
  const cloud = env.clouds.gcp;
  if (!cloud) throw new Error("GCP is not on for this environment");
  return new gcp.Provider(`gcp-${env.name}`, { project: cloud.projectId });
}
