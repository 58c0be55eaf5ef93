import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { buildPolicyPack, POLICY_BUNDLE } from "../../policy/build.ts";
import { isResourcePolicyType } from "../../policy/src/aws-resource-policies.ts";
import {
  accessTypesUnderstood,
  awsRoleTrust,
  azureCredentialExact,
  gcpNoPoolWideBinding,
  gcpProviderAudience,
  gcpProviderCondition,
  m2mPolicies,
  notCheckableAtPreview,
  tenantIsolation,
  unknownAccess,
} from "../../policy/src/policies.ts";
import { UNKNOWN_SENTINELS } from "../../policy/src/preview-value.ts";
import {
  accessClass,
  GRANT_NOTHING,
  normalisedType,
  suggestsAccess,
} from "../../policy/src/resource-types.ts";
import { asPreview, type DraftResource, devDrafts, draft, UNKNOWN_STRING, urnOf } from "./preview.ts";

const ROLE = "aws:iam/role:Role";
const GCP_SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
const FIC = "azure-native:managedidentity:FederatedIdentityCredential";
const PROVIDER_ARN = "arn:aws:iam::111111111111:oidc-provider/acme-dev.eu.auth0.com/";
const POOL = "projects/123456789011/locations/global/workloadIdentityPools/m2m-dev";
const subjectOf = (client: string) =>
  `principal://iam.googleapis.com/${POOL}/subject/${client}-client-id@clients`;

function validateResources(policy: ResourceValidationPolicy, resources: PolicyResource[]): string[] {
  const found: string[] = [];
  const validate = policy.validateResource as (
    args: ResourceValidationArgs,
    report: (m: string) => void,
  ) => void;
  for (const r of resources)
    validate(r as unknown as ResourceValidationArgs, (message) => found.push(message));
  return found;
}

function validateStack(policy: StackValidationPolicy, resources: PolicyResource[]): string[] {
  const found: string[] = [];
  policy.validateStack({ resources } as unknown as StackValidationArgs, (message, urn) =>
    found.push(urn ? `${urn}: ${message}` : message),
  );
  return found;
}

const run = (policy: ResourceValidationPolicy | StackValidationPolicy, drafts: DraftResource[]) =>
  "validateResource" in policy
    ? validateResources(policy as ResourceValidationPolicy, asPreview(drafts))
    : validateStack(policy as StackValidationPolicy, asPreview(drafts));

const mandatory = (drafts: DraftResource[]) =>
  m2mPolicies.filter((p) => p.enforcementLevel === "mandatory").flatMap((p) => run(p, drafts));

/** A policy document as IAM takes it. */
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/** The drafts with every role's permissions boundary removed: what the escalation check sees without it. */
const unbounded = (drafts: DraftResource[]) => {
  for (const d of drafts.filter((x) => x.type === ROLE)) delete d.props.permissionsBoundary;
  return drafts;
};

