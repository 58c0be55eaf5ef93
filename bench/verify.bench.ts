/**
 * `m2m verify`'s engine: verdicts per second for one workload's token against a generated stack
 * of 1,000 tenants (bench/generated-stack.ts: AWS, GCP and Azure on), its candidate targets looked
 * up by subject, beside a full scan of every target in the same run (the same verdicts: a test
 * proves them equal). Each workload's AWS token in turn; 3 rounds alternating look-up and scan,
 * each at least 2 s (look-up) or 50 verdicts (scan); median and spread. Targets: at least 1,000
 * verdicts per second, and at least 20 times the scan.
 */
import { performance } from "node:perf_hooks";
import { cloudApi } from "../src/model/environment/clouds.ts";
import { placeholderClientId, workloadKey } from "../src/model/environment/names.ts";
import { issuedClaims } from "../src/model/trust/token-claims.ts";
import { environmentTargets } from "../src/verify/targets.ts";
import { verifyClaims } from "../src/verify/verdicts.ts";
import { generated } from "./generated-stack.ts";
import { median, summary } from "./median.ts";

const TENANTS = 1_000;
const NOW = Math.floor(Date.now() / 1000);

export async function benchVerify(): Promise<boolean> {
  const env = generated(TENANTS);
  const ids = Object.fromEntries(
    env.tenants.flatMap((t) =>
      t.workloads.map((w) => [workloadKey(t.id, w.name), placeholderClientId(t.id, w.name)]),
    ),
  );
  const targets = environmentTargets(env, ids);
  const api = cloudApi(env, "aws");
  if (!api) throw new Error("the generated stack has AWS on");
  const tokens = env.tenants.map((t) =>
    issuedClaims(env, {
      tenantId: t.id,
      workload: "app",
      clientId: ids[workloadKey(t.id, "app")] as string,
      api,
      scopes: [],
      iat: NOW,
    }),
  );
  const form = { alg: "RS256", length: 900 };
  const rate = (scan: boolean, minMs: number, minCount: number) => {
    let done = 0;
    const start = performance.now();
    while (performance.now() - start < minMs || done < minCount) {
      verifyClaims(env, targets, tokens[done % tokens.length] ?? {}, form, { nowS: NOW, scan });
      done++;
    }
    return done / ((performance.now() - start) / 1000);
  };
  const lookup: number[] = [];
  const scan: number[] = [];
  for (let i = 0; i < 3; i++) {
    lookup.push(rate(false, 2_000, 0));
    scan.push(rate(true, 0, 50));
  }
  const ratio = median(lookup) / median(scan);
  const met = median(lookup) >= 1_000 && ratio >= 20;
  const perSecond = (x: number) => x.toFixed(0);
  console.log(
    `Verify (one token against ${TENANTS} tenants, ${targets.all.length} targets; 3 rounds alternating)`,
  );
  console.log(`  look-up by subject: ${summary(lookup, perSecond)} verdicts/s`);
  console.log(`  scan of every target: ${summary(scan, perSecond)} verdicts/s`);
  console.log(
    `  look-up / scan = ${ratio.toFixed(0)} (target at least 20); at least 1,000/s: ${met ? "met" : "not met"}`,
  );
  return met;
}
