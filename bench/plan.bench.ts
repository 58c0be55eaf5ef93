/**
 * `m2m plan` for generated stacks of 100, 300 and 1,000 tenants with AWS, GCP and Azure on
 * (bench/generated-stack.ts), against its floor: the bare mocks registering the same resources
 * (the plan's own recording replayed by bench/program-run.ts `floor`: the same classes, names,
 * inputs, parents and providers, nothing else). Every run is a fresh process (peak RSS is a
 * high-water mark); per size, 5 timed runs each, plan and floor alternating. Medians and spreads.
 *
 * Targets: at every size the plan takes at most 1.3 times its floor's time and 1.2 times its
 * peak RSS; the plan's time at 1,000 tenants is at most 12 times its time at 100.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { generatedRaw } from "./generated-stack.ts";
import { median, summary } from "./median.ts";
import type { RunResult } from "./program-run.ts";

// Five, not three: a run's time varies by a tenth on this 2-core machine, and the median of
// three moved the ratio across its target from one bench to the next.
const RUNS = 5;
const SIZES = [100, 300, 1_000] as const;
const TIME_TARGET = 1.3;
const RSS_TARGET = 1.2;
const SCALE_TARGET = 12;

const run = promisify(execFile);

async function child(script: string, args: readonly string[]): Promise<RunResult> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, ...args], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as RunResult;
}

interface Measured {
  readonly tenants: number;
  readonly resources: number;
  readonly plan: RunResult[];
  readonly floor: RunResult[];
}

async function measure(tenants: number, dir: string): Promise<Measured> {
  const project = path.join(dir, String(tenants));
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project);
  writeFileSync(
    path.join(project, "Pulumi.bench.yaml"),
    stringify({ config: { "m2m:environment": generatedRaw(tenants) } }),
  );
  const recording = path.join(project, "registrations.json");
  const { registrations } = await child("bench/plan-run.ts", ["record", project, recording]);
  // Throws unless the floor registers exactly what the plan's program did.
  await child("bench/program-run.ts", ["verify", String(tenants), "0", recording]);
  const plan: RunResult[] = [];
  const floor: RunResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    plan.push(await child("bench/plan-run.ts", ["plan", project, recording]));
    floor.push(await child("bench/program-run.ts", ["floor", String(tenants), "0", recording]));
  }
  return { tenants, resources: registrations, plan, floor };
}

const ms = (n: number) => `${Math.round(n).toLocaleString("en-US")} ms`;
const mb = (n: number) => `${Math.round(n / 1_048_576).toLocaleString("en-US")} MB`;

export async function benchPlan(): Promise<boolean> {
  console.log(
    `## m2m plan (markdown) against the bare mocks registering the same resources; AWS + GCP + Azure on; each run a fresh process, ${RUNS} runs each alternating; median (min–max)`,
  );
  console.log(
    "tenants | registrations | plan | floor | time ratio | plan peak RSS | floor peak RSS | RSS ratio",
  );
  const dir = mkdtempSync(path.join(tmpdir(), "plan-bench-"));
  const results: Measured[] = [];
  let met = true;
  try {
    for (const tenants of SIZES) {
      const m = await measure(tenants, dir);
      results.push(m);
      const time = median(m.plan.map((r) => r.ms)) / median(m.floor.map((r) => r.ms));
      const rss = median(m.plan.map((r) => r.maxRssBytes)) / median(m.floor.map((r) => r.maxRssBytes));
      met &&= time <= TIME_TARGET && rss <= RSS_TARGET;
      console.log(
        `${tenants.toLocaleString("en-US")} | ${m.resources.toLocaleString("en-US")} | ${summary(
          m.plan.map((r) => r.ms),
          ms,
        )} | ${summary(
          m.floor.map((r) => r.ms),
          ms,
        )} | ${time.toFixed(2)} ${time <= TIME_TARGET ? "met" : "NOT met"} | ${summary(
          m.plan.map((r) => r.maxRssBytes),
          mb,
        )} | ${summary(
          m.floor.map((r) => r.maxRssBytes),
          mb,
        )} | ${rss.toFixed(2)} ${rss <= RSS_TARGET ? "met" : "NOT met"}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const at = (n: number) => median(results.find((m) => m.tenants === n)?.plan.map((r) => r.ms) ?? []);
  const scale = at(1_000) / at(100);
  const scaleMet = scale <= SCALE_TARGET;
  console.log(
    `Targets: time at most ${TIME_TARGET} and peak RSS at most ${RSS_TARGET} of the floor at every size: ${met ? "met" : "NOT met"}; plan time at 1,000 tenants / at 100: ${scale.toFixed(2)} (target at most ${SCALE_TARGET}): ${scaleMet ? "met" : "NOT met"}.`,
  );
  return met && scaleMet;
}
