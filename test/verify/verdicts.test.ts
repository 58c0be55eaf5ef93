import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AWS_TAGS_CLAIM } from "../../src/model/contract/aws-session-tags.ts";
import { clientSubject } from "../../src/model/contract/subject.ts";
import { type Environment, parseEnvironment } from "../../src/model/environment/environment.ts";
import { placeholderClientId, workloadKey } from "../../src/model/environment/names.ts";
import { issuedClaims } from "../../src/model/trust/token-claims.ts";
import { readStackFile } from "../../src/stack/stack-file.ts";
import { environmentTargets } from "../../src/verify/targets.ts";
import { type VerifyReport, verifyClaims, verifyExitCode } from "../../src/verify/verdicts.ts";

const NOW = 2_000_000_000;

function committed(stack: string) {
  const env = parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);
  const ids = Object.fromEntries(
    env.tenants.flatMap((t) =>
      t.workloads.map((w) => [workloadKey(t.id, w.name), placeholderClientId(t.id, w.name)]),
    ),
  );
  return { env, ids, targets: environmentTargets(env, ids) };
}

/** A workload's token for one of its APIs, as the issuer mints it (the model's claims). */
function tokenOf(
  env: Environment,
  ids: Record<string, string>,
  tenantId: string,
  workload: string,
  apiKey: string,
) {
  const api = env.apis.find((a) => a.key === apiKey);
  if (!api) throw new Error(`no API ${apiKey}`);
  const clientId = ids[workloadKey(tenantId, workload)] as string;
  return issuedClaims(env, { tenantId, workload, clientId, api, scopes: [], iat: NOW - 60 });
}

const entries = (r: VerifyReport) => [...r.aws, ...r.gcp, ...r.azure];

describe("verify over the committed stacks: every workload's token against every target", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN the ${stack} stack WHEN each workload's token for each cloud API it is granted is verified THEN its own targets let it in under both AWS readings, nothing else does, and it exits 0`, () => {
      const { env, ids, targets } = committed(stack);
      let verified = 0;
      for (const tenant of env.tenants)
        for (const workload of tenant.workloads)
          for (const grant of workload.grants) {
            const api = env.apis.find((a) => a.key === grant.api);
            if (!api?.cloud) continue;
            const claims = tokenOf(env, ids, tenant.id, workload.name, grant.api);
            const report = verifyClaims(env, targets, claims, { alg: "RS256", length: 900 }, { nowS: NOW });
            const all = entries(report);
            expect(all.length, `${tenant.id}/${workload.name} ${api.cloud}`).toBeGreaterThan(0);
            for (const e of all) {
              // Only its own workload's targets are listed; those of the token's cloud let it in.
              expect(e, `${tenant.id}/${workload.name} ${e.target}`).toMatchObject({
                tenant: tenant.id,
                workload: workload.name,
                own: e.allowed,
              });
              if (e.own) expect(e.reasons).toEqual([]);
              if (e.allowedByReading && e.own) expect(e.allowedByReading).toEqual({ azp: true, aud: true });
            }
            expect(all.filter((e) => e.own).length).toBeGreaterThan(0);
            // The scan over every target finds the same: the look-up by subject misses nothing.
            expect(
              verifyClaims(env, targets, claims, { alg: "RS256", length: 900 }, { nowS: NOW, scan: true }),
            ).toEqual(report);
            expect(verifyExitCode(report)).toBe(0);
            verified++;
          }
      expect(verified).toBeGreaterThan(2);
    });
  }
});

