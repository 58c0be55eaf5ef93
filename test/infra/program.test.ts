import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import type { ProgramOutputs } from "../../infra/program.ts";
import { actionConstants, bundleAction } from "../../src/bundle/action-bundle.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { grantResourceName, workloadResourceName } from "../../src/model/environment/names.ts";
import { validEnvironment } from "../fixtures/environment.ts";
import {
  committedEnvironment,
  MOCK_CREDENTIALS,
  mockStack,
  type RegisteredResource,
  resolved,
  settled,
  stackConfig,
} from "../support/mocked-stack.ts";

const SECRET_KEYS = ["m2m:auth0ClientSecret"];
const T = {
  provider: "pulumi:providers:auth0",
  api: "auth0:index/resourceServer:ResourceServer",
  scopes: "auth0:index/resourceServerScopes:ResourceServerScopes",
  client: "auth0:index/client:Client",
  grant: "auth0:index/clientGrant:ClientGrant",
  credentials: "auth0:index/clientCredentials:ClientCredentials",
  action: "auth0:index/action:Action",
  triggerActions: "auth0:index/triggerActions:TriggerActions",
};

async function run(stack: string, environment: unknown) {
  const resources = await mockStack(stack, stackConfig(environment), SECRET_KEYS);
  const outputs = await program();
  await settled();
  return { resources, outputs };
}

