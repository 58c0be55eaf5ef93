import { Provider } from "@pulumi/aws/provider";
import type { Environment } from "../../src/model/environment/environment.ts";

/**
 * The explicit AWS provider of an environment: its region, and `allowedAccountIds` set to the
 * model's account, so ambient credentials for another account make `pulumi up` fail instead of
 * creating trust there.
 */
export function awsProvider(env: Environment): Provider {
  const cloud = env.clouds.aws;
  if (!cloud) throw new Error("AWS is not on for this environment");
  return new Provider(`aws-${env.name}`, {
    region: cloud.region,
    allowedAccountIds: [cloud.accountId],
  });
}