describe("the policy pack over the dev stack", () => {
  it("GIVEN the dev stack as previewed WHEN every policy runs THEN no mandatory policy reports, and the advisory one names only the AWS managed policies it cannot read offline", async () => {
    const drafts = await devDrafts();
    for (const policy of m2mPolicies.filter((p) => p.enforcementLevel === "mandatory"))
      expect(run(policy, drafts), policy.name).toEqual([]);
    expect(run(notCheckableAtPreview, drafts)).toEqual([
      expect.stringMatching(
        /globex-billing-sync-managed-0: .*AmazonSQSReadOnlyAccess \(an AWS managed policy\)/,
      ),
      expect.stringMatching(
        /umbrella-analytics-managed-0: .*AmazonS3ReadOnlyAccess \(an AWS managed policy\)/,
      ),
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

describe("AWS: every role that lets the provider in, and every policy on a tenant role", () => {
  it("GIVEN an untagged role letting the provider in through a Principal list and NotAction WHEN checked THEN its trust and isolation are reported", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: ROLE,
      name: "handmade",
      props: {
        name: "handmade",
        assumeRolePolicy: doc({
          Effect: "Allow",
          Principal: { Federated: [PROVIDER_ARN] },
          NotAction: "iam:*",
        }),
      },
    });
    expect(run(awsRoleTrust, drafts)).toContainEqual(
      expect.stringMatching(
        /role:Role::handmade: \[exact-subject\] role handmade: Statement\[0\]: the trust must require StringEquals :sub/,
      ),
    );
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /^\[tenant-isolation\] aws role of \(untagged role handmade\)\/handmade: a token of globex\/billing-sync assumes it/,
      ),
    );
  });

  it("GIVEN a control role trusting another provider WHEN checked THEN nothing is reported", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: ROLE,
      name: "github",
      props: {
        name: "github",
        assumeRolePolicy: doc({
          Effect: "Allow",
          Principal: {
            Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" },
          },
        }),
      },
    });
    expect(mandatory(drafts)).toEqual([]);
  });

  it("GIVEN a GitHub Actions OIDC provider and its deploy role beside the m2m ones WHEN checked THEN nothing is reported: they are not m2m's", async () => {
    const drafts = await devDrafts();
    const github = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
    drafts.push(
      {
        type: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
        name: "github",
        props: {
          url: "https://token.actions.githubusercontent.com",
          clientIdLists: ["sts.amazonaws.com"],
          arn: github,
        },
      },
      {
        type: ROLE,
        name: "deploy",
        props: {
          name: "deploy",
          assumeRolePolicy: doc({
            Effect: "Allow",
            Principal: { Federated: github },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main",
              },
            },
          }),
        },
      },
    );
    expect(mandatory(drafts)).toEqual([]);
  });

  it("GIVEN a role whose trust lost its subject condition WHEN checked THEN m2m-aws-role-trust reports exact-subject", async () => {
    const drafts = await devDrafts();
    const role = draft(drafts, ROLE, "globex-billing-sync");
    const trust = JSON.parse(role.props.assumeRolePolicy);
    delete trust.Statement[0].Condition.StringEquals["acme-dev.eu.auth0.com/:sub"];
    role.props.assumeRolePolicy = JSON.stringify(trust);
    expect(run(awsRoleTrust, drafts)).toEqual([
      expect.stringMatching(
        /role:Role::globex-billing-sync: \[exact-subject\] role globex-billing-sync: .*\{client_id\}@clients/,
      ),
    ]);
  });

  it("GIVEN an inline policy letting globex's role rewrite other roles' trust WHEN checked THEN isolation names each role it could take over", async () => {
    const drafts = unbounded(await devDrafts());
    draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc({
      Effect: "Allow",
      Action: ["iam:UpdateAssumeRolePolicy", "s3:GetObject"],
      Resource: "arn:aws:iam::*:role/m2m-*",
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] aws role of globex/billing-sync: may iam:UpdateAssumeRolePolicy on role of umbrella/analytics: it could act as any tenant whose token that trust admits",
    );
  });

  it("GIVEN the same statement under an explicit Deny of IAM writes WHEN checked THEN nothing is reported (the control)", async () => {
    const drafts = await devDrafts();
    draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc(
      { Effect: "Allow", Action: "iam:UpdateAssumeRolePolicy", Resource: "arn:aws:iam::*:role/m2m-*" },
      { Effect: "Deny", Action: "iam:*", Resource: "*" },
    );
    expect(run(tenantIsolation, drafts)).toEqual([]);
  });

  it("GIVEN AdministratorAccess attached to umbrella's role WHEN checked THEN isolation reports it may take over the provider and globex's role", async () => {
    const drafts = unbounded(await devDrafts());
    draft(
      drafts,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "umbrella-analytics-managed-0",
    ).props.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess";
    const found = run(tenantIsolation, drafts);
    expect(found).toContainEqual(
      expect.stringMatching(/umbrella\/analytics: may .*iam:PassRole on role of globex\/billing-sync/),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /umbrella\/analytics: may iam:AddClientIDToOpenIDConnectProvider.* on the m2m OIDC provider/,
      ),
    );
  });

  it("GIVEN AdministratorAccess attached to umbrella's role WHEN the role carries its tenant's boundary THEN nothing is reported: the boundary denies every escalation", async () => {
    const drafts = await devDrafts();
    draft(
      drafts,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "umbrella-analytics-managed-0",
    ).props.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess";
    expect(run(tenantIsolation, drafts)).toEqual([]);
  });

  it("GIVEN a tenant role without a boundary, and one carrying another tenant's WHEN checked THEN tenant-reach reports both", async () => {
    const drafts = await devDrafts();
    delete draft(drafts, ROLE, "globex-billing-sync").props.permissionsBoundary;
    draft(drafts, ROLE, "umbrella-analytics").props.permissionsBoundary =
      "arn:aws:iam::111111111111:policy/m2m-dev-globex-boundary";
    expect(run(tenantIsolation, drafts)).toEqual(
      expect.arrayContaining([
        "[tenant-reach] aws role of globex/billing-sync: it carries no permissions boundary: its policies are confined to nothing; give it its tenant's generated boundary",
        "[tenant-reach] aws role of umbrella/analytics: its permissions boundary arn:aws:iam::111111111111:policy/m2m-dev-globex-boundary is not a policy of tenant umbrella in this stack: its permissions are not confined to its tenant",
      ]),
    );
  });

  it("GIVEN umbrella's boundary edited to claim globex's bucket as its own WHEN checked THEN the overlap and the reach are reported", async () => {
    const drafts = await devDrafts();
    const boundary = draft(drafts, "aws:iam/policy:Policy", "umbrella-boundary");
    const document = JSON.parse(boundary.props.policy);
    document.Statement[0].Resource.push("arn:aws:s3:::acme-dev-globex/*");
    const outside = document.Statement.find((s: { Sid: string }) => s.Sid === "OutsideTenant");
    outside.NotResource.push("arn:aws:s3:::acme-dev-globex/*");
    boundary.props.policy = JSON.stringify(document);
    const found = run(tenantIsolation, drafts);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^\[tenant-reach\] aws boundaries of (globex and umbrella|umbrella and globex): /,
      ),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^\[tenant-reach\] aws role of umbrella\/analytics: reaches arn:aws:s3:::acme-dev-globex\/probe of globex/,
      ),
    );
  });

  it("GIVEN a customer managed policy attached by its ARN WHEN it allows iam:PassRole on every role THEN isolation reports it", async () => {
    const drafts = unbounded(await devDrafts());
    drafts.push({
      type: "aws:iam/policy:Policy",
      name: "passer",
      props: {
        arn: "arn:aws:iam::111111111111:policy/passer",
        policy: doc({ Effect: "Allow", Action: "iam:Pass*", Resource: "*" }),
      },
    });
    drafts.push({
      type: "aws:iam/policyAttachment:PolicyAttachment",
      name: "passer-attachment",
      props: { policyArn: "arn:aws:iam::111111111111:policy/passer", roles: ["m2m-dev-globex-billing-sync"] },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(/globex\/billing-sync: may iam:PassRole on role of umbrella\/analytics/),
    );
  });

  it("GIVEN an inline policy that IAM would refuse WHEN checked THEN malformed-policy reports it instead of throwing", async () => {
    const drafts = await devDrafts();
    draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc({
      Effect: "Allow",
      Resource: "*",
    });
    expect(run(tenantIsolation, drafts)).toEqual([
      "[malformed-policy] aws role of globex/billing-sync: IAM refuses a policy attached to it: Statement[0]: needs Action or NotAction",
    ]);
  });
});

