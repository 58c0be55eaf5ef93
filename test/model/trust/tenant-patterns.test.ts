import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { iamMatches } from "../../../src/model/trust/evaluate/iam-pattern.ts";
import {
  globsIntersect,
  instantiatePattern,
  overlappingTenantPatterns,
  tenantPatternProblems,
} from "../../../src/model/trust/tenant-patterns.ts";

const ID_CHARS = [..."abcdefghijklmnopqrstuvwxyz0123456789-"];
const idChar = fc.constantFrom(...ID_CHARS);
const alnum = fc.constantFrom(...ID_CHARS.filter((c) => c !== "-"));
/** Tenant ids as the rule allows them: [a-z0-9], then [a-z0-9-]*, ending in [a-z0-9]. */
const tenantId = fc.oneof(
  alnum,
  fc.tuple(alnum, fc.string({ unit: idChar, maxLength: 6 }), alnum).map((parts) => parts.join("")),
);

describe("instantiatePattern", () => {
  it("GIVEN env, tenant and workload WHEN instantiated THEN every placeholder is replaced, repeats too", () => {
    expect(
      instantiatePattern("arn:aws:s3:::acme-{env}-{tenant}/{workload}/{tenant}/*", {
        env: "dev",
        tenant: "abc-def",
        workload: "etl",
      }),
    ).toBe("arn:aws:s3:::acme-dev-abc-def/etl/abc-def/*");
  });

  it("GIVEN a value holding '$&' WHEN instantiated THEN it is inserted literally", () => {
    expect(instantiatePattern("x/{tenant}", { env: "dev", tenant: "$&" })).toBe("x/$&");
  });

  it("GIVEN {workload} and no workload WHEN instantiated THEN it throws naming the pattern", () => {
    expect(() => instantiatePattern("x/{tenant}/{workload}", { env: "dev", tenant: "abc" })).toThrow(
      /"x\/\{tenant\}\/\{workload\}" has \{workload\} but no workload was given/,
    );
  });

  it("GIVEN an unknown placeholder WHEN instantiated THEN it is left as written", () => {
    expect(instantiatePattern("x/{tenant_id}/{tenant}", { env: "dev", tenant: "abc" })).toBe(
      "x/{tenant_id}/abc",
    );
  });
});

describe("tenantPatternProblems", () => {
  it.each([
    "arn:aws:s3:::acme-{tenant}/*",
    "arn:aws:s3:::acme-{tenant}",
    "{tenant}:*",
    "projects/p/secrets/{tenant}_{env}",
    "arn:aws:dynamodb:us-east-1:123456789012:table/x-{tenant}.{workload}",
    "a/{tenant}/{workload}/{tenant}/*",
  ])("GIVEN %s, which pins where the tenant id starts and ends, WHEN checked THEN no problems", (pattern) => {
    expect(tenantPatternProblems(pattern)).toEqual([]);
  });

  it("GIVEN no {tenant} WHEN checked THEN it says every tenant gets the same resources", () => {
    expect(tenantPatternProblems("arn:aws:s3:::acme-shared/*")).toEqual([
      expect.stringMatching(
        /has no \{tenant\}, so it names the same resources for every tenant; put \{tenant\}/,
      ),
    ]);
  });

  it.each(["arn:aws:s3:::*-{tenant}/x", "arn:aws:s3:::acme?{tenant}/x"])(
    "GIVEN a wildcard before {tenant} (%s) WHEN checked THEN it says the start is not pinned",
    (pattern) => {
      expect(tenantPatternProblems(pattern)).toEqual([
        expect.stringMatching(/wildcard \(\* or \?\) before the first \{tenant\}.*write the part before/),
      ]);
    },
  );

  it("GIVEN {workload} before {tenant} WHEN checked THEN it is refused", () => {
    expect(tenantPatternProblems("acme-{workload}/{tenant}/x")).toEqual([
      `"{workload}" comes before the first {tenant}, so the text before the tenant id is not fixed and cannot pin where it starts; write the part before {tenant} literally.`,
    ]);
  });

  it("GIVEN {env} before {tenant} WHEN checked THEN it is accepted: one fixed name per stack, without '-'", () => {
    expect(tenantPatternProblems("arn:aws:s3:::acme-{env}-{tenant}/*")).toEqual([]);
  });

  it.each(["-", "*", "?", "x", "Q", "7", "{"])(
    "GIVEN {tenant} followed by %j WHEN checked THEN it explains the id-extension trap",
    (next) => {
      const problems = tenantPatternProblems(`acme-dev-{tenant}${next}x`);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(
        `"{tenant}" is followed by "${next}", so it does not pin where the id ends`,
      );
      expect(problems[0]).toContain(`"acme-dev-{tenant}-*" for tenant "abc" matches "acme-dev-abc-def-x"`);
      expect(problems[0]).toMatch(/such as '\/', ':', '_' or '\.'/);
    },
  );

  it("GIVEN {workload} followed by '-' WHEN checked THEN it is refused as for {tenant}", () => {
    expect(tenantPatternProblems("a/{tenant}/{workload}-*")).toEqual([
      expect.stringContaining(`"{workload}" is followed by "-"`),
    ]);
  });

  it("GIVEN an unknown placeholder WHEN checked THEN it names it and the known ones", () => {
    expect(tenantPatternProblems("a/{tenant}/{tenant_id}")).toEqual([
      `"{tenant_id}" is not a placeholder; use {env}, {tenant} or {workload}.`,
    ]);
  });
});

