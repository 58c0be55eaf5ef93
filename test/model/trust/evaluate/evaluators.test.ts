import { describe, expect, it } from "vitest";
import { AWS_TAGS_CLAIM } from "../../../../src/model/contract/aws-session-tags.ts";
import { cloudApi } from "../../../../src/model/environment/clouds.ts";
import { parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { awsOidcProvider, awsTrustPolicy } from "../../../../src/model/trust/aws/aws-trust.ts";
import { azureFederatedCredential } from "../../../../src/model/trust/azure/azure-trust.ts";
import { evaluateAws } from "../../../../src/model/trust/evaluate/aws.ts";
import { evaluateAzure } from "../../../../src/model/trust/evaluate/azure.ts";
import { evaluateGcp } from "../../../../src/model/trust/evaluate/gcp.ts";
import {
  gcpPoolResource,
  gcpProvider,
  gcpProviderAudience,
  gcpSubjectPrincipal,
} from "../../../../src/model/trust/gcp/gcp-trust.ts";
import { issuedClaims } from "../../../../src/model/trust/token-claims.ts";
import { environmentWithClouds } from "../../../fixtures/environment.ts";

const env = parseEnvironment(environmentWithClouds(["aws", "gcp", "azure"]), "test");
const IDS = {
  "globex/billing": "globexbilling",
  "initech/exporter": "initechexporter",
  "initech/analytics": "initechanalytics",
};
const ARN = "arn:aws:iam::123456789012:oidc-provider/acme-test.eu.auth0.com/";
const api = (cloud: "aws" | "gcp" | "azure") => {
  const found = cloudApi(env, cloud);
  if (!found) throw new Error(`fixture has the ${cloud} API`);
  return found;
};
const token = (
  cloud: "aws" | "gcp" | "azure",
  tenantId = "globex",
  workload = "billing",
  clientId = "globexbilling",
) =>
  issuedClaims(env, {
    tenantId,
    workload,
    clientId,
    api: api(cloud),
    scopes: [`${cloud}:federate`],
    iat: 1_000,
  });
const failed = (v: { checks: readonly { check: string; passed: boolean }[] }) =>
  v.checks.filter((c) => !c.passed).map((c) => c.check);

describe("evaluateAws", () => {
  const artifacts = {
    provider: { ...awsOidcProvider(env, IDS), arn: ARN },
    trustPolicy: awsTrustPolicy(env, "globex", "billing", { clientId: "globexbilling", providerArn: ARN }),
  };

  it("GIVEN the workload's own token for the AWS API WHEN STS reads azp or aud THEN it is accepted either way", () => {
    for (const reading of ["azp", "aud"] as const)
      expect(evaluateAws(token("aws"), artifacts, { reading }).accepted).toBe(true);
  });

  it("GIVEN its token for another API (no session tags) WHEN STS reads azp THEN the role refuses it for the missing tag", () => {
    const other = issuedClaims(env, {
      tenantId: "globex",
      workload: "billing",
      clientId: "globexbilling",
      api: env.apis[0] as never,
      scopes: [],
      iat: 1_000,
    });
    const v = evaluateAws(other, artifacts, { reading: "azp" });
    expect(v.accepted).toBe(false);
    expect(v.checks.find((c) => c.check === "trust policy")?.detail).toMatch(
      /aws:RequestTag\/tenant_id is not in the request/,
    );
  });

  it("GIVEN another tenant's token WHEN evaluated THEN the subject condition refuses it", () => {
    const v = evaluateAws(token("aws", "initech", "exporter", "initechexporter"), artifacts, {
      reading: "aud",
    });
    expect(failed(v)).toEqual(["trust policy"]);
    expect(v.checks.at(-1)?.detail).toMatch(
      /StringEquals acme-test\.eu\.auth0\.com\/:sub: initechexporter@clients is not globexbilling@clients/,
    );
  });

  it("GIVEN an expired token WHEN evaluated with a clock THEN STS refuses it past 5 minutes of skew", () => {
    expect(evaluateAws(token("aws"), artifacts, { reading: "azp", nowS: 1_000 + 3600 + 299 }).accepted).toBe(
      true,
    );
    expect(
      failed(evaluateAws(token("aws"), artifacts, { reading: "azp", nowS: 1_000 + 3600 + 301 })),
    ).toEqual(["expiry"]);
  });

  describe("session tags past STS's limits are refused, the reason naming the limit", () => {
    /** The workload's own token with its tags claim changed. */
    const tagged = (change: (tags: Record<string, unknown>) => Record<string, unknown>) => {
      const claims = token("aws");
      return { ...claims, [AWS_TAGS_CLAIM]: change(claims[AWS_TAGS_CLAIM] as Record<string, unknown>) };
    };
    const tags = (extra: Record<string, unknown>) => (t: Record<string, unknown>) => ({
      ...t,
      principal_tags: { ...(t.principal_tags as object), ...extra },
    });
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, ["v"]]));
    const CASES: [string, ReturnType<typeof tagged>, string][] = [
      ["51 tags", tagged(tags(many)), "51 tags, over STS's limit of 50"],
      [
        "a key of 129 characters",
        tagged(tags({ ["k".repeat(129)]: ["v"] })),
        `key ${"k".repeat(32)}… is 129 characters, over STS's limit of 128`,
      ],
      [
        "a value of 257 characters",
        tagged(tags({ note: ["v".repeat(257)] })),
        "the value of note is 257 characters, over STS's limit of 256",
      ],
      [
        "two keys differing only in case",
        tagged(tags({ Tenant_ID: ["globex"] })),
        "keys tenant_id and Tenant_ID differ only in case: STS takes tag keys case-insensitively and refuses both",
      ],
      [
        "a transitive key that is no tag",
        tagged((t) => ({ ...t, transitive_tag_keys: ["tenant_id", "team"] })),
        "transitive key team is not one of the tags (tenant_id, workload)",
      ],
      [
        "two values for one tag",
        tagged(tags({ workload: ["billing", "other"] })),
        "workload has 2 values: STS takes one value per tag",
      ],
      [
        "a key with a character STS does not take",
        tagged(tags({ "team#1": ["x"] })),
        "key team#1 has a character STS does not take (letters, digits, spaces and _.:/=+-@ only)",
      ],
    ];
    for (const [what, claims, reason] of CASES)
      it(`GIVEN the workload's own token with ${what} WHEN evaluated under either reading THEN it is denied: ${reason}`, () => {
        for (const reading of ["azp", "aud"] as const) {
          const v = evaluateAws(claims, artifacts, { reading });
          expect(v.accepted).toBe(false);
          expect(v.checks.find((c) => c.check === "session tags")).toEqual({
            check: "session tags",
            passed: false,
            detail: expect.stringContaining(reason),
          });
        }
      });

    it("GIVEN 50 tags, a 128-character key and a 256-character value WHEN evaluated THEN the tags are within STS's limits", () => {
      const fifty = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, ["v"]]));
      const claims = tagged(tags({ ...fifty, ["k".repeat(128)]: ["v".repeat(256)] }));
      expect(Object.keys((claims[AWS_TAGS_CLAIM] as { principal_tags: object }).principal_tags)).toHaveLength(
        50,
      );
      expect(evaluateAws(claims, artifacts, { reading: "aud" }).checks).toContainEqual({
        check: "session tags",
        passed: true,
        detail: "50 tags, 1 transitive, within STS's limits",
      });
    });
  });

  it("GIVEN tags but a trust without sts:TagSession WHEN evaluated THEN it is refused", () => {
    const statement = artifacts.trustPolicy.Statement[0];
    const noTag = {
      ...artifacts,
      trustPolicy: {
        ...artifacts.trustPolicy,
        Statement: [{ ...statement, Action: "sts:AssumeRoleWithWebIdentity" }],
      },
    };
    expect(evaluateAws(token("aws"), noTag as never, { reading: "aud" }).checks.at(-1)?.detail).toMatch(
      /sts:TagSession is not allowed/,
    );
  });
});