describe("AWS: holes an adversarial review found, each now reported", () => {
  const umbrellaTrust = (drafts: DraftResource[]) => draft(drafts, ROLE, "umbrella-analytics");
  const addStatement = (drafts: DraftResource[], statement: object) => {
    const role = umbrellaTrust(drafts);
    const trust = JSON.parse(role.props.assumeRolePolicy);
    trust.Statement.push(statement);
    role.props.assumeRolePolicy = JSON.stringify(trust);
  };

  it("GIVEN umbrella's trust also lets any principal in with sts:AssumeRole WHEN checked THEN foreign-principal is reported", async () => {
    const drafts = await devDrafts();
    addStatement(drafts, { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" });
    expect(run(awsRoleTrust, drafts)).toContainEqual(
      expect.stringMatching(
        /\[foreign-principal\] role umbrella-analytics: Statement\[1\]: lets any principal \(\*\) in \(sts:AssumeRole\)/,
      ),
    );
  });

  it("GIVEN umbrella's trust lets globex's role in WHEN checked THEN foreign-principal names it", async () => {
    const drafts = await devDrafts();
    addStatement(drafts, {
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111111111111:role/m2m-dev-globex-billing-sync" },
      Action: "sts:AssumeRole",
    });
    expect(run(awsRoleTrust, drafts)).toContainEqual(
      expect.stringMatching(
        /\[foreign-principal\].*AWS arn:aws:iam::111111111111:role\/m2m-dev-globex-billing-sync/,
      ),
    );
  });

  it("GIVEN umbrella's trust gains a statement for initech's subject and tag WHEN checked THEN the trust and isolation both report it", async () => {
    const drafts = await devDrafts();
    const own = JSON.parse(umbrellaTrust(drafts).props.assumeRolePolicy).Statement[0];
    addStatement(drafts, {
      ...own,
      Sid: "Smuggled",
      Condition: {
        StringEquals: {
          ...own.Condition.StringEquals,
          "acme-dev.eu.auth0.com/:sub": "initech-report-export-client-id@clients",
          "aws:RequestTag/tenant_id": "initech",
          "aws:RequestTag/workload": "report-export",
        },
      },
    });
    expect(run(awsRoleTrust, drafts)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /\[exact-subject\] role umbrella-analytics: Statement\[1\]: :sub initech-report-export-client-id@clients is not umbrella-analytics-client-id@clients/,
        ),
        expect.stringMatching(/\[request-tag\] role umbrella-analytics: .*must be exactly umbrella/),
      ]),
    );
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] aws role of umbrella/analytics: a token of initech/report-export assumes it (STS reading aud)",
    );
  });

  it("GIVEN an untagged role whose trust is written as an object WHEN checked THEN it is read like JSON text", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: ROLE,
      name: "as-object",
      props: {
        name: "as-object",
        assumeRolePolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: PROVIDER_ARN },
              Action: "sts:AssumeRoleWithWebIdentity",
            },
          ],
        },
      },
    });
    expect(run(awsRoleTrust, drafts)).toContainEqual(
      expect.stringMatching(/\[exact-subject\] role as-object/),
    );
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(/\[tenant-isolation\] aws role of \(untagged role as-object\)/),
    );
  });

  for (const [what, condition] of [
    ["the target role's tag", { StringEquals: { "aws:ResourceTag/m2m:tenant_id": "umbrella" } }],
    ["the caller's account", { StringEquals: { "aws:PrincipalAccount": "111111111111" } }],
    [
      "a key IAM fills in that the pack does not know",
      { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
    ],
  ] as const) {
    it(`GIVEN globex may rewrite umbrella's trust on a condition on ${what} WHEN checked THEN isolation reports it`, async () => {
      const drafts = unbounded(await devDrafts());
      draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc({
        Effect: "Allow",
        Action: "iam:UpdateAssumeRolePolicy",
        Resource: "*",
        Condition: condition,
      });
      expect(run(tenantIsolation, drafts)).toContainEqual(
        expect.stringMatching(
          /globex\/billing-sync: may iam:UpdateAssumeRolePolicy on role of umbrella\/analytics/,
        ),
      );
    });
  }

  it("GIVEN an Allow of iam:* under a Deny conditioned on a key the pack cannot know WHEN checked THEN the Deny does not hide it", async () => {
    const drafts = unbounded(await devDrafts());
    draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc(
      { Effect: "Allow", Action: "iam:*", Resource: "*" },
      {
        Effect: "Deny",
        Action: "iam:*",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:SourceVpc": "vpc-1" } },
      },
    );
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /globex\/billing-sync: may iam:UpdateAssumeRolePolicy.* on role of umbrella\/analytics/,
      ),
    );
  });

  it("GIVEN globex may write a new version of a customer policy attached to umbrella's role WHEN checked THEN isolation reports it", async () => {
    const drafts = unbounded(await devDrafts());
    drafts.push(
      {
        type: "aws:iam/policy:Policy",
        name: "umbrella-extra",
        props: {
          arn: "arn:aws:iam::111111111111:policy/umbrella-extra",
          policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
        },
      },
      {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "umbrella-extra",
        props: {
          role: "m2m-dev-umbrella-analytics",
          policyArn: "arn:aws:iam::111111111111:policy/umbrella-extra",
        },
      },
    );
    draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc({
      Effect: "Allow",
      Action: ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
      Resource: "arn:aws:iam::111111111111:policy/*",
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /globex\/billing-sync: may iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion on arn:aws:iam::111111111111:policy\/umbrella-extra, a policy on an m2m role/,
      ),
    );
  });

  it("GIVEN a condition operator named constructor and an inline policy list holding null WHEN every policy runs THEN none throws and the operator is malformed", async () => {
    const drafts = await devDrafts();
    draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline").props.policy = doc({
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: "*",
      Condition: { constructor: { "aws:RequestTag/tenant_id": "umbrella" } },
    });
    umbrellaTrust(drafts).props.inlinePolicies = [null];
    expect(run(tenantIsolation, drafts)).toEqual([
      "[malformed-policy] aws role of globex/billing-sync: IAM refuses a policy attached to it: Statement[0].Condition: unknown operator constructor",
    ]);
    expect(run(unknownAccess, drafts)).toEqual([]);
  });
});

