import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { accessTypesUnderstood, tenantIsolation, unknownAccess } from "../../policy/src/policies.ts";
import { committedEnvironment } from "../support/mocked-stack.ts";
import { asPreview, type DraftResource, devDrafts, stackDrafts, UNKNOWN_STRING } from "./preview.ts";

const UMBRELLA_ROLE = "arn:aws:iam::111111111111:role/m2m-dev-umbrella-analytics";
const GLOBEX_ROLE = "arn:aws:iam::111111111111:role/m2m-dev-globex-billing-sync";
const GLOBEX_BUCKET = "acme-dev-globex";

/** A policy document as IAM takes it. */
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const isolation = (drafts: DraftResource[]) => {
  const found: string[] = [];
  tenantIsolation.validateStack(
    { resources: asPreview(drafts) } as unknown as StackValidationArgs,
    (message) => found.push(message),
  );
  return found;
};

const unknown = (drafts: DraftResource[]) => {
  const found: string[] = [];
  unknownAccess.validateStack({ resources: asPreview(drafts) } as unknown as StackValidationArgs, (message) =>
    found.push(message),
  );
  return found;
};

const typeCheck = (resource: DraftResource) => {
  const found: string[] = [];
  const [r] = asPreview([resource]) as PolicyResource[];
  (accessTypesUnderstood.validateResource as (a: unknown, report: (m: string) => void) => void)(r, (m) =>
    found.push(m),
  );
  return found;
};

const bucketPolicy = (bucket: string, ...statements: object[]): DraftResource => ({
  type: "aws:s3/bucketPolicy:BucketPolicy",
  name: `${bucket}-policy`,
  props: { bucket, policy: doc(...statements) },
});

