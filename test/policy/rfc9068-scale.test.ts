import type { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { m2mPolicies } from "../../policy/src/policies.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { artifactViolations } from "../../src/model/trust/invariants.ts";
import { environmentArtifacts } from "../../src/model/trust/trust-artifacts.ts";
import { environmentWithClouds } from "../fixtures/environment.ts";
import { asPreview, stackDrafts } from "./preview.ts";

const WORKLOADS = 300;

/** An AWS-only environment of 300 tenants, one workload each, on an rfc9068 AWS API. */
function rfc9068Environment() {
  // biome-ignore lint/suspicious/noExplicitAny: the fixture is reshaped for scale
  const e = environmentWithClouds(["aws"]) as any;
  e.auth0.plan = "enterprise";
  const aws = e.apis.find((a: { cloud?: string }) => a.cloud === "aws");
  aws.tokenDialect = "rfc9068_profile";
  e.apis = [aws];
  e.tenants = Array.from({ length: WORKLOADS }, (_, i) => ({
    id: `tenant-${i}`,
    workloads: [{ name: "worker", grants: [{ api: aws.key, scopes: ["aws:federate"] }] }],
  }));
  return e;
}

describe("the rfc9068 route past the AWS client ID list", () => {
  it("GIVEN 300 AWS workloads on an rfc9068 AWS API WHEN validated, checked by the invariants and previewed under the pack THEN the provider lists only the API and nothing is reported", async () => {
    const raw = rfc9068Environment();
    const env = parseEnvironment(raw, "dev");
    const ids = Object.fromEntries(env.tenants.map((t) => [`${t.id}/worker`, `${t.id}-client`]));
    const artifacts = environmentArtifacts(env, ids);
    expect(artifacts.aws?.provider.clientIdList).toEqual([raw.apis[0].identifier]);
    expect(artifactViolations(artifacts, env.issuer)).toEqual([]);

    const resources = asPreview(await stackDrafts(raw));
    const provider = resources.find((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(provider?.props.clientIdLists).toEqual([raw.apis[0].identifier]);
    expect(resources.filter((r) => r.type === "aws:iam/role:Role")).toHaveLength(WORKLOADS);
    const found: string[] = [];
    for (const policy of m2mPolicies.filter((p) => p.enforcementLevel === "mandatory"))
      if ("validateStack" in policy)
        (policy as StackValidationPolicy).validateStack(
          { resources } as unknown as StackValidationArgs,
          (message) => found.push(`${policy.name}: ${message}`),
        );
      else
        for (const r of resources as PolicyResource[])
          (policy.validateResource as (a: unknown, report: (m: string) => void) => void)(r, (m) =>
            found.push(`${policy.name}: ${m}`),
          );
    expect(found).toEqual([]);
  }, 120_000);
});