describe("GCP: every IAM member, binding and policy of any service", () => {
  it("GIVEN a BigQuery dataset member granting the whole pool WHEN checked THEN no-pool-wide-binding reports it, and a subject member is the control", async () => {
    const drafts = await devDrafts();
    drafts.push(
      {
        type: "gcp:bigquery/datasetIamMember:DatasetIamMember",
        name: "pool-wide",
        props: {
          datasetId: "d",
          role: "roles/bigquery.dataViewer",
          member: `principalSet://iam.googleapis.com/${POOL}/*`,
        },
      },
      {
        type: "gcp:bigquery/datasetIamMember:DatasetIamMember",
        name: "one-subject",
        props: { datasetId: "d", role: "roles/bigquery.dataViewer", member: subjectOf("umbrella-analytics") },
      },
    );
    expect(run(gcpNoPoolWideBinding, drafts)).toEqual([
      expect.stringMatching(/^\[no-pool-wide-binding\] member of pool-wide: principalSet:/),
    ]);
  });

  it("GIVEN an attribute principalSet inside a project IAM policy's JSON WHEN checked THEN it is refused", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "gcp:projects/iAMPolicy:IAMPolicy",
      name: "whole-policy",
      props: {
        project: "acme-m2m-dev",
        policyData: JSON.stringify({
          bindings: [
            {
              role: "roles/viewer",
              members: [`principalSet://iam.googleapis.com/${POOL}/attribute.tenant_id/initech`],
            },
          ],
        }),
      },
    });
    expect(run(gcpNoPoolWideBinding, drafts)).toEqual([
      expect.stringMatching(/^\[no-pool-wide-binding\] member of whole-policy/),
    ]);
  });

  it("GIVEN initech's service account bound by its unique-id name to umbrella's subject with an IAMBinding WHEN checked THEN isolation reports it", async () => {
    const drafts = await devDrafts();
    const account = draft(drafts, "gcp:serviceaccount/account:Account", "initech");
    drafts.push({
      type: "gcp:serviceaccount/iAMBinding:IAMBinding",
      name: "by-unique-id",
      props: {
        serviceAccountId: `projects/-/serviceAccounts/${account.props.uniqueId}`,
        role: "roles/iam.workloadIdentityUser",
        members: [subjectOf("umbrella-analytics")],
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] gcp by-unique-id for initech/service account of initech: a token of umbrella/analytics is granted it",
    );
  });

  it("GIVEN initech's service account named by bare email granted to umbrella's... service account WHEN checked THEN isolation reports the impersonation", async () => {
    const drafts = await devDrafts();
    drafts.push(
      {
        type: "gcp:serviceaccount/account:Account",
        name: "umbrella",
        props: {
          accountId: "dev-umbrella",
          description: "m2m tenant umbrella (dev): impersonated by the tenant's workloads",
          email: "dev-umbrella@acme-m2m-dev.iam.gserviceaccount.com",
        },
      },
      {
        type: GCP_SA_MEMBER,
        name: "chain",
        props: {
          serviceAccountId: "DEV-INITECH@acme-m2m-dev.iam.gserviceaccount.com",
          role: "roles/iam.serviceAccountTokenCreator",
          member: "serviceAccount:dev-umbrella@acme-m2m-dev.iam.gserviceaccount.com",
        },
      },
    );
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] gcp chain on the service account of initech: serviceAccount:dev-umbrella@acme-m2m-dev.iam.gserviceaccount.com, the service account of umbrella, is granted on it",
    );
  });

  it("GIVEN a pool provider without condition or with empty allowed audiences WHEN checked THEN both are reported", async () => {
    const drafts = await devDrafts();
    const provider = draft(
      drafts,
      "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
      "auth0-auth0",
    );
    provider.props.attributeCondition = undefined;
    provider.props.oidc.allowedAudiences = [];
    expect(run(gcpProviderCondition, drafts)).toEqual([expect.stringMatching(/^\[gcp-condition\]/)]);
    expect(run(gcpProviderAudience, drafts)).toEqual([
      expect.stringMatching(/\[gcp-audience\] provider auth0-auth0: allowedAudiences must be exactly/),
    ]);
  });

  it("GIVEN a provider allowing an audience no API of the stack has WHEN checked THEN gcp-audience reports it", async () => {
    const drafts = await devDrafts();
    draft(
      drafts,
      "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
      "auth0-auth0",
    ).props.oidc.allowedAudiences = ["https://orders.api.acme.example/"];
    expect(run(gcpProviderAudience, drafts)).toHaveLength(1);
  });
});

