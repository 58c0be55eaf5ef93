/**
 * The AWS reach check (src/model/aws-reach.ts) over generated stacks: every tenant with one
 * AWS workload (an inline policy on its own bucket and an AWS managed policy), two own resource
 * patterns and two shared entries (an S3 prefix and DynamoDB leading keys), so every role is
 * tried against every tenant's resources and partitions. The indexed check runs at 100 and
 * 1,000 tenants, alternating, 3 times each; the all-pairs oracle runs at 1,000 tenants 3 times,
 * alternating with the indexed one. Targets: time at 1,000 over time at 100 at most 12; the
 * all-pairs run at least 30 times slower than the indexed one at 1,000.
 */
import { performance } from "node:perf_hooks";
import {
  type AwsReachInput,
  awsEnvironmentReach,
  awsReachFindings,
  awsReachFindingsAllPairs,
} from "../src/model/aws-reach.ts";
import { parseEnvironment } from "../src/model/environment.ts";

/** A valid environment of `count` tenants as the bench describes it. */
export function generated(count: number): AwsReachInput {
  const raw = {
    auth0: { domain: "acme-bench.eu.auth0.com", plan: "enterprise" },
    claimNamespace: "https://claims.acme.example/",
    apis: [
      {
        key: "aws",
        identifier: "https://aws.m2m.acme.example",
        name: "AWS",
        tokenLifetime: 3600,
        tokenDialect: "rfc9068_profile",
        cloud: "aws",
        scopes: [{ value: "aws:federate" }],
      },
    ],
    clouds: {
      aws: {
        accountId: "123456789012",
        region: "eu-west-1",
        tenantResources: ["arn:aws:s3:::acme-{env}-{tenant}", "arn:aws:s3:::acme-{env}-{tenant}/*"],
        shared: [
          {
            name: "exports",
            resources: ["arn:aws:s3:::acme-shared-exports"],
            actions: ["s3:GetObject", "s3:PutObject"],
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
        ],
      },
    },
    tenants: Array.from({ length: count }, (_, i) => ({
      id: `tenant-${i}`,
      workloads: [
        {
          name: "app",
          grants: [{ api: "aws", scopes: ["aws:federate"] }],
          aws: {
            managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            inlinePolicy: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: ["s3:GetObject"],
                  Resource: `arn:aws:s3:::acme-bench-tenant-${i}/*`,
                },
              ],
            },
          },
        },
      ],
    })),
    credentialsExchange: { bindings: [{ action: "tenant-claims" }] },
  };
  return awsEnvironmentReach(parseEnvironment(raw, "bench"));
}

function timed(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const spread = (xs: readonly number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

const SMALL = 100;
const LARGE = 1_000;
/** One role in this many takes part in the all-pairs run. */
const SAMPLE_EVERY = 20;

export async function benchReach(): Promise<boolean> {
  const small = generated(SMALL);
  const large = generated(LARGE);
  const sample = { ...large, roles: large.roles.filter((_, i) => i % SAMPLE_EVERY === 0) };
  const runs = { small: [] as number[], large: [] as number[], allPairs: [] as number[] };
  for (let i = 0; i < 3; i++) {
    runs.small.push(timed(() => awsReachFindings(small)));
    runs.large.push(timed(() => awsReachFindings(large)));
    // The all-pairs oracle takes minutes at 1,000 tenants: it runs over a fixed sample of the
    // roles (against every target) and is scaled to all roles, as the output says.
    runs.allPairs.push(
      timed(() => awsReachFindingsAllPairs(sample)) * (large.roles.length / sample.roles.length),
    );
  }
  const scaling = median(runs.large) / median(runs.small);
  const allPairs = median(runs.allPairs) / median(runs.large);
  const linear = LARGE / SMALL;
  const row = (n: number, xs: readonly number[], input: AwsReachInput) =>
    `  ${n} tenants: ${median(xs).toFixed(0)} ms (${spread(xs)}), ${input.roles.length} roles x ${input.targets.length} targets`;
  console.log("AWS reach check (3 runs each, alternating; median, spread in ms)");
  console.log(row(SMALL, runs.small, small));
  console.log(row(LARGE, runs.large, large));
  console.log(
    `  all pairs at ${LARGE} tenants: ${median(runs.allPairs).toFixed(0)} ms (${spread(runs.allPairs)}), measured on ${sample.roles.length} of ${large.roles.length} roles against every target and scaled`,
  );
  console.log(
    `  ${LARGE} / ${SMALL} = ${scaling.toFixed(1)} (linear: ${linear}; target at most 12); all pairs / indexed = ${allPairs.toFixed(1)} (target at least 30): ${scaling <= 12 && allPairs >= 30 ? "met" : "not met"}`,
  );
  return scaling <= 12 && allPairs >= 30;
}