describe("evaluateGcp", () => {
  const artifacts = {
    provider: gcpProvider(env),
    poolResource: gcpPoolResource(env),
    providerAudience: gcpProviderAudience(env),
    members: [gcpSubjectPrincipal(env, "initechexporter")],
  };
  const initech = () => token("gcp", "initech", "exporter", "initechexporter");

  it("GIVEN the workload's token for the GCP API WHEN evaluated THEN mapping, condition and binding pass", () => {
    const v = evaluateGcp(initech(), artifacts);
    expect(v.accepted).toBe(true);
    expect(v.checks.find((c) => c.check === "mapping")?.detail).toBe(
      "google.subject = initechexporter@clients",
    );
  });

  it("GIVEN a token without the tenant claim WHEN evaluated THEN the mapping fails and the condition refuses it", () => {
    const claims = initech();
    delete claims[env.claims.tenantId];
    expect(failed(evaluateGcp(claims, artifacts))).toEqual([
      "mapping attribute.tenant_id",
      "attribute condition",
    ]);
  });

  it("GIVEN an audience that only starts like the allowed one WHEN evaluated THEN it is refused: audiences match exactly", () => {
    expect(
      failed(evaluateGcp({ ...initech(), aud: "https://gcp.m2m.acme.example/providers/evil" }, artifacts)),
    ).toEqual(["audience"]);
  });

  it("GIVEN a token for another API, or living 48 h, WHEN evaluated THEN audience or lifetime refuse it", () => {
    expect(failed(evaluateGcp({ ...initech(), aud: "https://orders.api.acme.example" }, artifacts))).toEqual([
      "audience",
    ]);
    expect(failed(evaluateGcp({ ...initech(), exp: 1_000 + 172_800 }, artifacts))).toEqual(["lifetime"]);
  });

  it("GIVEN the rfc9068 dialect (client_id, no azp) WHEN evaluated THEN attribute.client_id still maps", () => {
    const { azp, ...rest } = initech();
    expect(evaluateGcp({ ...rest, client_id: azp }, artifacts).accepted).toBe(true);
  });

  it("GIVEN another tenant's token WHEN evaluated THEN the binding refuses it", () => {
    expect(failed(evaluateGcp(token("gcp"), artifacts))).toEqual(["binding"]);
  });

  it("GIVEN a sub of 64 characters but 128 UTF-8 bytes WHEN evaluated THEN the mapping refuses it, naming GCP's 127-byte limit; 127 bytes in 64 characters pass", () => {
    const mapping = (sub: string) =>
      evaluateGcp({ ...initech(), sub }, artifacts).checks.find((c) => c.check === "mapping");
    const over = "é".repeat(64);
    expect(over.length).toBe(64);
    expect(mapping(over)).toEqual({
      check: "mapping",
      passed: false,
      detail: `google.subject = ${over}: 128 bytes (UTF-8), over GCP's limit of 127`,
    });
    expect(mapping(`${"é".repeat(63)}@`)?.passed).toBe(true);
    expect(mapping("x".repeat(128))?.detail).toMatch(/: 128 bytes \(UTF-8\), over GCP's limit of 127$/);
  });
});

describe("evaluateAzure", () => {
  const credential = azureFederatedCredential(env, "exporter", "initechexporter");
  const initech = () => token("azure", "initech", "exporter", "initechexporter");

  it("GIVEN the workload's token for api://AzureADTokenExchange WHEN evaluated THEN Entra accepts it", () => {
    expect(evaluateAzure(initech(), credential).accepted).toBe(true);
  });

  it("GIVEN an issuer without its trailing slash, another subject or audience WHEN evaluated THEN each is refused with its code", () => {
    expect(
      evaluateAzure({ ...initech(), iss: "https://acme-test.eu.auth0.com" }, credential).checks[0]?.detail,
    ).toMatch(/AADSTS700211/);
    expect(failed(evaluateAzure(token("azure"), credential))).toEqual(["subject"]);
    expect(
      failed(evaluateAzure({ ...initech(), aud: "https://orders.api.acme.example" }, credential)),
    ).toEqual(["audience"]);
  });
});

describe("issuedClaims", () => {
  it("GIVEN a token for the AWS API THEN it carries the session tags; for other APIs it does not", () => {
    expect(token("aws")[AWS_TAGS_CLAIM]).toEqual({
      principal_tags: { tenant_id: ["globex"], workload: ["billing"] },
      transitive_tag_keys: ["tenant_id"],
    });
    expect(token("gcp")).not.toHaveProperty([AWS_TAGS_CLAIM]);
  });
});