describe("GCP: holes an adversarial review found, each now reported", () => {
  const PROVIDER_TYPE = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";
  const secondProvider = (drafts: DraftResource[], edit: (props: Record<string, unknown>) => void) => {
    const props = structuredClone(draft(drafts, PROVIDER_TYPE, "auth0-auth0").props);
    props.workloadIdentityPoolProviderId = "second";
    edit(props);
    drafts.push({ type: PROVIDER_TYPE, name: "second", props });
  };

  it("GIVEN a second provider in the pool trusting another issuer with the condition true WHEN checked THEN both the condition and the issuer are reported", async () => {
    const drafts = await devDrafts();
    secondProvider(drafts, (p) => {
      p.oidc = { issuerUri: "https://evil.example/", allowedAudiences: ["https://gcp.m2m.acme.example"] };
      p.attributeCondition = "true";
    });
    expect(run(gcpProviderCondition, drafts)).toEqual([
      expect.stringMatching(
        /^\[gcp-condition\] provider second: the attribute condition true admits a token without the tenant claim/,
      ),
    ]);
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /gcp provider of .*m2m-dev: it trusts https:\/\/evil\.example\/, not the m2m issuer https:\/\/acme-dev\.eu\.auth0\.com\//,
      ),
    );
  });

  it("GIVEN a second provider mapping every token to initech's subject WHEN checked THEN the mapping is reported and umbrella's token is found to get initech's bindings", async () => {
    const drafts = await devDrafts();
    secondProvider(drafts, (p) => {
      p.attributeMapping = {
        ...(p.attributeMapping as object),
        "google.subject": "'initech-report-export-client-id@clients'",
      };
    });
    expect(run(gcpProviderCondition, drafts)).toEqual([
      expect.stringMatching(/google\.subject must be mapped from assertion\.sub exactly/),
    ]);
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(/a token of umbrella\/analytics is granted it/),
    );
  });

  it("GIVEN umbrella's subject granted on initech's bucket WHEN checked THEN the bucket is reported as granted to two tenants", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "gcp:storage/bucketIAMMember:BucketIAMMember",
      name: "umbrella-reads-initech",
      props: {
        bucket: "acme-dev-initech_exports",
        role: "roles/storage.objectViewer",
        member: subjectOf("umbrella-analytics"),
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /^\[tenant-isolation\] gcp storage bucket=acme-dev-initech_exports: it is granted to identities of initech and umbrella/,
      ),
    );
  });

  it("GIVEN umbrella's subject granted token creation over the whole project WHEN checked THEN isolation reports it acts as every service account", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "gcp:projects/iAMMember:IAMMember",
      name: "umbrella-token-creator",
      props: {
        project: "acme-m2m-dev",
        role: "roles/iam.serviceAccountTokenCreator",
        member: subjectOf("umbrella-analytics"),
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /gcp umbrella-token-creator for umbrella: roles\/iam\.serviceAccountTokenCreator over the whole project/,
      ),
    );
  });

  it("GIVEN BigQuery access granting the whole pool as a DatasetAccess and inside a Dataset WHEN checked THEN both are refused", async () => {
    const drafts = await devDrafts();
    const poolWide = `principalSet://iam.googleapis.com/${POOL}/*`;
    drafts.push(
      {
        type: "gcp:bigquery/datasetAccess:DatasetAccess",
        name: "access",
        props: { datasetId: "d", role: "READER", iamMember: poolWide },
      },
      {
        type: "gcp:bigquery/dataset:Dataset",
        name: "dataset",
        props: { datasetId: "d2", accesses: [{ role: "READER", iamMember: poolWide }] },
      },
    );
    expect(run(gcpNoPoolWideBinding, drafts)).toEqual([
      expect.stringMatching(/^\[no-pool-wide-binding\] member of access: principalSet:/),
      expect.stringMatching(/^\[no-pool-wide-binding\] member of dataset: principalSet:/),
    ]);
  });
});

