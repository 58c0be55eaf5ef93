import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import {
  awsTrustSubjects,
  isolationViolations,
  isolationViolationsAllPairs,
} from "../../../src/model/trust/invariants.ts";
import { environmentArtifacts, type TrustArtifacts } from "../../../src/model/trust/trust-artifacts.ts";
import { environmentWithClouds } from "../../fixtures/environment.ts";

const env = parseEnvironment(environmentWithClouds(["aws", "gcp", "azure"]), "test");
const IDS = {
  "globex/billing": "globexbilling",
  "initech/exporter": "initechexporter",
  "initech/analytics": "initechanalytics",
};
const SUBJECTS = Object.values(IDS).map((id) => `${id}@clients`);
const SUB_KEY = "acme-test.eu.auth0.com/:sub";
// biome-ignore lint/suspicious/noExplicitAny: the generators break the rendered trust on purpose
type Editable = any;

/** One way of breaking the rendered trust, applied to the piece at `at` (modulo how many there are). */
type Breach = { readonly kind: string; readonly at: number; readonly pick: number };

const KINDS = [
  "aws-sub-other",
  "aws-sub-list",
  "aws-sub-like",
  "aws-sub-variable",
  "aws-sub-key-case",
  "aws-sub-removed",
  "aws-second-statement",
  "aws-aud-any",
  "gcp-member-other",
  "gcp-member-tenant-set",
  "gcp-subject-mapping",
  "azure-subject-other",
  "azure-issuer-other",
] as const;

function broken(breaches: readonly Breach[]): TrustArtifacts {
  const a: Editable = structuredClone(environmentArtifacts(env, IDS));
  for (const { kind, at, pick } of breaches) {
    const role = a.aws.roles[at % a.aws.roles.length];
    const equals = role.trustPolicy.Statement[0].Condition.StringEquals;
    const other = SUBJECTS[pick % SUBJECTS.length];
    const binding = a.gcp.bindings[at % a.gcp.bindings.length];
    const credential = a.azure.credentials[at % a.azure.credentials.length];
    switch (kind) {
      case "aws-sub-other":
        equals[SUB_KEY] = other;
        break;
      case "aws-sub-list":
        equals[SUB_KEY] = [equals[SUB_KEY], other];
        break;
      case "aws-sub-like":
        delete equals[SUB_KEY];
        role.trustPolicy.Statement[0].Condition.StringLike = { [SUB_KEY]: "*@clients" };
        break;
      case "aws-sub-variable":
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
        equals[SUB_KEY] = "${aws:PrincipalTag/none}";
        break;
      case "aws-sub-key-case":
        equals[SUB_KEY.toUpperCase()] = other;
        delete equals[SUB_KEY];
        break;
      case "aws-sub-removed":
        delete equals[SUB_KEY];
        break;
      case "aws-second-statement":
        role.trustPolicy.Statement.push({
          ...structuredClone(role.trustPolicy.Statement[0]),
          Condition: { StringEquals: { ...equals, [SUB_KEY]: other, "aws:RequestTag/tenant_id": undefined } },
        });
        break;
      case "aws-aud-any":
        delete equals["acme-test.eu.auth0.com/:aud"];
        break;
      case "gcp-member-other":
        binding.member = binding.member.replace(/subject\/.*$/, `subject/${other}`);
        break;
      case "gcp-member-tenant-set":
        binding.member = binding.member.replace(
          /principal:\/\/(.*)\/subject\/.*$/,
          `principalSet://$1/attribute.tenant_id/${pick % 2 === 0 ? "globex" : "initech"}`,
        );
        break;
      case "gcp-subject-mapping":
        a.gcp.provider.attributeMapping["google.subject"] = `'${other}'`;
        break;
      case "azure-subject-other":
        credential.subject = other;
        break;
      case "azure-issuer-other":
        credential.issuer = "https://elsewhere.example/";
        break;
    }
  }
  // JSON drops the undefined keys the second statement was written with.
  return JSON.parse(JSON.stringify(a));
}

const breach = fc.record({
  kind: fc.constantFrom(...KINDS),
  at: fc.nat({ max: 8 }),
  pick: fc.nat({ max: 8 }),
});

const sorted = (a: TrustArtifacts, check: (x: TrustArtifacts) => readonly object[]) =>
  check(a)
    .map((v) => JSON.stringify(v))
    .sort();

describe("isolation, indexed by subject, against the all-pairs oracle", () => {
  it("GIVEN generated breaches of every kind, in AWS, GCP and Azure trust WHEN both checks run THEN they find exactly the same violations", () => {
    let withIsolationBreaches = 0;
    fc.assert(
      fc.property(fc.array(breach, { minLength: 0, maxLength: 4 }), (breaches) => {
        const a = broken(breaches);
        const oracle = sorted(a, isolationViolationsAllPairs);
        if (oracle.some((v) => v.includes('"tenant-isolation"'))) withIsolationBreaches++;
        expect(sorted(a, isolationViolations)).toEqual(oracle);
      }),
      { numRuns: 300 },
    );
    // The generators do produce breaches: the equality is not between two empty lists. A CI run
    // once drew only 48 of 300 with an isolation breach, under the 50 this asked for; 20 still
    // proves the point with room for any seed.
    expect(withIsolationBreaches).toBeGreaterThan(20);
  });

  it("GIVEN a trust with one literal StringEquals subject WHEN indexed THEN only that subject is tried; a list, a pattern or a missing subject is tried by every token", () => {
    const a: Editable = structuredClone(environmentArtifacts(env, IDS));
    const trust = a.aws.roles[0].trustPolicy;
    expect([...(awsTrustSubjects(trust) ?? [])]).toEqual(["globexbilling@clients"]);
    trust.Statement[0].Condition.StringEquals[SUB_KEY] = ["globexbilling@clients", "x@clients"];
    expect(awsTrustSubjects(trust)).toBeUndefined();
    delete trust.Statement[0].Condition.StringEquals[SUB_KEY];
    expect(awsTrustSubjects(trust)).toBeUndefined();
  });

  it("GIVEN umbrella's token mapped to initech's subject by a provider WHEN indexed THEN the mapping defeats the index and the breach is still found", () => {
    const a = broken([{ kind: "gcp-subject-mapping", at: 0, pick: 1 }]);
    expect(isolationViolations(a).filter((v) => v.invariant === "tenant-isolation").length).toBeGreaterThan(
      0,
    );
  });
});
