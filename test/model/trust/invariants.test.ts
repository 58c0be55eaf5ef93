import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import type { PolicyDocument } from "../../../src/model/trust/aws/aws-trust.ts";
import { artifactViolations, isolationViolations } from "../../../src/model/trust/invariants.ts";
import { environmentArtifacts, type TrustArtifacts } from "../../../src/model/trust/trust-artifacts.ts";
import { readStackFile } from "../../../src/stack/stack-file.ts";
import { environmentWithClouds } from "../../fixtures/environment.ts";

const env = parseEnvironment(environmentWithClouds(["aws", "gcp", "azure"]), "test");
const IDS = {
  "globex/billing": "globexbilling",
  "initech/exporter": "initechexporter",
  "initech/analytics": "initechanalytics",
};
// biome-ignore lint/suspicious/noExplicitAny: the tests break the rendered trust on purpose
type Editable = any;
const artifacts = (): Editable => structuredClone(environmentArtifacts(env, IDS));
const invariants = (a: TrustArtifacts) =>
  artifactViolations(a, env.issuer).map((v) => `${v.invariant}: ${v.subject}`);

describe("invariants over the rendered trust", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN the committed ${stack} stack WHEN its trust is rendered THEN no invariant is broken`, () => {
      const e = parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);
      const ids = Object.fromEntries(
        e.tenants.flatMap((t) =>
          t.workloads.map((w) => [`${t.id}/${w.name}`, `${t.id}${w.name}`.replaceAll("-", "")]),
        ),
      );
      expect(artifactViolations(environmentArtifacts(e, ids), e.issuer)).toEqual([]);
    });
  }

  it("GIVEN the fixture with all three clouds WHEN rendered THEN no invariant is broken", () => {
    expect(artifactViolations(environmentArtifacts(env, IDS), env.issuer)).toEqual([]);
  });

  describe("GIVEN an AWS role trust", () => {
    const withCondition = (edit: (equals: Record<string, unknown>, statement: Editable) => void) => {
      const a = artifacts();
      const statement = a.aws.roles[0].trustPolicy.Statement[0];
      edit(statement.Condition.StringEquals, statement);
      return a;
    };

    it("WHEN it has no subject condition THEN exact-subject breaks (the session tags still keep other tenants out)", () => {
      const found = invariants(withCondition((eq) => delete eq["acme-test.eu.auth0.com/:sub"]));
      expect(found).toEqual(["exact-subject: aws role of globex/billing"]);
    });

    it("WHEN it has neither subject nor tag conditions THEN another tenant's token assumes the role", () => {
      const found = invariants(
        withCondition((eq) => {
          for (const key of [
            "acme-test.eu.auth0.com/:sub",
            "aws:RequestTag/tenant_id",
            "aws:RequestTag/workload",
          ])
            delete eq[key];
        }),
      );
      expect(found).toContain("tenant-isolation: aws role of globex/billing");
    });

    it("WHEN the subject is a pattern THEN exact-subject breaks", () => {
      const a = withCondition((eq, statement) => {
        const sub = eq["acme-test.eu.auth0.com/:sub"];
        delete eq["acme-test.eu.auth0.com/:sub"];
        statement.Condition.StringLike = {
          "acme-test.eu.auth0.com/:sub": String(sub).replace("billing", "*"),
        };
      });
      expect(invariants(a)).toContain("exact-subject: aws role of globex/billing");
    });

    it("WHEN it has no request-tag condition THEN request-tag breaks and a token for another API assumes it", () => {
      const found = invariants(
        withCondition((eq) => {
          delete eq["aws:RequestTag/tenant_id"];
          delete eq["aws:RequestTag/workload"];
        }),
      );
      expect(found).toContain("request-tag: aws role of globex/billing");
      expect(found).toContain("cloud-audience: aws role of globex/billing");
    });

    it("WHEN it conditions :oaud or has no :aud THEN no-oaud and audience-condition break", () => {
      const found = invariants(
        withCondition((eq) => {
          eq["acme-test.eu.auth0.com/:oaud"] = "https://aws.m2m.acme.example";
          delete eq["acme-test.eu.auth0.com/:aud"];
        }),
      );
      expect(found).toEqual(
        expect.arrayContaining([
          "no-oaud: aws role of globex/billing",
          "audience-condition: aws role of globex/billing",
        ]),
      );
    });

    it("WHEN its condition keys are written in upper case THEN IAM reads them alike and nothing breaks", () => {
      const a = withCondition((eq, statement) => {
        statement.Condition = {
          StringEquals: Object.fromEntries(Object.entries(eq).map(([k, v]) => [k.toUpperCase(), v])),
        };
      });
      expect(invariants(a)).toEqual([]);
    });

    it("WHEN a second statement lets the provider in with NotAction and no condition THEN exact-subject breaks and other tenants assume the role", () => {
      const a = artifacts();
      const doc = a.aws.roles[0].trustPolicy;
      doc.Statement = [
        ...doc.Statement,
        { Effect: "Allow", Principal: { Federated: [a.aws.provider.arn] }, NotAction: "iam:*" },
      ];
      const found = invariants(a);
      expect(found).toContain("exact-subject: aws role of globex/billing");
      expect(found).toContain("tenant-isolation: aws role of globex/billing");
    });

    it("WHEN the subject is matched with StringEqualsIfExists or a negation THEN exact-subject breaks", () => {
      for (const operator of ["StringEqualsIfExists", "StringNotEquals", "ForAnyValue:StringEquals"]) {
        const a = withCondition((eq, statement) => {
          const sub = eq["acme-test.eu.auth0.com/:sub"];
          delete eq["acme-test.eu.auth0.com/:sub"];
          statement.Condition[operator] = { "acme-test.eu.auth0.com/:sub": sub };
        });
        expect(invariants(a), operator).toContain("exact-subject: aws role of globex/billing");
      }
    });

    it("WHEN the trust policy is malformed THEN malformed-policy names the part IAM refuses, without throwing", () => {
      const a = artifacts();
      a.aws.roles[0].trustPolicy = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*" }],
      };
      expect(artifactViolations(a, env.issuer)).toContainEqual({
        invariant: "malformed-policy",
        subject: "aws role of globex/billing",
        message: "IAM refuses this trust policy: Statement[0]: needs Action or NotAction",
      });
    });
  });

  describe("GIVEN a role with a second, open statement", () => {
    it("WHEN it allows sts:* to the provider with no condition THEN exact-subject breaks and every tenant gets in", () => {
      const a = artifacts();
      a.aws.roles[0].trustPolicy.Statement.push({
        Effect: "Allow",
        Principal: { Federated: a.aws.provider.arn },
        Action: "sts:*",
      });
      const found = invariants(a);
      expect(found).toContain("exact-subject: aws role of globex/billing");
      expect(found).toContain("tenant-isolation: aws role of globex/billing");
    });

    it("WHEN a statement names any provider (*) THEN exact-subject breaks", () => {
      const a = artifacts();
      a.aws.roles[1].trustPolicy.Statement[0].Principal.Federated = "*";
      expect(invariants(a)).toContain("exact-subject: aws role of initech/exporter");
    });
  });

  describe("GIVEN a role's trust that names another principal or another tenant", () => {
    it("WHEN a statement lets a service in with sts:AssumeRole THEN foreign-principal breaks", () => {
      const a = artifacts();
      a.aws.roles[0].trustPolicy.Statement.push({
        Effect: "Allow",
        Principal: { Service: "ec2.amazonaws.com" },
        Action: "sts:AssumeRole",
      });
      expect(invariants(a)).toContain("foreign-principal: aws role of globex/billing");
    });

    it("WHEN its tag and subject name another tenant's workload THEN request-tag and exact-subject break, and that workload assumes it", () => {
      const a = artifacts();
      const equals = a.aws.roles[0].trustPolicy.Statement[0].Condition.StringEquals;
      equals["acme-test.eu.auth0.com/:sub"] = "initechexporter@clients";
      equals["aws:RequestTag/tenant_id"] = "initech";
      equals["aws:RequestTag/workload"] = "exporter";
      const found = invariants(a);
      expect(found).toEqual(
        expect.arrayContaining([
          "exact-subject: aws role of globex/billing",
          "request-tag: aws role of globex/billing",
          "tenant-isolation: aws role of globex/billing",
        ]),
      );
    });
  });

  describe("GIVEN GCP", () => {
    it("WHEN a binding names an attribute set THEN no-pool-wide-binding breaks", () => {
      const a = artifacts();
      a.gcp.bindings[0].member = `principalSet://iam.googleapis.com/${a.gcp.poolResource}/attribute.workload/exporter`;
      expect(invariants(a)).toContain("no-pool-wide-binding: gcp bucket acme-test-initech_exports");
    });

    it("WHEN allowedAudiences is empty THEN isolation is still evaluated, against the provider's name", () => {
      const a = artifacts();
      a.gcp.provider.allowedAudiences = [];
      a.gcp.bindings.push({
        ...a.gcp.bindings[0],
        tenantId: "globex",
        workload: "billing",
        resource: "bucket globex",
      });
      expect(isolationViolations(a).map((v) => v.invariant)).toContain("tenant-isolation");
    });

    it("WHEN the mapping no longer reads the tenant claim THEN own-token breaks instead of isolation passing vacuously", () => {
      const a = artifacts();
      a.gcp.claims = {
        tenantId: "https://elsewhere.example/tenant",
        workload: "https://elsewhere.example/workload",
      };
      expect(invariants(a)).toContain("own-token: gcp bindings of initech/exporter");
    });

    it("WHEN the condition is always true or google.subject is not assertion.sub THEN gcp-condition breaks, each with its reason", () => {
      const a = artifacts();
      a.gcp.provider.attributeCondition = "1 == 1";
      a.gcp.provider.attributeMapping = {
        ...a.gcp.provider.attributeMapping,
        "google.subject": "assertion.azp",
      };
      const messages = artifactViolations(a, env.issuer)
        .filter((v) => v.invariant === "gcp-condition")
        .map((v) => v.message);
      expect(messages).toEqual([
        expect.stringMatching(/^the attribute condition 1 == 1 admits a token without the tenant claim/),
        "google.subject must be mapped from assertion.sub exactly, not assertion.azp: every binding names the subject principal",
      ]);
    });

    it("WHEN the provider has no condition THEN gcp-condition breaks", () => {
      const a = artifacts();
      a.gcp.provider.attributeCondition = "";
      expect(invariants(a)).toContain("gcp-condition: gcp pool provider");
    });

    it("WHEN the whole pool is bound THEN no-pool-wide-binding and tenant isolation break", () => {
      const a = artifacts();
      a.gcp.bindings[0].member = `principalSet://iam.googleapis.com/${a.gcp.poolResource}/*`;
      const found = invariants(a);
      expect(found).toContain("no-pool-wide-binding: gcp bucket acme-test-initech_exports");
      expect(found.some((f) => f.startsWith("tenant-isolation: gcp bucket acme-test-initech_exports"))).toBe(
        true,
      );
    });

    it("WHEN a tenant's binding names another tenant's subject THEN tenant-isolation breaks", () => {
      const a = artifacts();
      a.gcp.bindings.push({
        ...a.gcp.bindings[0],
        tenantId: "globex",
        workload: "billing",
        resource: "bucket globex",
      });
      expect(isolationViolations(a).map((v) => v.invariant)).toContain("tenant-isolation");
    });
  });

  describe("GIVEN Azure", () => {
    it("WHEN a credential's issuer lacks its slash, or its subject or audience is loose THEN azure-exact-match breaks", () => {
      const a = artifacts();
      a.azure.credentials[0].issuer = "https://acme-test.eu.auth0.com";
      a.azure.credentials[1].subject = "*@clients";
      a.azure.credentials[2].audiences = ["api://AzureADTokenExchange", "https://x"];
      expect(
        artifactViolations(a, env.issuer).filter((v) => v.invariant === "azure-exact-match"),
      ).toHaveLength(3);
    });

    it("WHEN two tenants' credentials share a subject THEN tenant-isolation breaks", () => {
      const a = artifacts();
      a.azure.credentials[1].subject = a.azure.credentials[0].subject;
      expect(isolationViolations(a).map((v) => v.invariant)).toContain("tenant-isolation");
    });
  });

  it("GIVEN an AWS policy document type WHEN used THEN it is the shape the evaluators read", () => {
    const doc: PolicyDocument = artifacts().aws.roles[0].trustPolicy;
    expect(doc.Statement[0]?.Action).toEqual(["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]);
  });
});