describe("GCP: holes a second review found, each now reported", () => {
  const PROVIDER_TYPE = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";

  it("GIVEN a condition that only checks the client subject and the audience WHEN checked THEN it is tried with the provider's own issuer and audience and refused", async () => {
    const drafts = await devDrafts();
    draft(drafts, PROVIDER_TYPE, "auth0-auth0").props.attributeCondition =
      "assertion.sub.endsWith('@clients') && assertion.aud == 'https://gcp.m2m.acme.example'";
    expect(run(gcpProviderCondition, drafts)).toEqual([
      expect.stringMatching(
        /^\[gcp-condition\] provider auth0-auth0: the attribute condition .* admits a token without the tenant claim/,
      ),
    ]);
  });

  it("GIVEN initech's service account bound to a subject no workload has WHEN checked THEN isolation reports it", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: GCP_SA_MEMBER,
      name: "rogue",
      props: {
        serviceAccountId: draft(drafts, "gcp:serviceaccount/account:Account", "initech").props.name,
        role: "roles/iam.workloadIdentityUser",
        member: `principal://iam.googleapis.com/${POOL}/subject/rogue-client@clients`,
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] gcp rogue for initech/service account of initech: it grants rogue-client@clients, which is no workload of initech: whoever holds that client acts as initech",
    );
  });
});

describe("GCP: escalation through a second identity or the pool", () => {
  it("GIVEN umbrella may impersonate an untagged service account that may mint tokens for initech's WHEN checked THEN the chain is reported", async () => {
    const drafts = await devDrafts();
    const initech = draft(drafts, "gcp:serviceaccount/account:Account", "initech").props.name;
    drafts.push(
      {
        type: "gcp:serviceaccount/account:Account",
        name: "helper",
        props: {
          accountId: "helper",
          email: "helper@acme-m2m-dev.iam.gserviceaccount.com",
          description: "ops",
        },
      },
      {
        type: GCP_SA_MEMBER,
        name: "umbrella-uses-helper",
        props: {
          serviceAccountId: "projects/-/serviceAccounts/helper@acme-m2m-dev.iam.gserviceaccount.com",
          role: "roles/iam.workloadIdentityUser",
          member: subjectOf("umbrella-analytics"),
        },
      },
      {
        type: GCP_SA_MEMBER,
        name: "helper-mints-initech",
        props: {
          serviceAccountId: initech,
          role: "roles/iam.serviceAccountTokenCreator",
          member: "serviceAccount:helper@acme-m2m-dev.iam.gserviceaccount.com",
        },
      },
    );
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /^\[tenant-isolation\] gcp service account dev-initech@acme-m2m-dev\.iam\.gserviceaccount\.com: identities of initech and umbrella may act as it/,
      ),
    );
  });

  it("GIVEN umbrella granted a role on the workload identity pool WHEN checked THEN it is reported", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "gcp:iam/workloadIdentityPoolIamMember:WorkloadIdentityPoolIamMember",
      name: "pool-admin",
      props: {
        workloadIdentityPoolId: "m2m-dev",
        role: "roles/iam.workloadIdentityPoolAdmin",
        member: subjectOf("umbrella-analytics"),
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      expect.stringMatching(
        /gcp pool-admin for umbrella: roles\/iam\.workloadIdentityPoolAdmin on the workload identity pool/,
      ),
    );
  });
});

describe("Azure: federated credentials in every API version and the classic provider, and role assignments", () => {
  it("GIVEN a versioned credential whose issuer lost its slash WHEN checked THEN azure-exact-match reports it", async () => {
    const drafts = await devDrafts();
    const credential = draft(drafts, FIC, "umbrella-analytics");
    credential.type = "azure-native:managedidentity/v20230131:FederatedIdentityCredential";
    credential.props.issuer = "https://acme-dev.eu.auth0.com";
    expect(run(azureCredentialExact, drafts)).toEqual([
      expect.stringMatching(/^\[azure-exact-match\].*trailing slash/),
    ]);
  });

  it("GIVEN a classic-provider credential on umbrella's identity trusting initech's subject WHEN checked THEN isolation reports it", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential",
      name: "classic",
      props: {
        name: "classic",
        parentId:
          "/subscriptions/s/resourceGroups/m2m-dev/providers/Microsoft.ManagedIdentity/userAssignedIdentities/m2m-dev-umbrella",
        issuer: "https://acme-dev.eu.auth0.com/",
        subject: "initech-order-api-client-id@clients",
        audience: ["api://AzureADTokenExchange"],
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] azure credential of umbrella/classic: a token of initech/order-api is accepted",
    );
  });

  it("GIVEN a credential on initech's identity trusting globex's subject WHEN checked THEN isolation reports globex's token is accepted", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: FIC,
      name: "initech-globex",
      props: {
        audiences: ["api://AzureADTokenExchange"],
        federatedIdentityCredentialResourceName: "smuggled",
        issuer: "https://acme-dev.eu.auth0.com/",
        resourceGroupName: "m2m-dev",
        resourceName: "m2m-dev-initech",
        subject: "globex-billing-sync-client-id@clients",
      },
    });
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] azure credential of initech/smuggled: a token of globex/billing-sync is accepted",
    );
  });

  it("GIVEN a credential on umbrella's identity trusting a client no workload owns WHEN checked THEN isolation reports it", async () => {
    const drafts = await devDrafts();
    draft(drafts, FIC, "umbrella-analytics").props.subject = "someone-elses-app@clients";
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] azure credential of umbrella/auth0-analytics: it trusts someone-elses-app@clients, which is no workload of umbrella: whoever holds that client acts as umbrella",
    );
  });

  it("GIVEN a role assignment to initech's identity on the identities' resource group WHEN checked THEN isolation reports that it holds umbrella's identity; on its storage account (the control) nothing", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "azure-native:authorization:RoleAssignment",
      name: "wide",
      props: {
        principalId: "initech-principal-id",
        roleDefinitionId:
          "/providers/Microsoft.Authorization/roleDefinitions/e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
        scope: "/subscriptions/11111111-1111-4111-8111-111111111111/resourcegroups/M2M-DEV",
      },
    });
    expect(run(tenantIsolation, drafts)).toEqual([
      expect.stringMatching(
        /^\[tenant-isolation\] azure wide for initech: its scope .* holds the identity of umbrella/,
      ),
    ]);
  });
});

