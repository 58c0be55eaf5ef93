import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import type { ProgramOutputs } from "../../infra/program.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { azureCredentialOrder } from "../../src/model/trust/azure/azure-trust.ts";
import { environmentWithClouds, FIXTURE_CLOUDS } from "../fixtures/environment.ts";
import {
  mockStack,
  type RegisteredResource,
  resolved,
  settled,
  stackConfig,
} from "../support/mocked-stack.ts";

type CloudSet = ("aws" | "gcp" | "azure")[];

async function run(clouds: CloudSet) {
  const resources = await mockStack("test", stackConfig(environmentWithClouds(clouds)), [
    "m2m:auth0ClientSecret",
  ]);
  const outputs = (await program()) as ProgramOutputs;
  await settled();
  const byName = (type: string, name: string) =>
    resources.find((r) => r.type === type && r.name === name)?.inputs;
  const all = (type: string) => resources.filter((r) => r.type === type);
  return { resources, outputs, byName, all };
}

const ISSUER = "https://acme-test.eu.auth0.com/";
const POOL = "projects/987654321098/locations/global/workloadIdentityPools/m2m-test";
const principal = (clientId: string) => `principal://iam.googleapis.com/${POOL}/subject/${clientId}@clients`;
const trust = (clientId: string, tenant: string, workload: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "WorkloadWebIdentity",
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/acme-test.eu.auth0.com/" },
      Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
      Condition: {
        StringEquals: {
          "acme-test.eu.auth0.com/:sub": `${clientId}@clients`,
          "acme-test.eu.auth0.com/:aud": [clientId, "https://aws.m2m.acme.example"],
          "aws:RequestTag/tenant_id": tenant,
          "aws:RequestTag/workload": workload,
        },
      },
    },
  ],
});
const typesOf = (resources: RegisteredResource[]) => new Set(resources.map((r) => r.type.split(":")[0]));

