/**
 * Isolation over generated stacks (bench/generated-stack.ts: AWS, GCP and Azure on, one workload
 * a tenant): the model's isolation invariants over the trust the environment renders, and the
 * policy pack's mandatory `m2m-tenant-isolation` over the stack as a preview shows it (the
 * program run under mocks once per size, not timed; every timed run wraps the resources afresh).
 * 100 and 1,000 tenants, 3 runs each, alternating. The all-pairs oracle of the invariants (every
 * token against every piece of trust) runs at 1,000 tenants over one piece of trust in 20 and is
 * scaled, as the output says. CEL programs stay cached in the process across runs (a handful of
 * expressions). One untimed pass warms the code up; each timed run starts from a collected heap
 * (bench/median.ts, timed). Targets: 1,000 over 100 at most 12 for both; all pairs at least 30 times slower.
 */
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { tenantIsolation } from "../policy/src/policies.ts";
import { isolationViolations, isolationViolationsAllPairs } from "../src/model/trust/invariants.ts";
import { environmentArtifacts, type TrustArtifacts } from "../src/model/trust/trust-artifacts.ts";
import { asPreview, type DraftResource, stackDrafts } from "../test/policy/preview.ts";
import { generated, generatedRaw } from "./generated-stack.ts";
import { median, summary, timed } from "./median.ts";

const SMALL = 100;
const LARGE = 1_000;
const SAMPLE_EVERY = 20;

/** The trust the environment of `count` tenants renders, with stable placeholder client ids. */
function artifactsOf(count: number): TrustArtifacts {
  const env = generated(count);
  const ids = Object.fromEntries(
    env.tenants.flatMap((t) => t.workloads.map((w) => [`${t.id}/${w.name}`, `${t.id}-${w.name}`])),
  );
  return environmentArtifacts(env, ids);
}

/** One piece of trust in `every` of each cloud, against every workload's token. */
function sampled(a: TrustArtifacts, every: number): TrustArtifacts {
  const keep = <T>(xs: readonly T[]) => xs.filter((_, i) => i % every === 0);
  return {
    ...a,
    ...(a.aws ? { aws: { ...a.aws, roles: keep(a.aws.roles) } } : {}),
    ...(a.gcp ? { gcp: { ...a.gcp, bindings: keep(a.gcp.bindings) } } : {}),
    ...(a.azure ? { azure: { credentials: keep(a.azure.credentials) } } : {}),
  };
}

function packIsolation(drafts: readonly DraftResource[]): number {
  const resources: PolicyResource[] = asPreview(drafts);
  let found = 0;
  tenantIsolation.validateStack({ resources } as unknown as StackValidationArgs, () => {
    found++;
  });
  return found;
}

export async function benchIsolation(): Promise<boolean> {
  const drafts = {
    small: await stackDrafts(generatedRaw(SMALL, "dev")),
    large: await stackDrafts(generatedRaw(LARGE, "dev")),
  };
  const runs = {
    small: [] as number[],
    large: [] as number[],
    allPairs: [] as number[],
    packSmall: [] as number[],
    packLarge: [] as number[],
  };
  const found = { small: 0, large: 0, packSmall: 0, packLarge: 0 };
  // One untimed pass of each first, so that no size's first run pays for compiling the code.
  isolationViolations(artifactsOf(SMALL));
  packIsolation(drafts.small);
  for (let i = 0; i < 3; i++) {
    const small = artifactsOf(SMALL);
    runs.small.push(timed(() => (found.small = isolationViolations(small).length)));
    const large = artifactsOf(LARGE);
    runs.large.push(timed(() => (found.large = isolationViolations(large).length)));
    const sample = sampled(artifactsOf(LARGE), SAMPLE_EVERY);
    runs.allPairs.push(timed(() => isolationViolationsAllPairs(sample)) * SAMPLE_EVERY);
    runs.packSmall.push(timed(() => (found.packSmall = packIsolation(drafts.small))));
    runs.packLarge.push(timed(() => (found.packLarge = packIsolation(drafts.large))));
  }
  const model = median(runs.large) / median(runs.small);
  const pack = median(runs.packLarge) / median(runs.packSmall);
  const allPairs = median(runs.allPairs) / median(runs.large);
  const met = model <= 12 && pack <= 12 && allPairs >= 30;
  console.log("Isolation (3 runs each, alternating; median (spread) in ms)");
  console.log(`  invariants, ${SMALL} tenants: ${summary(runs.small)} (${found.small} violations)`);
  console.log(`  invariants, ${LARGE} tenants: ${summary(runs.large)} (${found.large} violations)`);
  console.log(
    `  invariants all pairs, ${LARGE} tenants: ${summary(runs.allPairs)} (one piece of trust in ${SAMPLE_EVERY} against every token, scaled)`,
  );
  console.log(
    `  pack m2m-tenant-isolation, ${SMALL} tenants (${drafts.small.length} resources): ${summary(runs.packSmall)} (${found.packSmall} violations)`,
  );
  console.log(
    `  pack m2m-tenant-isolation, ${LARGE} tenants (${drafts.large.length} resources): ${summary(runs.packLarge)} (${found.packLarge} violations)`,
  );
  console.log(
    `  ${LARGE} / ${SMALL}: invariants ${model.toFixed(1)}, pack ${pack.toFixed(1)} (linear: ${LARGE / SMALL}; target at most 12); all pairs / indexed = ${allPairs.toFixed(1)} (target at least 30): ${met ? "met" : "not met"}`,
  );
  return met;
}
