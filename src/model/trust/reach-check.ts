import type { Environment } from "../environment/environment.ts";
import { awsEnvironmentReach, awsReachFindings, awsWorkloadReach } from "./aws/aws-reach.ts";
import { azureReachFindings, azureWorkloadReach } from "./azure/azure-reach.ts";
import { gcpReachFindings, gcpWorkloadReach } from "./gcp/gcp-reach.ts";
import type { ReachEntry, ReachFinding } from "./reach.ts";

/**
 * Isolation's second half over an environment, in every cloud that is on: no tenant's identity
 * reaches another tenant's resources (violations), and each one's reach of its own is shown or
 * reported as unproven (findings to review, not violations).
 */
export function environmentReachFindings(env: Environment): ReachFinding[] {
  return [
    ...(env.clouds.aws ? awsReachFindings(awsEnvironmentReach(env)) : []),
    ...(env.clouds.gcp ? gcpReachFindings(env) : []),
    ...(env.clouds.azure ? azureReachFindings(env) : []),
  ];
}

/** What every workload reaches, per cloud, shared access marked. */
export function environmentReach(env: Environment): ReachEntry[] {
  return [...awsWorkloadReach(env), ...gcpWorkloadReach(env), ...azureWorkloadReach(env)];
}
