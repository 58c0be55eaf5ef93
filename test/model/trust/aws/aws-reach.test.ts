// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${...} in plain strings
// biome-ignore-all lint/suspicious/noExplicitAny: the tests write into the raw, untyped environment
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { awsPermissionsBoundary } from "../../../../src/model/trust/aws/aws-boundary.ts";
import {
  awsEnvironmentReach,
  awsReaches,
  awsReachFindings,
  awsReachFindingsAllPairs,
  awsWorkloadReach,
} from "../../../../src/model/trust/aws/aws-reach.ts";
import { readStackFile } from "../../../../src/stack/stack-file.ts";
import { environmentWithClouds } from "../../../fixtures/environment.ts";

const committed = (stack: string) =>
  parseEnvironment(readStackFile(process.cwd(), stack).config["m2m:environment"], stack);

describe("AWS reach", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN the committed ${stack} stack WHEN every role's reach is evaluated THEN none reaches another tenant's resources, and umbrella's own reach is unproven (AWS managed policies only)`, () => {
      const findings = awsReachFindings(awsEnvironmentReach(committed(stack)));
      expect(findings).toEqual([
        {
          kind: "own-reach-unproven",
          subject: "aws role of umbrella/analytics",
          message:
            "its only permissions are AWS managed policies, whose content is not known offline: its reach of its own resources is unproven",
        },
      ]);
    });
  }

  it("GIVEN umbrella's old configuration (AmazonS3ReadOnlyAccess) without the boundary WHEN evaluated THEN it reaches globex's bucket; with the boundary it is confined", () => {
    const input = awsEnvironmentReach(committed("dev"));
    const unbounded = {
      ...input,
      roles: input.roles.map((r) => (r.tenantId === "umbrella" ? { ...r, boundary: undefined } : r)),
    };
    expect(awsReachFindings(unbounded).filter((f) => f.kind === "tenant-reach")).toContainEqual({
      kind: "tenant-reach",
      subject: "aws role of umbrella/analytics",
      message: "reaches arn:aws:s3:::acme-dev-globex/probe of globex (s3:Probe)",
    });
    expect(awsReachFindings(input).filter((f) => f.kind === "tenant-reach")).toEqual([]);
  });

  it("GIVEN globex's inline policy WHEN evaluated THEN it reaches its own bucket by the actions it names", () => {
    const input = awsEnvironmentReach(committed("dev"));
    const globex = input.roles.find((r) => r.tenantId === "globex");
    if (!globex) throw new Error("the dev stack has globex's AWS role");
    expect(
      awsReaches(
        { ...globex, managedPolicyArns: [] },
        { tenantId: "globex", arn: "arn:aws:s3:::acme-dev-globex/probe" },
        input.account,
      ),
    ).toEqual(["s3:GetObject", "s3:PutObject"]);
  });

  describe("GIVEN shared resources with partitions", () => {
    const raw = environmentWithClouds(["aws"]) as Record<string, any>;
    raw.clouds.aws.shared = [
      {
        name: "exports",
        resources: ["arn:aws:s3:::acme-shared-exports"],
        actions: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        partition: { s3Prefix: true },
        reason: "one bucket for every tenant's exports",
      },
      {
        name: "orders",
        resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"],
        actions: ["dynamodb:GetItem", "dynamodb:Query"],
        partition: { dynamodbLeadingKeys: true },
        reason: "one table keyed by tenant",
      },
    ];
    raw.tenants[0].workloads[0].aws.managedPolicyArns = ["arn:aws:iam::aws:policy/AdministratorAccess"];
    const env = parseEnvironment(raw, "test");

    it("WHEN every role is evaluated, even one with AdministratorAccess THEN each reaches only its own partition", () => {
      const input = awsEnvironmentReach(env);
      expect(awsReachFindings(input).filter((f) => f.kind === "tenant-reach")).toEqual([]);
      const globex = input.roles.find((r) => r.tenantId === "globex");
      if (!globex) throw new Error("the fixture has globex's AWS role");
      expect(
        awsReaches(
          globex,
          { tenantId: "globex", arn: "arn:aws:s3:::acme-shared-exports/globex/probe" },
          input.account,
        ),
      ).toContain("s3:GetObject");
      expect(
        awsReaches(
          globex,
          { tenantId: "initech", arn: "arn:aws:s3:::acme-shared-exports/initech/probe" },
          input.account,
        ),
      ).toEqual([]);
      const table = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
      expect(
        awsReaches(
          globex,
          { tenantId: "globex", arn: table, keys: { "dynamodb:LeadingKeys": ["globex"] } },
          input.account,
        ),
      ).toContain("dynamodb:GetItem");
      expect(
        awsReaches(
          globex,
          { tenantId: "initech", arn: table, keys: { "dynamodb:LeadingKeys": ["initech"] } },
          input.account,
        ),
      ).toEqual([]);
    });

    it("WHEN the boundary is removed THEN AdministratorAccess reaches initech's partition: the boundary is what confines", () => {
      const input = awsEnvironmentReach(env);
      const roles = input.roles.map((r) => ({ ...r, boundary: undefined }));
      expect(awsReachFindings({ ...input, roles })).toContainEqual(
        expect.objectContaining({ kind: "tenant-reach", subject: "aws role of globex/billing" }),
      );
    });
  });
});