describe("globsIntersect", () => {
  it.each([
    ["a*", "*b", true],
    ["a?c", "abc", true],
    ["a?c", "abd", false],
    ["*", "", true],
    ["*", "arn:aws:s3:::x/y", true],
    ["ab*", "ac*", false],
    ["abc", "abc", true],
    ["abc", "ABC", false],
    ["a*c", "ab?d", false],
    ["?", "", false],
    ["x-{tenant}", "x-*", true],
    ["x-{tenant}", "x-abc", false],
    ["x-abc-*", "x-abc", false],
    ["x-abc*", "x-abc-def", true],
    ["x-abc/*", "x-abc-def/*", false],
    ["x-abc-*", "x-abc-def/y", true],
  ])("GIVEN %j and %j WHEN intersected THEN %s, either way round", (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
    expect(globsIntersect(b, a)).toBe(expected);
  });

  it("GIVEN random globs over {a, b} WHEN intersected THEN it agrees with trying every short witness", () => {
    const glob = fc.string({ unit: fc.constantFrom("a", "b", "*", "?"), maxLength: 4 });
    // A shortest witness needs no character that both sides match with a star: length <= |a| + |b|.
    const words = (maxLength: number): string[] => {
      const all = [""];
      let layer = [""];
      for (let n = 0; n < maxLength; n++) {
        layer = layer.flatMap((w) => [`${w}a`, `${w}b`]);
        all.push(...layer);
      }
      return all;
    };
    fc.assert(
      fc.property(glob, glob, (a, b) => {
        const witness = words(a.length + b.length).some((w) => iamMatches(a, w) && iamMatches(b, w));
        expect(globsIntersect(a, b)).toBe(witness);
      }),
    );
  });

  it("GIVEN two globs with the same literal text added before and after WHEN intersected THEN the answer is the globs' own", () => {
    const glob = fc.string({ unit: fc.constantFrom("a", "b", "*", "?"), maxLength: 4 });
    const literal = fc.string({ unit: fc.constantFrom("a", "b", ":", "/"), maxLength: 6 });
    fc.assert(
      fc.property(literal, glob, glob, literal, (before, a, b, after) => {
        expect(globsIntersect(`${before}${a}${after}`, `${before}${b}${after}`)).toBe(globsIntersect(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it("GIVEN globs whose literal text differs at the start or the end WHEN intersected THEN they do not, whatever lies between", () => {
    const glob = fc.string({ unit: fc.constantFrom("a", "b", "*", "?"), maxLength: 4 });
    fc.assert(
      fc.property(glob, glob, fc.boolean(), (a, b, atStart) => {
        expect(globsIntersect(atStart ? `x${a}` : `${a}x`, atStart ? `y${b}` : `${b}y`)).toBe(false);
      }),
    );
  });
});

describe("a pattern without problems separates tenants", () => {
  const prefix = fc.string({ unit: fc.constantFrom(..."abz09:/.-"), maxLength: 8 });
  const suffix = fc.oneof(
    fc.constant(""),
    fc
      .tuple(
        fc.constantFrom("/", ":", "_", "."),
        fc.string({ unit: fc.constantFrom("a", "b", "-", "/", "*", "?", "{tenant}/"), maxLength: 6 }),
      )
      .map(([d, rest]) => d + rest),
  );
  // t2 often extends t1, the case a missing delimiter gets wrong.
  const twoTenants = tenantId
    .chain((t1) =>
      fc.tuple(
        fc.constant(t1),
        fc.oneof(
          tenantId,
          fc.tuple(fc.constantFrom("-", ""), tenantId).map(([d, rest]) => t1 + d + rest),
        ),
      ),
    )
    .filter(([t1, t2]) => t1 !== t2);

  it("GIVEN two different tenant ids and a problem-free pattern WHEN instantiated THEN they never intersect", () => {
    fc.assert(
      fc.property(twoTenants, prefix, suffix, ([t1, t2], p, s) => {
        const pattern = `${p}{tenant}${s}`;
        expect(tenantPatternProblems(pattern)).toEqual([]);
        const one = instantiatePattern(pattern, { env: "dev", tenant: t1 });
        const two = instantiatePattern(pattern, { env: "dev", tenant: t2 });
        expect(globsIntersect(one, two)).toBe(false);
      }),
    );
  });

  it("GIVEN the same tenants and a '-' after {tenant} WHEN instantiated THEN the check is needed: they can intersect", () => {
    const one = instantiatePattern("acme-dev-{tenant}-*", { env: "dev", tenant: "abc" });
    const two = instantiatePattern("acme-dev-{tenant}-*", { env: "dev", tenant: "abc-def" });
    expect(globsIntersect(one, two)).toBe(true);
    expect(iamMatches(one, "acme-dev-abc-def-x")).toBe(true);
  });
});

describe("overlappingTenantPatterns", () => {
  const entry = (tenant: string, pattern: string, at = `tenants.${tenant}`) => ({ tenant, pattern, at });

  it("GIVEN acme-{tenant} for dev-x and acme-dev-{tenant} for x WHEN compared THEN the cross-pattern overlap is reported", () => {
    const devX = entry(
      "dev-x",
      instantiatePattern("arn:aws:s3:::acme-{tenant}/*", { env: "dev", tenant: "dev-x" }),
    );
    const x = entry("x", instantiatePattern("arn:aws:s3:::acme-dev-{tenant}/*", { env: "dev", tenant: "x" }));
    const other = entry("y", "arn:aws:s3:::acme-y/*");
    expect(overlappingTenantPatterns([devX, other, x])).toEqual([{ a: devX, b: x }]);
  });

  it("GIVEN overlapping patterns of one tenant WHEN compared THEN they are not reported", () => {
    expect(overlappingTenantPatterns([entry("a", "x/*"), entry("a", "x/y")])).toEqual([]);
  });

  it("GIVEN random small inputs WHEN compared THEN it agrees with comparing all pairs", () => {
    const entries = fc.array(
      fc.record({
        tenant: fc.constantFrom("t1", "t2", "t3"),
        pattern: fc.string({ unit: fc.constantFrom("a", "b", "-", "*", "?"), maxLength: 5 }),
        at: fc.constant("x"),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(entries, (es) => {
        const naive: string[] = [];
        es.forEach((a, i) => {
          es.forEach((b, j) => {
            if (i < j && a.tenant !== b.tenant && globsIntersect(a.pattern, b.pattern))
              naive.push(`${i},${j}`);
          });
        });
        const found = overlappingTenantPatterns(es).map(({ a, b }) => `${es.indexOf(a)},${es.indexOf(b)}`);
        expect(found).toEqual(naive);
      }),
    );
  });

  it("GIVEN 1,000 tenants x 3 patterns and one stray pattern WHEN compared THEN exactly the stray's overlap is found", () => {
    const tenants = Array.from({ length: 1000 }, (_, i) => `t${i}`);
    const entries = tenants.flatMap((t) => [
      entry(t, `arn:aws:s3:::acme-dev-${t}/*`),
      entry(t, `arn:aws:s3:::acme-dev-${t}-logs/*`),
      entry(t, `arn:aws:dynamodb:us-east-1:123456789012:table/acme-dev-${t}`),
    ]);
    const stray = entry("t42", "arn:aws:s3:::acme-dev-t421/?", "tenants.t42.extra");
    const found = overlappingTenantPatterns([...entries, stray]);
    expect(found).toEqual([{ a: entries[421 * 3], b: stray }]);
  });
});