describe("cloud trust under mocks", () => {
  describe("GIVEN AWS alone", () => {
    it("WHEN the program runs THEN only AWS is provisioned, with an explicit provider locked to the account", async () => {
      const { resources, all } = await run(["aws"]);
      expect(typesOf(resources)).toEqual(new Set(["m2m", "pulumi", "auth0", "aws"]));
      expect(all("pulumi:providers:aws")[0]?.inputs).toMatchObject({
        region: "eu-west-1",
        // Provider config reaches the engine JSON-encoded.
        allowedAccountIds: JSON.stringify(["123456789012"]),
      });
    });

    it("WHEN the program runs THEN the OIDC provider is the issuer with its slash, listing the AWS API and client ids", async () => {
      const { byName } = await run(["aws"]);
      expect(byName("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "auth0")).toEqual({
        url: ISSUER,
        clientIdLists: [
          "https://aws.m2m.acme.example",
          "globex-billing-client-id",
          "initech-exporter-client-id",
          "initech-analytics-client-id",
        ],
      });
    });

    it("WHEN the program runs THEN each role trusts exactly its subject, its audiences and its tenant's session tags", async () => {
      const { byName, all } = await run(["aws"]);
      for (const [name, tenant, workload] of [
        ["globex-billing", "globex", "billing"],
        ["initech-exporter", "initech", "exporter"],
        ["initech-analytics", "initech", "analytics"],
      ] as const) {
        const role = byName("aws:iam/role:Role", name);
        expect(JSON.parse(String(role?.assumeRolePolicy))).toEqual(
          trust(`${name}-client-id`, tenant, workload),
        );
        expect(String(role?.assumeRolePolicy)).not.toContain(":oaud");
      }
      expect(byName("aws:iam/role:Role", "globex-billing")).toMatchObject({
        name: "m2m-test-globex-billing",
        maxSessionDuration: 3600,
        permissionsBoundary: "arn:aws:iam::123456789012:policy/m2m-test-globex-boundary",
      });
      expect(all("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => r.inputs)).toEqual([
        { role: "m2m-test-globex-billing", policyArn: "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess" },
      ]);
      expect(
        JSON.parse(String(byName("aws:iam/rolePolicy:RolePolicy", "globex-billing-inline")?.policy)),
      ).toEqual({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-test-globex/*" }],
      });
    });

    it("WHEN the program runs THEN each tenant gets one boundary policy, generated from its own resources, which each of its roles carries", async () => {
      const { byName, all } = await run(["aws"]);
      expect(all("aws:iam/policy:Policy").map((r) => r.name)).toEqual([
        "globex-boundary",
        "initech-boundary",
      ]);
      const boundary = byName("aws:iam/policy:Policy", "initech-boundary");
      expect(boundary).toMatchObject({
        name: "m2m-test-initech-boundary",
        tags: { "m2m:tenant_id": "initech", "m2m:environment": "test" },
      });
      const document = JSON.parse(String(boundary?.policy));
      expect(document.Statement[0]).toEqual({
        Sid: "TenantResources",
        Effect: "Allow",
        Action: "*",
        Resource: ["arn:aws:s3:::acme-test-initech", "arn:aws:s3:::acme-test-initech/*"],
      });
      expect(document.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
        "TenantResources",
        "OutsideTenant",
        "NoEscalation",
        "OwnTagsOnly",
      ]);
      for (const role of ["initech-exporter", "initech-analytics"])
        expect(byName("aws:iam/role:Role", role)?.permissionsBoundary).toBe(
          "arn:aws:iam::123456789012:policy/m2m-test-initech-boundary",
        );
    });

    it("WHEN the program runs THEN each AWS workload's output names its role ARN", async () => {
      const { outputs } = await run(["aws"]);
      expect(await resolved(pulumi.output(outputs.workloads["globex/billing"]?.awsRoleArn))).toBe(
        "arn:aws:iam::123456789012:role/m2m-test-globex-billing",
      );
    });
  });

  describe("GIVEN GCP alone", () => {
    it("WHEN the program runs THEN the pool and provider carry the exact issuer, audience, mapping and condition", async () => {
      const { resources, byName } = await run(["gcp"]);
      expect(typesOf(resources)).toEqual(new Set(["m2m", "pulumi", "auth0", "gcp"]));
      expect(byName("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "auth0")).toMatchObject({
        project: "acme-test",
        workloadIdentityPoolId: "m2m-test",
      });
      expect(
        byName("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "auth0-auth0"),
      ).toEqual({
        project: "acme-test",
        workloadIdentityPoolId: "m2m-test",
        workloadIdentityPoolProviderId: "auth0",
        displayName: "Auth0",
        attributeMapping: {
          "google.subject": "assertion.sub",
          "attribute.tenant_id": "assertion['https://claims.acme.example/tenant_id']",
          "attribute.workload": "assertion['https://claims.acme.example/workload']",
          "attribute.client_id": "has(assertion.azp) ? assertion.azp : assertion.client_id",
        },
        attributeCondition:
          "'https://claims.acme.example/tenant_id' in assertion && assertion.sub.endsWith('@clients')",
        oidc: { issuerUri: ISSUER, allowedAudiences: ["https://gcp.m2m.acme.example"] },
      });
    });

    it("WHEN the program runs THEN access binds each workload's subject principal, never the pool", async () => {
      const { resources, byName } = await run(["gcp"]);
      expect(byName("gcp:storage/bucketIAMMember:BucketIAMMember", "initech-exporter-role-0")).toEqual({
        bucket: "acme-test-initech_exports",
        role: "roles/storage.objectViewer",
        member: principal("initech-exporter-client-id"),
      });
      expect(byName("gcp:serviceaccount/iAMMember:IAMMember", "initech-exporter-impersonate")).toEqual({
        serviceAccountId: "projects/acme-test/serviceAccounts/test-initech@acme-test.iam.gserviceaccount.com",
        role: "roles/iam.workloadIdentityUser",
        member: principal("initech-exporter-client-id"),
      });
      expect(byName("gcp:bigquery/datasetIamMember:DatasetIamMember", "initech-role-0")).toEqual({
        project: "acme-test",
        datasetId: "test_initech",
        role: "roles/bigquery.dataViewer",
        member: "serviceAccount:test-initech@acme-test.iam.gserviceaccount.com",
      });
      const members = resources.map((r) => String(r.inputs.member ?? "")).filter(Boolean);
      expect(members.some((m) => m.includes("principalSet://") || m.endsWith("/*"))).toBe(false);
    });

    it("WHEN the program runs THEN the credential configuration runs the installed bin/m2m.js with every non-secret input and holds no secret", async () => {
      const { outputs } = await run(["gcp"]);
      const exporter = outputs.workloads["initech/exporter"]?.gcpCredentialConfiguration;
      const config = JSON.parse(exporter ? await resolved(exporter) : "{}");
      expect(config).toEqual({
        type: "external_account",
        audience: `//iam.googleapis.com/${POOL}/providers/auth0`,
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: "https://sts.googleapis.com/v1/token",
        credential_source: {
          executable: {
            command: `${path.resolve("bin/m2m.js")} token --format gcp-executable --workload initech/exporter --issuer https://acme-test.eu.auth0.com/ --client-id initech-exporter-client-id --audience https://gcp.m2m.acme.example --auth-method client_secret_basic --credential-env M2M_CLIENT_SECRET`,
            timeout_millis: 30000,
            output_file: "/tmp/m2m-test-gcp/initech-exporter.json",
          },
        },
        service_account_impersonation_url:
          "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/test-initech@acme-test.iam.gserviceaccount.com:generateAccessToken",
      });
      const analyticsOutput = outputs.workloads["initech/analytics"]?.gcpCredentialConfiguration;
      const analytics = JSON.parse(analyticsOutput ? await resolved(analyticsOutput) : "{}");
      expect(analytics.credential_source.executable.command).toMatch(
        / --client-id initech-analytics-client-id .* --auth-method private_key_jwt --credential-file \/var\/run\/secrets\/m2m\/private-key\.pem --key-alg RS256$/,
      );
      expect(analytics).not.toHaveProperty("service_account_impersonation_url");
    });
  });

  describe("GIVEN Azure alone", () => {
    it("WHEN the program runs THEN each tenant has one identity, each workload an exact federated credential", async () => {
      const { resources, all, byName } = await run(["azure"]);
      expect(typesOf(resources)).toEqual(new Set(["m2m", "pulumi", "auth0", "azure-native"]));
      expect(all("pulumi:providers:azure-native")[0]?.inputs).toMatchObject({
        subscriptionId: FIXTURE_CLOUDS.azure.subscriptionId,
        tenantId: FIXTURE_CLOUDS.azure.tenantId,
      });
      expect(
        all("azure-native:managedidentity:UserAssignedIdentity").map((r) => r.inputs.resourceName),
      ).toEqual(["m2m-test-globex", "m2m-test-initech"]);
      expect(byName("azure-native:managedidentity:FederatedIdentityCredential", "initech-analytics")).toEqual(
        {
          resourceGroupName: "m2m-test",
          resourceName: "m2m-test-initech",
          federatedIdentityCredentialResourceName: "auth0-analytics",
          issuer: ISSUER,
          subject: "initech-analytics-client-id@clients",
          audiences: ["api://AzureADTokenExchange"],
        },
      );
      expect(byName("azure-native:authorization:RoleAssignment", "initech-role-0")).toEqual({
        principalId: "initech-principal-id",
        principalType: "ServicePrincipal",
        roleDefinitionId: `/subscriptions/${FIXTURE_CLOUDS.azure.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1`,
        scope: `/subscriptions/${FIXTURE_CLOUDS.azure.subscriptionId}/resourceGroups/acme-test-initech`,
      });
    });

    it("WHEN a tenant has several Azure workloads THEN its credentials are created one after another", () => {
      const env = parseEnvironment(environmentWithClouds(["azure"]), "test");
      const initech = env.tenants[1];
      if (!initech) throw new Error("fixture has initech");
      expect(azureCredentialOrder(env, initech)).toEqual([
        { workload: "exporter", after: undefined },
        { workload: "analytics", after: "exporter" },
      ]);
    });

    it("WHEN the program runs THEN each Azure workload's output names the identity and the directory", async () => {
      const { outputs } = await run(["azure"]);
      const azure = outputs.workloads["initech/exporter"]?.azure;
      expect(azure?.tenantId).toBe(FIXTURE_CLOUDS.azure.tenantId);
      expect(await resolved(pulumi.output(azure?.clientId))).toBe("initech-identity-client-id");
    });
  });

  describe("GIVEN all three clouds", () => {
    it("WHEN the program runs THEN each cloud's resources are there, each trusting the same issuer", async () => {
      const { byName, all } = await run(["aws", "gcp", "azure"]);
      expect(byName("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "auth0")?.url).toBe(ISSUER);
      expect(
        byName("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "auth0-auth0")?.oidc,
      ).toMatchObject({
        issuerUri: ISSUER,
      });
      for (const c of all("azure-native:managedidentity:FederatedIdentityCredential"))
        expect(c.inputs.issuer).toBe(ISSUER);
      expect(all("aws:iam/role:Role")).toHaveLength(3);
      expect(all("azure-native:managedidentity:FederatedIdentityCredential")).toHaveLength(3);
    });
  });
});