describe("AWS reach against hostile identity policies", () => {
  const env = parseEnvironment(environmentWithClouds(["aws"]), "test");
  const input = awsEnvironmentReach(env);
  const globex = input.roles.find((r) => r.tenantId === "globex");
  if (!globex) throw new Error("the fixture has globex's AWS role");
  const initech = input.targets.filter((t) => t.tenantId === "initech");

  const action = fc.constantFrom(
    "*",
    "s3:*",
    "S3:get*",
    "s3:GetObject",
    "iam:*",
    "sqs:*",
    "*:*",
    "s3:Put?bject",
  );
  const resource = fc.constantFrom(
    "*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::acme-test-*",
    "arn:aws:s3:::acme-test-initech",
    "arn:aws:s3:::acme-test-initech/*",
    "arn:aws:s3:::acme-test-${aws:PrincipalTag/tenant_id}/*",
    "arn:aws:s3:::acme-test-${aws:PrincipalTag/missing, 'initech'}/*",
    "arn:aws:s3:::acme-test-glob?x/*",
  );
  const condition = fc.option(
    fc.constantFrom(
      { StringEquals: { "AWS:PRINCIPALTAG/TENANT_ID": "globex" } },
      { StringLike: { "aws:principaltag/tenant_id": "*" } },
      { StringNotEquals: { "aws:SourceVpc": "vpc-1" } },
      { "ForAllValues:StringEquals": { "aws:TagKeys": ["tenant_id"] } },
      { Null: { "aws:ResourceTag/tenant_id": "true" } },
    ),
    { nil: undefined },
  );
  const statement = fc.record({
    Effect: fc.constant("Allow"),
    actions: fc.record({
      kind: fc.constantFrom("Action", "NotAction"),
      values: fc.array(action, { minLength: 1, maxLength: 3 }),
    }),
    resources: fc.record({
      kind: fc.constantFrom("Resource", "NotResource"),
      values: fc.array(resource, { minLength: 1, maxLength: 3 }),
    }),
    condition,
  });
  const policy = fc.array(statement, { minLength: 1, maxLength: 4 }).map((statements) => ({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Effect: s.Effect,
      [s.actions.kind]: s.actions.values,
      [s.resources.kind]: s.resources.values,
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  }));
  const reachesInitech = (doc: unknown, boundary: unknown) =>
    initech.some(
      (t) =>
        awsReaches({ ...globex, policies: [doc], managedPolicyArns: [], boundary }, t, input.account).length >
        0,
    );

  it("GIVEN any identity policy built from wildcards, NotAction, NotResource, variables and key-case variants WHEN globex's role carries its boundary THEN it never reaches initech's resources", () => {
    fc.assert(
      fc.property(policy, (doc) => !reachesInitech(doc, awsPermissionsBoundary(env, env.name, "globex"))),
      { numRuns: 300 },
    );
  });

  it("GIVEN the same generator WHEN the boundary is dropped (the mutation) THEN the property fails: the check is not vacuous", () => {
    const result = fc.check(
      fc.property(policy, (doc) => !reachesInitech(doc, undefined)),
      { numRuns: 300 },
    );
    expect(result.failed).toBe(true);
  });
});