describe("verify: a token changed one claim at a time is denied, with the reason", () => {
  const { env, ids, targets } = committed("dev");
  const own = () => tokenOf(env, ids, "globex", "billing-sync", "aws");
  const reasonsOf = (claims: Record<string, unknown>, form = { alg: "RS256", length: 900 }) => {
    const report = verifyClaims(env, targets, claims, form, { nowS: NOW });
    return { report, reasons: entries(report).flatMap((e) => e.reasons), code: verifyExitCode(report) };
  };

  const CASES: [string, (c: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
    [
      "the issuer without its trailing slash",
      (c) => ({ ...c, iss: String(c.iss).replace(/\/$/, "") }),
      /^issuer: iss https:\/\/[^ ]+ against provider https:\/\/.+\/$/,
    ],
    [
      "no session tags",
      (c) => {
        const { [AWS_TAGS_CLAIM]: _tags, ...rest } = c;
        return rest;
      },
      /^trust policy: .*RequestTag\/tenant_id/,
    ],
    [
      "a session tag value over STS's 256 characters",
      (c) => ({
        ...c,
        [AWS_TAGS_CLAIM]: { principal_tags: { tenant_id: ["globex"], workload: ["b".repeat(257)] } },
      }),
      /^session tags: the value of workload is 257 characters, over STS's limit of 256$/,
    ],
    [
      "an expired exp",
      (c) => ({ ...c, exp: NOW - 301 }),
      /^expiry: exp \d+ is past \(now \d+, 300 s of skew\)$/,
    ],
    [
      "an iat an hour ahead",
      (c) => ({ ...c, iat: NOW + 3600, exp: NOW + 7200 }),
      /^issued at: iat \d+ is ahead \(now \d+, 300 s of skew\)$/,
    ],
  ];
  for (const [what, change, reason] of CASES)
    it(`GIVEN globex/billing-sync's AWS token with ${what} WHEN verified THEN its role denies it, saying why, and it exits 1`, () => {
      const { report, reasons, code } = reasonsOf(change(own()));
      expect(report.aws.length).toBeGreaterThan(0);
      expect(report.aws.every((e) => !e.allowed)).toBe(true);
      expect(reasons).toContainEqual(expect.stringMatching(reason));
      expect(code).toBe(1);
    });

  it("GIVEN globex/billing-sync's tagged AWS token re-addressed to another audience WHEN verified THEN the readings differ: STS matching aud refuses it, STS matching azp (its client id) would not, and both are shown", () => {
    const { report, code } = reasonsOf({ ...own(), aud: "https://elsewhere.example" });
    expect(report.aws).toHaveLength(1);
    expect(report.aws[0]).toMatchObject({
      own: false,
      allowed: true,
      allowedByReading: { azp: true, aud: false },
    });
    expect(report.aws[0]?.reasons).toContainEqual(
      expect.stringMatching(/^client ID list: aud https:\/\/elsewhere\.example against .* \(reading aud\)$/),
    );
    expect(report.notes).toContainEqual(
      expect.stringMatching(/^the token's audience \(https:\/\/elsewhere\.example\) is the API of no cloud/),
    );
    expect(code).toBe(1);
  });

  it("GIVEN a token signed with HS256 WHEN verified THEN AWS refuses the algorithm", () => {
    const { reasons, code } = reasonsOf(own(), { alg: "HS256", length: 900 });
    expect(reasons).toContainEqual(
      "algorithm: HS256 is not one aws takes (RS256, RS384, RS512, ES256, ES384, ES512)",
    );
    expect(code).toBe(1);
  });

  it("GIVEN umbrella's subject in a token carrying globex's tenant claims WHEN verified THEN it is umbrella's token: globex's targets stay closed", () => {
    const claims = { ...own(), sub: clientSubject(ids["umbrella/analytics"] as string) };
    const { report } = reasonsOf(claims);
    expect(report.workload).toEqual({ tenant: "umbrella", workload: "analytics" });
    expect(entries(report).filter((e) => e.tenant === "globex" && e.allowed)).toEqual([]);
  });

  it("GIVEN the subject of no workload WHEN verified THEN nothing lets it in, a note says so, and it exits 1", () => {
    const { report, code } = reasonsOf({ ...own(), sub: "stranger@clients" });
    expect(report.notes).toContainEqual("sub stranger@clients is the subject of no workload of stack dev");
    expect(entries(report)).toEqual([]);
    expect(code).toBe(1);
  });

  it("GIVEN GCP's token with no tenant claim WHEN verified THEN the provider's condition refuses it", () => {
    const claims = tokenOf(env, ids, "initech", "report-export", "gcp");
    const { [env.claims.tenantId]: _tenant, ...rest } = claims;
    const { report, reasons } = reasonsOf(rest);
    expect(report.gcp.length).toBeGreaterThan(0);
    expect(report.gcp.every((e) => !e.allowed)).toBe(true);
    expect(reasons.some((r) => r.startsWith("attribute condition") || r.startsWith("mapping"))).toBe(true);
  });

  it("GIVEN a token whose exit would be 3 (another workload's target lets it in) WHEN the report says so THEN the code is 3", () => {
    const report: VerifyReport = {
      version: 1,
      workload: { tenant: "globex", workload: "billing-sync" },
      notes: [],
      aws: [
        {
          tenant: "umbrella",
          workload: "analytics",
          target: "role x",
          own: false,
          allowed: true,
          allowedByReading: { azp: false, aud: true },
          reasons: [],
          reaches: [],
        },
      ],
      gcp: [],
      azure: [],
    };
    expect(verifyExitCode(report)).toBe(3);
  });
});

describe("verify: random claim sets never reach another tenant's target", () => {
  const { env, ids, targets } = committed("dev");
  const values = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
  const subjects = [...Object.values(ids).map(clientSubject), "x@clients", ""];
  const audiences = [...env.apis.map((a) => a.identifier), "https://other.example"];
  const tenants = [...env.tenants.map((t) => t.id), "nobody"];
  const claimSet = fc.record({
    iss: values([env.issuer, env.issuer.replace(/\/$/, ""), "https://evil.example/"]),
    sub: values(subjects),
    aud: fc.oneof(values(audiences), fc.array(values(audiences), { maxLength: 3 })),
    azp: values([...Object.values(ids), "other"]),
    iat: fc.constant(NOW - 60),
    exp: values([NOW + 3600, NOW - 3600]),
    tenant: values(tenants),
    tags: values(tenants),
  });

  it("GIVEN any claims built from the stack's issuers, subjects, audiences and tenants WHEN verified THEN a target lets them in only when their sub is its workload's, and the look-up equals the scan", () => {
    fc.assert(
      fc.property(claimSet, ({ tenant, tags, ...base }) => {
        const claims = {
          ...base,
          [env.claims.tenantId]: tenant,
          [AWS_TAGS_CLAIM]: { principal_tags: { tenant_id: [tags] } },
        };
        const report = verifyClaims(env, targets, claims, { alg: "RS256", length: 900 }, { nowS: NOW });
        for (const e of entries(report).filter((x) => x.allowed))
          expect(clientSubject(ids[workloadKey(e.tenant, e.workload)] as string)).toBe(claims.sub);
        expect(
          verifyClaims(env, targets, claims, { alg: "RS256", length: 900 }, { nowS: NOW, scan: true }),
        ).toEqual(report);
      }),
      { numRuns: 300 },
    );
  });
});