const ofType = (resources: RegisteredResource[], type: string) => resources.filter((r) => r.type === type);
function countByType(resources: RegisteredResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

describe("the Pulumi program under mocks", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    describe(`GIVEN the committed ${stack} stack`, () => {
      const raw = committedEnvironment(stack);
      const env = parseEnvironment(raw, stack);
      const workloads = env.tenants.flatMap((t) => t.workloads.map((w) => ({ tenant: t, workload: w })));
      const grants = workloads.flatMap(({ workload }) => workload.grants);

      it("WHEN it runs THEN it registers exactly the model's resources, by type and count", async () => {
        const { resources } = await run(stack, raw);
        expect(workloads).toHaveLength(4);
        expect(grants).toHaveLength(11);
        expect(countByType(resources)).toEqual({
          [T.provider]: 1,
          "m2m:auth0:Api": 5,
          [T.api]: 5,
          [T.scopes]: 5,
          "m2m:auth0:CredentialsExchange": 1,
          [T.action]: 1,
          [T.triggerActions]: 1,
          "m2m:auth0:WorkloadClient": 4,
          [T.client]: 4,
          [T.grant]: 11,
          [T.credentials]: 4,
          // AWS: globex/billing-sync and umbrella/analytics
          "pulumi:providers:aws": 1,
          "m2m:aws:OidcProvider": 1,
          "aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1,
          "m2m:aws:WorkloadRole": 2,
          "aws:iam/role:Role": 2,
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
          "aws:iam/rolePolicy:RolePolicy": 1,
          "m2m:aws:TenantBoundary": 2,
          "aws:iam/policy:Policy": 2,
          // GCP: initech/report-export (impersonating initech's account) and umbrella/analytics
          "pulumi:providers:gcp": 1,
          "m2m:gcp:WorkloadIdentityPool": 1,
          "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": 1,
          "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": 1,
          "m2m:gcp:TenantServiceAccount": 1,
          "gcp:serviceaccount/account:Account": 1,
          "m2m:gcp:WorkloadAccess": 2,
          "gcp:storage/bucketIAMMember:BucketIAMMember": 1,
          "gcp:bigquery/datasetIamMember:DatasetIamMember": 2,
          "gcp:serviceaccount/iAMMember:IAMMember": 1,
          // Azure: initech/order-api and umbrella/analytics, one identity per tenant
          "pulumi:providers:azure-native": 1,
          "m2m:azure:TenantIdentity": 2,
          "azure-native:managedidentity:UserAssignedIdentity": 2,
          "azure-native:managedidentity:FederatedIdentityCredential": 2,
          "azure-native:authorization:RoleAssignment": 1,
        });
      });

      it("WHEN it runs THEN every Auth0 resource uses the stack's explicit provider for its own domain", async () => {
        const { resources } = await run(stack, raw);
        const [provider] = ofType(resources, T.provider);
        expect(provider?.inputs).toMatchObject({
          domain: `acme-${stack}.eu.auth0.com`,
          clientId: MOCK_CREDENTIALS.clientId,
        });
        const custom = resources.filter((r) => r.type.startsWith("auth0:"));
        expect(custom.length).toBeGreaterThan(0);
        for (const r of custom)
          expect(r.provider).toMatch(new RegExp(`pulumi:providers:auth0::auth0-${stack}::`));
      });

      it("WHEN it runs THEN each ClientGrant carries exactly the model's scopes and never allow_all_scopes", async () => {
        const { resources } = await run(stack, raw);
        const expected = workloads.flatMap(({ tenant, workload }) =>
          workload.grants.map((g) => ({
            name: grantResourceName(tenant.id, workload.name, g.api),
            clientId: `${workloadResourceName(tenant.id, workload.name)}-client-id`,
            audience: env.apis.find((a) => a.key === g.api)?.identifier,
            scopes: g.scopes,
          })),
        );
        const actual = ofType(resources, T.grant).map((r) => ({
          name: r.name,
          clientId: r.inputs.clientId,
          audience: r.inputs.audience,
          scopes: r.inputs.scopes,
        }));
        expect(actual.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
          expected.sort((a, b) => a.name.localeCompare(b.name)),
        );
        // What the program sends; pulumi-auth0 3.37's provider-side allow_all_scopes bug is beyond mocks.
        for (const r of ofType(resources, T.grant)) expect(r.inputs.allowAllScopes).toBeUndefined();
      });
    });
  }

  describe("GIVEN the dev stack", () => {
    const raw = committedEnvironment("dev");
    const env = parseEnvironment(raw, "dev");

    it("WHEN it runs THEN each workload's Client is a client-credentials-only M2M app marked as managed", async () => {
      const { resources } = await run("dev", raw);
      const client = ofType(resources, T.client).find((r) => r.name === "initech-report-export");
      expect(client?.inputs).toMatchObject({
        name: "m2m-dev-initech-report-export",
        appType: "non_interactive",
        grantTypes: ["client_credentials"],
        clientMetadata: {
          managed_by: "auth0-m2m-federation",
          tenant_id: "initech",
          workload: "report-export",
        },
        isFirstParty: true,
        oidcConformant: true,
        callbacks: [],
      });
    });

    it("WHEN it runs THEN each workload's credentials use its authentication method, with its PEM keys", async () => {
      const { resources } = await run("dev", raw);
      const byName = new Map(ofType(resources, T.credentials).map((r) => [r.name, r.inputs]));
      expect(byName.get("globex-billing-sync-credentials")).toEqual({
        clientId: "globex-billing-sync-client-id",
        authenticationMethod: "client_secret_post",
      });
      expect(byName.get("initech-report-export-credentials")?.authenticationMethod).toBe(
        "client_secret_basic",
      );
      const auth = env.tenants[2]?.workloads[0]?.authentication;
      if (auth?.method !== "private_key_jwt")
        throw new Error("dev's umbrella/analytics uses private_key_jwt");
      expect(byName.get("umbrella-analytics-credentials")).toEqual({
        clientId: "umbrella-analytics-client-id",
        authenticationMethod: "private_key_jwt",
        privateKeyJwt: {
          credentials: [
            {
              name: "analytics-2026-11",
              credentialType: "public_key",
              pem: auth.keys[0]?.pem,
              algorithm: "RS256",
            },
          ],
        },
      });
    });

    it("WHEN it runs THEN APIs and their scopes are ResourceServer + ResourceServerScopes with the model's values", async () => {
      const { resources } = await run("dev", raw);
      expect(ofType(resources, T.api).find((r) => r.name === "orders")?.inputs).toEqual({
        identifier: "https://orders.api.acme.example",
        name: "Orders API (dev)",
        signingAlg: "RS256",
        tokenLifetime: 3600,
        tokenDialect: "access_token",
        enforcePolicies: false,
        allowOfflineAccess: false,
        skipConsentForVerifiableFirstPartyClients: true,
      });
      expect(ofType(resources, T.scopes).find((r) => r.name === "orders-scopes")?.inputs).toEqual({
        resourceServerIdentifier: "https://orders.api.acme.example",
        scopes: [
          { name: "orders:read", description: "Read a tenant's orders" },
          { name: "orders:write", description: "Create and update a tenant's orders" },
        ],
      });
      expect(resources.some((r) => r.type === "auth0:index/resourceServerScope:ResourceServerScope")).toBe(
        false,
      );
    });

    it("WHEN it runs THEN the Action is the bundled code, node22, deployed, for credentials-exchange v2", async () => {
      const { resources } = await run("dev", raw);
      const [action] = ofType(resources, T.action);
      expect(action?.inputs).toEqual({
        name: "m2m-tenant-claims",
        code: bundleAction("tenant-claims", actionConstants(env)).code,
        runtime: "node22",
        deploy: true,
        supportedTriggers: { id: "credentials-exchange", version: "v2" },
      });
    });

    it("WHEN it runs THEN the outputs give issuer, audiences and client ids, and client secrets only as a secret", async () => {
      const { outputs } = await run("dev", raw);
      const o = outputs as ProgramOutputs;
      expect(o.issuer).toBe("https://acme-dev.eu.auth0.com/");
      expect(o.tokenEndpoint).toBe("https://acme-dev.eu.auth0.com/oauth/token");
      expect(o.audiences).toEqual({
        orders: "https://orders.api.acme.example",
        reports: "https://reports.api.acme.example",
        aws: "https://aws.m2m.acme.example",
        gcp: "https://gcp.m2m.acme.example",
        azure: "api://AzureADTokenExchange",
      });
      expect(await resolved(pulumi.output(o.workloads["globex/billing-sync"]))).toEqual({
        tenantId: "globex",
        workload: "billing-sync",
        clientId: "globex-billing-sync-client-id",
        authenticationMethod: "client_secret_post",
        awsRoleArn: "arn:aws:iam::111111111111:role/m2m-dev-globex-billing-sync",
      });
      expect(await pulumi.isSecret(o.clientSecrets)).toBe(true);
      expect(Object.keys(await resolved(o.clientSecrets)).sort()).toEqual([
        "globex/billing-sync",
        "initech/order-api",
        "initech/report-export",
      ]);
      const workloads = await resolved(pulumi.output(o.workloads));
      expect(Object.keys(workloads)).toHaveLength(4);
      expect(JSON.stringify(workloads)).not.toContain("-credentials-SECRET");
    });
  });

  describe("GIVEN the staging stack, where another team bound an Action", () => {
    it("WHEN it runs THEN the binding list keeps that Action, in the model's order, before ours", async () => {
      const { resources } = await run("staging", committedEnvironment("staging"));
      const [binding] = ofType(resources, T.triggerActions);
      expect(binding?.inputs).toEqual({
        trigger: "credentials-exchange",
        actions: [
          {
            id: "2b5a7c3e-4f1d-4e8a-9b6c-0d1e2f3a4b5c",
            displayName: "Security team - block suspended clients",
          },
          { id: "tenant-claims-id", displayName: "m2m-tenant-claims" },
        ],
      });
    });
  });

  describe("GIVEN the Management API secret in stack config", () => {
    it("WHEN the provider is registered THEN the secret reaches it only as a Pulumi secret", async () => {
      const { resources } = await run("dev", committedEnvironment("dev"));
      const [provider] = ofType(resources, T.provider);
      // A secret reaches the engine wrapped in Pulumi's secret signature, so state encrypts it.
      expect(provider?.inputs.clientSecret).toEqual({
        [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
        value: MOCK_CREDENTIALS.clientSecret,
      });
    });
  });

  describe("GIVEN an Auth0 API token exported in the shell", () => {
    it("WHEN the program runs THEN it refuses, naming the variable, and registers nothing", async () => {
      const resources = await mockStack("dev", stackConfig(committedEnvironment("dev")), SECRET_KEYS);
      process.env.AUTH0_API_TOKEN = "eyJ-some-other-token";
      try {
        await expect(program()).rejects.toSatisfy(
          (e: Error) =>
            pulumi.RunError.isInstance(e) && /AUTH0_API_TOKEN is set.*unset AUTH0_API_TOKEN/.test(e.message),
        );
      } finally {
        delete process.env.AUTH0_API_TOKEN;
      }
      await settled();
      expect(resources).toEqual([]);
    });
  });

  describe("GIVEN an invalid environment", () => {
    it("WHEN the program runs THEN it fails with the issues as a RunError and registers nothing", async () => {
      const raw = validEnvironment();
      raw.tenants[0] = {
        id: "globex",
        workloads: [{ name: "billing", grants: [{ api: "nope", scopes: ["x"] }] }],
      };
      const resources = await mockStack("dev", stackConfig(raw), SECRET_KEYS);
      await expect(program()).rejects.toSatisfy(
        (e: Error) => pulumi.RunError.isInstance(e) && /grants\[0\]\.api: unknown API "nope"/.test(e.message),
      );
      await settled();
      expect(resources).toEqual([]);
    });
  });
});