describe("the indexed reach check against its all-pairs oracle", () => {
  /** A stack of `count` tenants, one AWS workload each, as the fixture declares resources. */
  const stackOf = (count: number) => {
    const raw = environmentWithClouds(["aws"]) as Record<string, any>;
    const template = raw.tenants[0];
    raw.clouds.aws.shared = [
      {
        name: "exports",
        resources: ["arn:aws:s3:::acme-shared-exports"],
        actions: ["s3:GetObject"],
        partition: { s3Prefix: true },
        reason: "one bucket",
      },
      {
        name: "orders",
        resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"],
        actions: ["dynamodb:GetItem"],
        partition: { dynamodbLeadingKeys: true },
        reason: "one table",
      },
    ];
    raw.tenants = Array.from({ length: count }, (_, i) => ({
      ...structuredClone(template),
      id: `tenant-${i}`,
      workloads: [{ ...structuredClone(template.workloads[0]), name: "app", aws: { managedPolicyArns: [] } }],
    }));
    return parseEnvironment(raw, "test");
  };
  const sort = (findings: readonly { subject: string; message: string }[]) =>
    findings.map((f) => `${f.subject}: ${f.message}`).sort();

  it("GIVEN generated stacks where some roles lose their boundary, some get wide boundaries, and policies reach across WHEN both checks run THEN they find exactly the same", () => {
    let reachesSeen = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.array(fc.constantFrom("keep", "drop", "widen", "not-resource"), { minLength: 8, maxLength: 8 }),
        fc.array(
          fc.constantFrom(
            "*",
            "arn:aws:s3:::acme-test-tenant-1/*",
            "arn:aws:s3:::acme-test-tenant-1?/*",
            "arn:aws:s3:::acme-test-${aws:PrincipalTag/tenant_id}/*",
          ),
          { minLength: 8, maxLength: 8 },
        ),
        fc.array(
          fc.constantFrom(
            undefined,
            { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["tenant-1"] } },
            { "ForAnyValue:StringLike": { "dynamodb:LeadingKeys": ["tenant-*"] } },
            { StringNotEquals: { "dynamodb:LeadingKeys": "tenant-0" } },
          ),
          { minLength: 8, maxLength: 8 },
        ),
        (count, edits, resources, tableConditions) => {
          const input = awsEnvironmentReach(stackOf(count));
          const roles = input.roles.map((role, i) => {
            const table = tableConditions[i];
            const policies = [
              {
                Version: "2012-10-17",
                Statement: [
                  { Effect: "Allow", Action: "s3:*", Resource: resources[i] },
                  {
                    Effect: "Allow",
                    Action: "dynamodb:*",
                    Resource: "*",
                    ...(table ? { Condition: table } : {}),
                  },
                ],
              },
            ];
            const boundary = structuredClone(role.boundary) as { Statement: Record<string, unknown>[] };
            if (edits[i] === "widen")
              (boundary.Statement[0] as { Resource: string[] }).Resource.push("arn:aws:s3:::acme-test-*");
            if (edits[i] === "not-resource")
              boundary.Statement.unshift({ Effect: "Allow", Action: "s3:*", NotResource: "arn:aws:s3:::x" });
            if (edits[i] === "widen" || edits[i] === "not-resource")
              boundary.Statement = boundary.Statement.filter((s) => s.Sid !== "OutsideTenant");
            // A widened boundary also lets the role across the shared table's partitions.
            if (edits[i] === "widen")
              for (const st of boundary.Statement) if (st.Sid === "Shared1") delete st.Condition;
            return { ...role, policies, boundary: edits[i] === "drop" ? undefined : boundary };
          });
          const edited = { ...input, roles };
          const indexed = sort(awsReachFindings(edited));
          expect(indexed).toEqual(sort(awsReachFindingsAllPairs(edited)));
          reachesSeen += indexed.filter((f) => f.includes(" reaches ")).length;
          return true;
        },
      ),
      { numRuns: 40 },
    );
    // The generated breaches do reach across tenants, so agreement is not agreement on nothing.
    expect(reachesSeen).toBeGreaterThan(0);
  });

  it("GIVEN a role whose boundary lost its Deny and allows every tenant's buckets WHEN the indexed check runs THEN it still finds the reach (the index is not blind)", () => {
    const input = awsEnvironmentReach(stackOf(3));
    const [first, ...rest] = input.roles;
    if (!first) throw new Error("three roles");
    const wide = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::acme-test-*" }],
    };
    const findings = awsReachFindings({
      ...input,
      roles: [{ ...first, boundary: wide, managedPolicyArns: ["x"] }, ...rest],
    });
    expect(findings.filter((f) => f.kind === "tenant-reach").map((f) => f.message)).toContain(
      "reaches arn:aws:s3:::acme-test-tenant-1/probe of tenant-1 (s3:Probe)",
    );
  });
});

