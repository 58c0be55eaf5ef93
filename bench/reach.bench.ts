/**
 * The reach check (src/model/trust/reach-check.ts) over generated stacks with AWS, GCP and Azure on
 * (bench/generated-stack.ts). A GCP bucket shared by 1,000 tenants is refused by validation (one
 * conditional binding each, over IAM's 100 a policy holds), so only AWS entries are shared.
 * Every run starts from a freshly parsed environment, so no run reuses another's caches (parsing
 * is not timed). The check runs at 100 and 1,000 tenants, alternating, 3 times each. The AWS part
 * is also run all-pairs (every role against every target, the oracle the indexed check must
 * equal) at 1,000 tenants, alternating with the indexed AWS part. Targets: time at 1,000 over
 * time at 100 at most 12; the all-pairs run at least 30 times slower than the indexed one.
 */
import {
  awsEnvironmentReach,
  awsReachFindings,
  awsReachFindingsAllPairs,
} from "../src/model/trust/aws/aws-reach.ts";
import { environmentReachFindings } from "../src/model/trust/reach-check.ts";
import { generated } from "./generated-stack.ts";
import { median, spread, timed } from "./median.ts";

const SMALL = 100;
const LARGE = 1_000;
/** One role in this many takes part in the all-pairs run. */
const SAMPLE_EVERY = 20;

export async function benchReach(): Promise<boolean> {
  const runs = {
    small: [] as number[],
    large: [] as number[],
    aws: [] as number[],
    allPairs: [] as number[],
  };
  const found = { small: 0, large: 0 };
  let roles = 0;
  for (let i = 0; i < 3; i++) {
    const small = generated(SMALL);
    runs.small.push(timed(() => (found.small = environmentReachFindings(small).length)));
    const large = generated(LARGE);
    runs.large.push(timed(() => (found.large = environmentReachFindings(large).length)));
    // The AWS part alone, indexed and all pairs, each on inputs of its own (no shared caches).
    // The all-pairs oracle takes minutes at 1,000 tenants: it runs over a fixed sample of the
    // roles (against every target) and is scaled to all roles, as the output says.
    const indexed = awsEnvironmentReach(generated(LARGE));
    runs.aws.push(timed(() => awsReachFindings(indexed)));
    const all = awsEnvironmentReach(generated(LARGE));
    roles = all.roles.length;
    const sample = { ...all, roles: all.roles.filter((_, j) => j % SAMPLE_EVERY === 0) };
    runs.allPairs.push(timed(() => awsReachFindingsAllPairs(sample)) * (roles / sample.roles.length));
  }
  const scaling = median(runs.large) / median(runs.small);
  const allPairs = median(runs.allPairs) / median(runs.aws);
  const met = scaling <= 12 && allPairs >= 30;
  const row = (label: string, xs: readonly number[]) =>
    `  ${label}: ${median(xs).toFixed(0)} ms (${spread(xs)})`;
  console.log(
    "Reach check, AWS + GCP + Azure (3 runs each, alternating, each on a fresh environment; median, spread in ms)",
  );
  console.log(row(`${SMALL} tenants (${found.small} findings)`, runs.small));
  console.log(row(`${LARGE} tenants (${found.large} findings)`, runs.large));
  console.log(row(`AWS part, indexed, ${LARGE} tenants`, runs.aws));
  console.log(
    row(
      `AWS part, all pairs, ${LARGE} tenants (measured on ${Math.ceil(roles / SAMPLE_EVERY)} of ${roles} roles against every target, scaled)`,
      runs.allPairs,
    ),
  );
  console.log(
    `  ${LARGE} / ${SMALL} = ${scaling.toFixed(1)} (linear: ${LARGE / SMALL}; target at most 12); all pairs / indexed = ${allPairs.toFixed(1)} (target at least 30): ${met ? "met" : "not met"}`,
  );
  return met;
}
