/** `npm run bench`: every benchmark of the project, each printing its figures and its target. */
import { benchIsolation } from "./isolation.bench.ts";
import { benchIssuer } from "./issuer.bench.ts";
import { benchManagement } from "./management.bench.ts";
import { benchPlan } from "./plan.bench.ts";
import { benchProgram } from "./program.bench.ts";
import { benchReach } from "./reach.bench.ts";
import { benchRuntime } from "./runtime.bench.ts";
import { benchTenant } from "./tenant.bench.ts";
import { benchToken } from "./token.bench.ts";
import { benchVerify } from "./verify.bench.ts";

const only = process.argv[2];
const benches: Record<string, () => Promise<boolean>> = {
  runtime: benchRuntime,
  issuer: benchIssuer,
  program: benchProgram,
  reach: benchReach,
  isolation: benchIsolation,
  verify: benchVerify,
  tenant: benchTenant,
  token: benchToken,
  management: benchManagement,
  plan: benchPlan,
};
const results: boolean[] = [];
for (const [name, bench] of Object.entries(benches)) {
  if (!only || only === name) results.push(await bench());
}
process.exitCode = results.every(Boolean) ? 0 : 1;