describe("what each AWS workload may reach: its identity policies intersected with its boundary", () => {
  const dev = () => readStackFile(process.cwd(), "dev").config["m2m:environment"] as Record<string, any>;
  const billing = (raw: Record<string, any>) => raw.tenants[0].workloads[0];
  const reachOf = (raw: Record<string, any>, workload = "billing-sync") =>
    awsWorkloadReach(parseEnvironment(raw, "dev"))
      .filter((e) => e.tenantId === "globex" && e.workload === workload)
      .map(({ resource, access, atMost }) => ({ resource, access, ...(atMost ? { atMost } : {}) }));

  it("GIVEN globex/billing-sync with only its inline policy (s3:GetObject and s3:PutObject on its bucket's objects) WHEN its reach is listed THEN it is those two actions on those objects: not the bucket, not the SQS queues its boundary also allows", () => {
    const raw = dev();
    delete billing(raw).aws.managedPolicyArns;
    expect(reachOf(raw)).toEqual([
      { resource: "arn:aws:s3:::acme-dev-globex/*", access: "s3:GetObject, s3:PutObject" },
    ]);
  });

  it("GIVEN an inline policy allowing s3:GetObject and sqs:SendMessage everywhere, s3:PutObject on one prefix, and denying sqs:* WHEN listed THEN the boundary's resources bound the wide Allow, the narrow Allow is named as narrow, and the explicit Deny wins over the SQS queues", () => {
    const raw = dev();
    delete billing(raw).aws.managedPolicyArns;
    billing(raw).aws.inlinePolicy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject", "sqs:SendMessage"], Resource: "*" },
        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-dev-globex/exports/*" },
        { Effect: "Deny", Action: "sqs:*", Resource: "*" },
      ],
    };
    expect(reachOf(raw)).toEqual([
      { resource: "arn:aws:s3:::acme-dev-globex", access: "s3:GetObject" },
      { resource: "arn:aws:s3:::acme-dev-globex/*", access: "s3:GetObject" },
      { resource: "arn:aws:s3:::acme-dev-globex/exports/*", access: "s3:GetObject, s3:PutObject" },
    ]);
  });

  it("GIVEN a workload with no identity policy at all WHEN listed THEN it reaches nothing through its role, whatever its boundary allows", () => {
    const raw = dev();
    delete billing(raw).aws.managedPolicyArns;
    delete billing(raw).aws.inlinePolicy;
    expect(reachOf(raw)).toEqual([]);
  });

  it("GIVEN the committed dev stack, where globex/billing-sync also has AmazonSQSReadOnlyAccess (content not known offline) WHEN listed THEN every resource of its boundary is an upper bound, saying what its inline policy gives and that the managed policy is bounded only by the boundary", () => {
    const managed =
      "whatever AmazonSQSReadOnlyAccess allows (a managed policy: its content is not known offline), up to its boundary's every action";
    expect(reachOf(dev())).toEqual([
      { resource: "arn:aws:s3:::acme-dev-globex", access: managed, atMost: true },
      {
        resource: "arn:aws:s3:::acme-dev-globex/*",
        access: `s3:GetObject, s3:PutObject by its inline policy; ${managed}`,
        atMost: true,
      },
      { resource: "arn:aws:sqs:eu-west-1:111111111111:dev_globex_*", access: managed, atMost: true },
    ]);
  });

  it("GIVEN a shared table partitioned by tenant and an inline policy allowing only dynamodb:GetItem on it WHEN listed THEN the shared entry is reached by GetItem only, not every action the entry opens", () => {
    const raw = environmentWithClouds(["aws"]) as Record<string, any>;
    const table = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
    raw.clouds.aws.shared = [
      {
        name: "orders",
        resources: [table],
        actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"],
        partition: { dynamodbLeadingKeys: true },
        reason: "one table keyed by tenant",
      },
    ];
    const workload = raw.tenants[0].workloads[0];
    workload.aws = {
      inlinePolicy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: table }],
      },
    };
    const entries = awsWorkloadReach(parseEnvironment(raw, "test")).filter(
      (e) => e.tenantId === raw.tenants[0].id && e.workload === workload.name,
    );
    expect(entries).toEqual([
      expect.objectContaining({ resource: table, access: "dynamodb:GetItem", shared: "orders" }),
    ]);
  });
});