describe("values unknown at preview", () => {
  const unknownClient = async () => {
    const drafts = await devDrafts();
    const client = draft(drafts, "auth0:index/client:Client", "globex-billing-sync");
    client.props.clientId = UNKNOWN_STRING;
    const role = draft(drafts, ROLE, "globex-billing-sync");
    role.props.assumeRolePolicy = UNKNOWN_STRING;
    role.dependsOn = { assumeRolePolicy: ["auth0:index/client:Client::globex-billing-sync"] };
    return drafts;
  };

  it("GIVEN a new client whose id (and so its role's trust) is unknown, wrapped as the SDK wraps it WHEN every policy runs THEN none throws, the isolation check still runs, and only the advisory policy names them", async () => {
    const drafts = await unknownClient();
    expect(mandatory(drafts)).toEqual([]);
    const advisory = run(notCheckableAtPreview, drafts);
    expect(advisory).toContainEqual(
      `${urnOf({ type: "auth0:index/client:Client", name: "globex-billing-sync" })}: not checkable at preview: its client id; values are known at the update`,
    );
    expect(advisory).toContainEqual(
      expect.stringMatching(
        /aws:iam\/role:Role::globex-billing-sync: not checkable at preview: its trust policy/,
      ),
    );
    // The isolation check still runs over what is known: a broken Azure credential is found.
    draft(drafts, FIC, "umbrella-analytics").props.subject = "initech-order-api-client-id@clients";
    expect(run(tenantIsolation, drafts)).toContainEqual(
      "[tenant-isolation] azure credential of umbrella/auth0-analytics: a token of initech/order-api is accepted",
    );
  });

  it("GIVEN a role policy unknown because it comes from a bucket WHEN checked THEN unknown-access is a mandatory violation", async () => {
    const drafts = await devDrafts();
    drafts.push({ type: "aws:s3/bucket:Bucket", name: "data", props: { arn: UNKNOWN_STRING } });
    const inline = draft(drafts, "aws:iam/rolePolicy:RolePolicy", "globex-billing-sync-inline");
    inline.props.policy = UNKNOWN_STRING;
    inline.dependsOn = { policy: ["aws:s3/bucket:Bucket::data"] };
    expect(unknownAccess.enforcementLevel).toBe("mandatory");
    expect(run(unknownAccess, drafts)).toEqual([
      expect.stringMatching(
        /rolePolicy:RolePolicy::globex-billing-sync-inline: \[unknown-access\] the inline policy of role m2m-dev-globex-billing-sync is unknown at preview/,
      ),
    ]);
  });

  it("GIVEN a tenant's role whose name and managed policies are unknown because of another resource WHEN checked THEN unknown-access refuses it rather than skip it", async () => {
    const drafts = await devDrafts();
    drafts.push({ type: "random:index/randomPet:RandomPet", name: "pet", props: { id: UNKNOWN_STRING } });
    const role = draft(drafts, ROLE, "umbrella-analytics");
    role.props.name = UNKNOWN_STRING;
    role.props.managedPolicyArns = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
    role.dependsOn = {
      name: ["random:index/randomPet:RandomPet::pet"],
      managedPolicyArns: ["random:index/randomPet:RandomPet::pet"],
    };
    expect(run(unknownAccess, drafts)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /role:Role::umbrella-analytics: \[unknown-access\] the name of tenant umbrella's role is unknown at preview/,
        ),
      ]),
    );
  });

  it("GIVEN the pack's sentinels WHEN compared with the SDK's THEN they are the same set", async () => {
    const proxy = (await import("@pulumi/policy/proxy.js")) as Record<string, unknown>;
    const sdk = Object.entries(proxy)
      .filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k))
      .map(([, v]) => v);
    expect(new Set(sdk)).toEqual(UNKNOWN_SENTINELS);
  });
});

/** Every type token an installed provider package declares. */
function installedTypes(pkg: string): string[] {
  const root = join("node_modules", "@pulumi", pkg);
  const types = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) {
        for (const m of readFileSync(path, "utf8").matchAll(/__pulumiType = '([^']+)'/g))
          types.add(m[1] ?? "");
      }
    }
  };
  walk(root);
  return [...types];
}

