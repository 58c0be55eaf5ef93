import { readFileSync } from "node:fs";
import type {
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import { buildPolicyPack, POLICY_BUNDLE } from "../../policy/build.ts";
import {
  awsRoleTrust,
  azureCredentialExact,
  gcpNoPoolWideBinding,
  gcpProviderCondition,
  m2mPolicies,
  notCheckableAtPreview,
  tenantIsolation,
} from "../../policy/src/policies.ts";
import { type PreviewResource, stackTrust } from "../../policy/src/stack-artifacts.ts";
import { committedEnvironment, mockStack, settled, stackConfig } from "../support/mocked-stack.ts";

/** The dev stack's resources, as a policy sees them once values are known. */
async function devResources(): Promise<PreviewResource[]> {
  const registered = await mockStack("dev", stackConfig(committedEnvironment("dev")), [
    "m2m:auth0ClientSecret",
  ]);
  await program();
  await settled();
  return registered.map((r) => ({
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:dev::m2m::${r.type}::${r.name}`,
    props: structuredClone(r.state),
  }));
}

function validateResources(policy: ResourceValidationPolicy, resources: PreviewResource[]): string[] {
  const found: string[] = [];
  const validate = policy.validateResource as (
    args: ResourceValidationArgs,
    report: (m: string) => void,
  ) => void;
  for (const r of resources)
    validate(r as unknown as ResourceValidationArgs, (message) => found.push(message));
  return found;
}

function validateStack(policy: StackValidationPolicy, resources: PreviewResource[]): string[] {
  const found: string[] = [];
  policy.validateStack({ resources } as unknown as StackValidationArgs, (message, urn) =>
    found.push(urn ? `${urn}: ${message}` : message),
  );
  return found;
}

const edit = (
  resources: PreviewResource[],
  type: string,
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: the tests break preview props on purpose
  change: (props: Record<string, any>) => void,
) => {
  const r = resources.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} ${name}`);
  change(r.props);
  return resources;
};

describe("the policy pack", () => {
  it("GIVEN the dev stack as previewed WHEN every policy runs THEN none reports a violation", async () => {
    const resources = await devResources();
    for (const policy of m2mPolicies) {
      const found =
        "validateResource" in policy
          ? validateResources(policy as ResourceValidationPolicy, resources)
          : validateStack(policy as StackValidationPolicy, resources);
      expect(found, policy.name).toEqual([]);
    }
  });

  it("GIVEN the dev stack as previewed WHEN its trust is read THEN every cloud's artifacts are there to check", async () => {
    const { artifacts, notCheckable } = stackTrust(await devResources());
    expect(artifacts.aws?.roles).toHaveLength(2);
    expect(artifacts.gcp?.bindings.length).toBeGreaterThan(0);
    expect(artifacts.gcp?.workloads).toHaveLength(4);
    expect(artifacts.azure?.credentials).toHaveLength(2);
    expect(notCheckable).toEqual([]);
  });

  it("GIVEN an untagged role letting the m2m provider in with no condition WHEN the stack is checked THEN isolation reports it", async () => {
    const resources = await devResources();
    const provider = resources.find((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    resources.push({
      type: "aws:iam/role:Role",
      name: "handmade",
      urn: "urn:pulumi:dev::m2m::aws:iam/role:Role::handmade",
      props: {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Federated: provider?.props.arn }, Action: "sts:*" }],
        }),
      },
    });
    expect(validateStack(tenantIsolation, resources)).toContainEqual(
      expect.stringMatching(
        /^\[tenant-isolation\] aws role of \(untagged role handmade\)\/handmade: a token of globex\/billing-sync assumes it/,
      ),
    );
  });

  it("GIVEN a role whose trust lost its subject condition WHEN checked THEN m2m-aws-role-trust reports exact-subject", async () => {
    const resources = edit(await devResources(), "aws:iam/role:Role", "globex-billing-sync", (p) => {
      const doc = JSON.parse(p.assumeRolePolicy);
      delete doc.Statement[0].Condition.StringEquals["acme-dev.eu.auth0.com/:sub"];
      p.assumeRolePolicy = JSON.stringify(doc);
    });
    expect(validateResources(awsRoleTrust, resources)).toEqual([
      expect.stringMatching(/^\[exact-subject\] role globex-billing-sync: .*\{client_id\}@clients/),
    ]);
  });

  it("GIVEN a pool provider without condition WHEN checked THEN m2m-gcp-provider-condition reports it", async () => {
    const resources = edit(
      await devResources(),
      "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
      "auth0-auth0",
      (p) => {
        p.attributeCondition = undefined;
      },
    );
    expect(validateResources(gcpProviderCondition, resources)).toEqual([
      expect.stringMatching(/^\[gcp-condition\]/),
    ]);
  });

  it("GIVEN a binding of the whole pool WHEN checked THEN m2m-gcp-no-pool-wide-binding reports it", async () => {
    const resources = edit(
      await devResources(),
      "gcp:projects/iAMMember:IAMMember",
      "umbrella-analytics-role-0",
      (p) => {
        p.member = String(p.member)
          .replace(/\/subject\/.*$/, "/*")
          .replace("principal://", "principalSet://");
      },
    );
    expect(validateResources(gcpNoPoolWideBinding, resources)).toEqual([
      expect.stringMatching(/^\[no-pool-wide-binding\]/),
    ]);
  });

  it("GIVEN a federated credential whose issuer lost its slash WHEN checked THEN m2m-azure-federated-credential-exact reports it", async () => {
    const resources = edit(
      await devResources(),
      "azure-native:managedidentity:FederatedIdentityCredential",
      "umbrella-analytics",
      (p) => {
        p.issuer = "https://acme-dev.eu.auth0.com";
      },
    );
    expect(validateResources(azureCredentialExact, resources)).toEqual([
      expect.stringMatching(/^\[azure-exact-match\].*trailing slash/),
    ]);
  });

  it("GIVEN umbrella's Azure credential trusting initech's subject WHEN the stack is checked THEN m2m-tenant-isolation reports it", async () => {
    const resources = edit(
      await devResources(),
      "azure-native:managedidentity:FederatedIdentityCredential",
      "umbrella-analytics",
      (p) => {
        p.subject = "initech-order-api-client-id@clients";
      },
    );
    expect(validateStack(tenantIsolation, resources)).toContainEqual(
      "[tenant-isolation] azure credential of umbrella/auth0-analytics: a token of initech/auth0-order-api is accepted",
    );
  });

  it("GIVEN initech's service account impersonable by umbrella's subject WHEN the stack is checked THEN m2m-tenant-isolation reports it", async () => {
    const resources = edit(
      await devResources(),
      "gcp:serviceaccount/iAMMember:IAMMember",
      "initech-report-export-impersonate",
      (p) => {
        p.member = String(p.member).replace(
          "initech-report-export-client-id",
          "umbrella-analytics-client-id",
        );
      },
    );
    expect(validateStack(tenantIsolation, resources)).toContainEqual(
      expect.stringMatching(
        /^\[tenant-isolation\] gcp initech-report-export-impersonate .*: a token of umbrella\/analytics is granted it/,
      ),
    );
  });

  it("GIVEN values unknown at preview (new clients) WHEN checked THEN they are reported as not checkable, advisory", async () => {
    const resources = edit(await devResources(), "auth0:index/client:Client", "globex-billing-sync", (p) => {
      p.clientId = undefined;
    });
    expect(notCheckableAtPreview.enforcementLevel).toBe("advisory");
    expect(validateStack(notCheckableAtPreview, resources)).toEqual([
      expect.stringMatching(/globex-billing-sync: not checkable at preview/),
    ]);
  });

  it("GIVEN the committed bundle WHEN built again THEN it is identical, and needs only @pulumi/policy", () => {
    const committed = readFileSync(POLICY_BUNDLE, "utf8");
    expect(committed === buildPolicyPack(), "policy/dist/index.js is stale: run npm run build:policy").toBe(
      true,
    );
    expect([...committed.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(["@pulumi/policy"]);
    expect(JSON.parse(readFileSync("policy/package.json", "utf8")).main).toBe("dist/index.js");
  });
});