describe("AWS resource-based policies in the stack", () => {
  it("GIVEN a bucket policy on globex's bucket naming umbrella's role WHEN checked THEN tenant-reach names the role, the objects it reaches and the fix", async () => {
    const drafts = await devDrafts();
    drafts.push(
      bucketPolicy(GLOBEX_BUCKET, {
        Effect: "Allow",
        Principal: { AWS: [GLOBEX_ROLE, UMBRELLA_ROLE] },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::${GLOBEX_BUCKET}/*`,
      }),
    );
    expect(isolation(drafts)).toEqual([
      `[tenant-reach] aws ${GLOBEX_BUCKET}-policy (aws:s3/bucketPolicy:BucketPolicy): its policy lets the role of umbrella/analytics reach arn:aws:s3:::${GLOBEX_BUCKET}/probe of globex (s3:GetObject): a resource-based policy may name only its own tenant's roles`,
    ]);
  });

  it("GIVEN a bucket policy on globex's bucket naming only globex's role WHEN checked THEN nothing is reported", async () => {
    const drafts = await devDrafts();
    drafts.push(
      bucketPolicy(GLOBEX_BUCKET, {
        Effect: "Allow",
        Principal: { AWS: GLOBEX_ROLE },
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: `arn:aws:s3:::${GLOBEX_BUCKET}/*`,
      }),
    );
    expect(isolation(drafts)).toEqual([]);
    expect(typeCheck(drafts.at(-1) as DraftResource)).toEqual([]);
  });

  it("GIVEN globex's bucket open to Principal * WHEN checked THEN it is reported open to anyone, and reached by every other tenant's role", async () => {
    const drafts = await devDrafts();
    drafts.push(
      bucketPolicy(GLOBEX_BUCKET, {
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::${GLOBEX_BUCKET}/*`,
      }),
    );
    const found = isolation(drafts);
    expect(found).toContainEqual(
      expect.stringContaining(
        `its policy opens arn:aws:s3:::${GLOBEX_BUCKET}/probe of globex to any principal: name only globex's roles`,
      ),
    );
    expect(found).toContainEqual(expect.stringContaining("lets the role of umbrella/analytics reach"));
    expect(found.join("\n")).not.toContain("lets the role of globex/");
  });

  it("GIVEN Principal * held to the tenant's own tag by a condition WHEN checked THEN only globex gets in and nothing is reported", async () => {
    const drafts = await devDrafts();
    drafts.push(
      bucketPolicy(GLOBEX_BUCKET, {
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::${GLOBEX_BUCKET}/*`,
        Condition: { StringEquals: { "aws:PrincipalTag/tenant_id": "globex" } },
      }),
    );
    expect(isolation(drafts)).toEqual([]);
  });

  it("GIVEN a queue policy addressed by its URL on globex's queue WHEN it names umbrella's role THEN the queue's ARN is reported", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "aws:sqs/queuePolicy:QueuePolicy",
      name: "globex-jobs-policy",
      props: {
        queueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/dev_globex_jobs",
        policy: doc({
          Effect: "Allow",
          Principal: { AWS: UMBRELLA_ROLE },
          Action: "sqs:SendMessage",
          Resource: "arn:aws:sqs:eu-west-1:111111111111:dev_globex_jobs",
        }),
      },
    });
    expect(isolation(drafts)).toEqual([
      "[tenant-reach] aws globex-jobs-policy (aws:sqs/queuePolicy:QueuePolicy): its policy lets the role of umbrella/analytics reach arn:aws:sqs:eu-west-1:111111111111:dev_globex_jobs of globex (sqs:SendMessage): a resource-based policy may name only its own tenant's roles",
    ]);
  });

  it("GIVEN KMS grants on one key to two tenants' roles WHEN the key is no tenant's and not shared THEN each grant is reported with the fix", async () => {
    const drafts = await devDrafts();
    const key = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    for (const [name, grantee] of [
      ["umbrella-grant", UMBRELLA_ROLE],
      ["globex-grant", GLOBEX_ROLE],
    ] as const)
      drafts.push({
        type: "aws:kms/grant:Grant",
        name,
        props: { keyId: key, granteePrincipal: grantee, operations: ["Decrypt"] },
      });
    const found = isolation(drafts);
    expect(found).toHaveLength(2);
    for (const name of ["umbrella-grant", "globex-grant"])
      expect(found).toContainEqual(
        `[tenant-reach] aws ${name} (aws:kms/grant:Grant): ${key} belongs to no tenant and its policies let globex, umbrella reach it: declare it under clouds.aws.shared with a partition, or give each tenant its own`,
      );
  });

  it("GIVEN a Lambda permission for one tenant's role, and one for a service with a source ARN WHEN checked THEN neither is reported", async () => {
    const drafts = await devDrafts();
    drafts.push(
      {
        type: "aws:lambda/permission:Permission",
        name: "globex-invoke",
        props: { function: "globex-report", principal: GLOBEX_ROLE, action: "lambda:InvokeFunction" },
      },
      {
        type: "aws:lambda/permission:Permission",
        name: "s3-invoke",
        props: {
          function: "globex-report",
          principal: "s3.amazonaws.com",
          action: "lambda:InvokeFunction",
          sourceArn: `arn:aws:s3:::${GLOBEX_BUCKET}`,
        },
      },
    );
    expect(isolation(drafts)).toEqual([]);
  });

  it("GIVEN a Lambda permission for every principal on a function no tenant owns WHEN checked THEN two tenants reaching it are reported", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "aws:lambda/permission:Permission",
      name: "anyone-invoke",
      props: { function: "shared-report", principal: "*", action: "lambda:InvokeFunction" },
    });
    expect(isolation(drafts)).toContainEqual(
      expect.stringMatching(
        /anyone-invoke .*: arn:aws:lambda:\*:111111111111:function:shared-report belongs to no tenant and its policies let globex, umbrella reach it/,
      ),
    );
  });

  it("GIVEN a bucket policy whose document is not known at preview WHEN checked THEN m2m-unknown-access refuses it", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "aws:s3/bucketPolicy:BucketPolicy",
      name: "later-policy",
      props: { bucket: GLOBEX_BUCKET, policy: UNKNOWN_STRING },
    });
    expect(unknown(drafts)).toContainEqual(
      expect.stringMatching(
        /^\[unknown-access\] the resource-based policy of later-policy, or the resource it guards, is unknown at preview/,
      ),
    );
  });

  it("GIVEN a queue whose own policy is not valid JSON WHEN checked THEN it is refused as one IAM would not evaluate", async () => {
    const drafts = await devDrafts();
    drafts.push({
      type: "aws:sqs/queue:Queue",
      name: "broken",
      props: { name: "dev_x", policy: "{not json" },
    });
    expect(isolation(drafts)).toContainEqual(
      expect.stringMatching(
        /^\[tenant-reach\] aws broken \(aws:sqs\/queue:Queue\): its policy is not one IAM would evaluate as written: /,
      ),
    );
  });

  it("GIVEN a bucket with a policy and an ACL grant WHEN its type is checked THEN the grant is refused and the policy is not", () => {
    const found = typeCheck({
      type: "aws:s3/bucket:Bucket",
      name: "with-grants",
      props: {
        bucket: GLOBEX_BUCKET,
        policy: doc({ Effect: "Allow", Principal: { AWS: GLOBEX_ROLE }, Action: "s3:*", Resource: "*" }),
        grants: [{ type: "CanonicalUser", id: "abc", permissions: ["READ"] }],
      },
    });
    expect(found).toEqual([expect.stringMatching(/holds access in grants and may grant access/)]);
  });
});

describe("AWS resource-based policies on a shared bucket with a prefix per tenant", () => {
  const withShared = () => {
    const environment = structuredClone(committedEnvironment("dev")) as {
      clouds: { aws: { shared: object[] } };
    };
    environment.clouds.aws.shared = [
      {
        name: "exports",
        resources: ["arn:aws:s3:::acme-dev-exports"],
        actions: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        partition: { s3Prefix: true },
        reason: "one export bucket for every tenant",
      },
    ];
    return stackDrafts(environment);
  };
  const roles = [GLOBEX_ROLE, UMBRELLA_ROLE];

  it("GIVEN the bucket's policy confines each role to its tenant's prefix WHEN checked THEN nothing is reported", async () => {
    const drafts = await withShared();
    drafts.push(
      bucketPolicy(
        "acme-dev-exports",
        {
          Effect: "Allow",
          Principal: { AWS: roles },
          Action: ["s3:GetObject", "s3:PutObject"],
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
          Resource: "arn:aws:s3:::acme-dev-exports/${aws:PrincipalTag/tenant_id}/*",
        },
        {
          Effect: "Allow",
          Principal: { AWS: roles },
          Action: "s3:ListBucket",
          Resource: "arn:aws:s3:::acme-dev-exports",
        },
      ),
    );
    expect(isolation(drafts)).toEqual([]);
  });

  it("GIVEN the bucket's policy opens every object to both roles WHEN checked THEN each role reaching the other's prefix is reported", async () => {
    const drafts = await withShared();
    drafts.push(
      bucketPolicy("acme-dev-exports", {
        Effect: "Allow",
        Principal: { AWS: roles },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::acme-dev-exports/*",
      }),
    );
    const found = isolation(drafts);
    expect(found).toContainEqual(
      expect.stringContaining(
        "lets the role of umbrella/analytics reach arn:aws:s3:::acme-dev-exports/globex/probe of globex (s3:GetObject)",
      ),
    );
    expect(found).toContainEqual(
      expect.stringContaining(
        "lets the role of globex/billing-sync reach arn:aws:s3:::acme-dev-exports/umbrella/probe of umbrella (s3:GetObject)",
      ),
    );
  });
});