describe("deny by default", () => {
  it("GIVEN a vault holding an access policy, and a queue holding a policy WHEN checked THEN only the vault is reported, naming the property: the queue's policy is evaluated by m2m-tenant-isolation", () => {
    const found = validateResources(
      accessTypesUnderstood,
      asPreview([
        {
          type: "aws:glacier/vault:Vault",
          name: "with-policy",
          props: {
            accessPolicy: doc({ Effect: "Allow", Principal: "*", Action: "glacier:*", Resource: "*" }),
          },
        },
        {
          type: "aws:sqs/queue:Queue",
          name: "queue",
          props: { policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*" }) },
        },
        { type: "aws:glacier/vault:Vault", name: "plain", props: { name: "plain", accessPolicy: "" } },
      ]),
    );
    expect(found).toEqual([
      "[access-type-unknown] with-policy: aws:glacier/vault:Vault holds access in accessPolicy and may grant access and this pack cannot check it for tenant isolation; manage it in a stack that holds no m2m identities",
    ]);
  });

  const ACCESS = /iam|policy|permission|roleassignment|accesspolicy|acl|grant|member|binding|key/i;

  it("GIVEN every type token of @pulumi/aws, @pulumi/gcp and @pulumi/azure-native whose name suggests access WHEN the pack sees one THEN it either understands it or reports it", () => {
    const tokens = ["aws", "gcp", "azure-native"]
      .flatMap(installedTypes)
      .filter((t) => ACCESS.test(t.split(":").slice(1).join(":")));
    expect(tokens.length).toBeGreaterThan(900);
    const silent = tokens.filter((type) => {
      if (accessClass(type) !== undefined || isResourcePolicyType(type)) return false;
      const found = validateResources(accessTypesUnderstood, [
        { type, name: "x", urn: `urn:x::${type}::x`, props: {} } as unknown as PolicyResource,
      ]);
      return found.length === 0;
    });
    // The only ones the pack passes are those reviewed as granting nothing, and names where
    // "acl" is a run of letters inside another word (oracledatabase, CassandraCluster).
    const WITHOUT_ACL = /iam|policy|permission|roleassignment|accesspolicy|grant|member|binding|key/i;
    const unexplained = silent.filter(
      (type) =>
        !GRANT_NOTHING.has(normalisedType(type)) && WITHOUT_ACL.test(type.split(":").slice(1).join(":")),
    );
    expect(unexplained).toEqual([]);
    expect(silent.length).toBeLessThan(40);
    // The ones the pack understands include every shape named by the isolation checks.
    for (const type of [
      "gcp:bigquery/datasetIamMember:DatasetIamMember",
      "gcp:secretmanager/secretIamBinding:SecretIamBinding",
      "gcp:serviceaccount/iAMPolicy:IAMPolicy",
      "azure-native:managedidentity/v20230131:FederatedIdentityCredential",
      "azure:armmsi/federatedIdentityCredential:FederatedIdentityCredential",
      "azure:authorization/assignment:Assignment",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ])
      expect(accessClass(type), type).toBeDefined();
  });

  it("GIVEN types that block or scale rather than grant (a public access block, an autoscaling policy, an Oracle database, a private canned ACL) WHEN checked THEN none is reported", () => {
    const found = validateResources(
      accessTypesUnderstood,
      asPreview([
        {
          type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
          name: "block",
          props: { blockPublicAcls: true },
        },
        {
          type: "aws:appautoscaling/policy:Policy",
          name: "scale",
          props: { policyType: "TargetTrackingScaling" },
        },
        { type: "gcp:oracledatabase/autonomousDatabase:AutonomousDatabase", name: "db", props: {} },
        { type: "aws:s3/bucket:Bucket", name: "private", props: { acl: "private" } },
      ]),
    );
    expect(found).toEqual([]);
  });

  it("GIVEN Entra ID and AWS native types that carry access WHEN checked THEN they are reported too", () => {
    const found = validateResources(
      accessTypesUnderstood,
      asPreview([
        {
          type: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
          name: "fic",
          props: {},
        },
        { type: "aws-native:iam:RolePolicy", name: "rp", props: {} },
      ]),
    );
    expect(found).toHaveLength(2);
  });

  it("GIVEN an IAM user access key and a user policy attachment WHEN checked THEN each is reported as a type the pack cannot check; a bucket and a KMS grant (evaluated by m2m-tenant-isolation) are not", () => {
    const check = (type: string) =>
      validateResources(accessTypesUnderstood, [
        { type, name: "r", urn: "u", props: {} } as unknown as PolicyResource,
      ]);
    expect(check("aws:iam/accessKey:AccessKey")).toEqual([
      "[access-type-unknown] r: aws:iam/accessKey:AccessKey may grant access and this pack cannot check it for tenant isolation; manage it in a stack that holds no m2m identities",
    ]);
    expect(check("aws:iam/userPolicyAttachment:UserPolicyAttachment")).toHaveLength(1);
    expect(check("aws:kms/grant:Grant")).toEqual([]);
    expect(check("gcp:bigquery/datasetAccess:DatasetAccess")).toEqual([]);
    expect(check("aws:s3/bucket:Bucket")).toEqual([]);
    expect(suggestsAccess("auth0:index/clientGrant:ClientGrant")).toBe(false);
  });
});
