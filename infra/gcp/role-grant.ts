import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { GcpGrant } from "../../src/model/schema.ts";

/** Grants `grant.role` to `member` on one bucket when the grant names it, else on the project. */
export function grantRole(
  name: string,
  grant: GcpGrant,
  member: pulumi.Input<string>,
  project: string,
  opts: pulumi.CustomResourceOptions,
): gcp.storage.BucketIAMMember | gcp.projects.IAMMember {
  return grant.bucket
    ? new gcp.storage.BucketIAMMember(name, { bucket: grant.bucket, role: grant.role, member }, opts)
    : new gcp.projects.IAMMember(name, { project, role: grant.role, member }, opts);
}
