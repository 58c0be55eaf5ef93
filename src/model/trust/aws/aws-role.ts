import type { Environment } from "../../environment/environment.ts";
import { awsRoleName, workloadResourceName } from "../../environment/names.ts";
import { awsPartition } from "./aws-trust.ts";

/** The ARN of one workload's role: `arn:{partition}:iam::{account}:role/m2m-{env}-{tenant}-{workload}`. */
export function awsRoleArn(env: Environment, tenantId: string, workload: string): string {
  const aws = env.clouds.aws;
  if (!aws) throw new Error("AWS is not on for this environment");
  return `arn:${awsPartition(aws.region)}:iam::${aws.accountId}:role/${awsRoleName(env.name, tenantId, workload).value}`;
}

/**
 * The session name a workload assumes its role under, `{tenant}-{workload}`: CloudTrail shows
 * it, so each session names its workload (ids are `[a-z0-9-]`, within STS's `[\w+=,.@-]{2,64}`).
 */
export function awsRoleSessionName(tenantId: string, workload: string): string {
  return workloadResourceName(tenantId, workload);
}
