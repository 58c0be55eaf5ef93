import * as bigquery from "@pulumi/gcp/bigquery";
import * as pubsub from "@pulumi/gcp/pubsub";
import * as secretmanager from "@pulumi/gcp/secretmanager";
import * as storage from "@pulumi/gcp/storage";
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import type { GcpGrant } from "../../src/model/environment/schema.ts";
import { gcpGrantTarget, gcpObjectPrefixCondition } from "../../src/model/trust/gcp/gcp-resources.ts";

/** What one grant is bound for: the environment, the tenant whose identity holds it, and that identity. */
export interface RoleGrantArgs {
  readonly env: Environment;
  readonly tenantId: string;
  readonly grant: GcpGrant;
  readonly member: pulumi.Input<string>;
}

/**
 * Binds `grant.role` to `member` on the grant's one target, never on the project (the model
 * refuses project grants): the tenant's own bucket (uniform bucket-level access, so IAM is the
 * only access path), dataset, topic or secret; on a shared bucket with an object-prefix
 * partition, conditioned to the tenant's objects.
 */
export function grantRole(name: string, args: RoleGrantArgs, opts: pulumi.CustomResourceOptions) {
  const { env, tenantId, grant, member } = args;
  const project = env.clouds.gcp?.projectId ?? "";
  const role = grant.role;
  const target = gcpGrantTarget(grant);
  switch (target.kind) {
    case "buckets": {
      const shared = env.clouds.gcp?.shared.find((e) => e.bucket === target.name);
      const partitioned = shared !== undefined && shared.partition !== "none";
      return new storage.BucketIAMMember(
        name,
        {
          bucket: target.name,
          role,
          member,
          ...(partitioned ? { condition: gcpObjectPrefixCondition(target.name, tenantId) } : {}),
        },
        opts,
      );
    }
    case "datasets":
      return new bigquery.DatasetIamMember(name, { project, datasetId: target.name, role, member }, opts);
    case "topics":
      return new pubsub.TopicIAMMember(name, { project, topic: target.name, role, member }, opts);
    case "secrets":
      return new secretmanager.SecretIamMember(name, { project, secretId: target.name, role, member }, opts);
    default:
      throw new Error(`grant ${name} of ${role} has no single resource target: the model refuses it`);
  }
}
