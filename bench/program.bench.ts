/**
 * Time to run the Pulumi program under mocks for 10, 100 and 1,000 tenants (one workload each),
 * against a bare loop registering the same resources in the same process: the same number, of
 * the same kinds (same classes, same input values as plain literals), with none of the program's
 * work (no model, no components' wiring, no Outputs between resources, no dependsOn). The ratio
 * is what the program adds over the SDK's own cost. Target: ratio at most 1.5, growth linear.
 *
 * For context it also times a loop of one-property generic CustomResources: the SDK's cost per
 * resource grows with the properties a provider class declares (auth0.Client declares about 60,
 * and the SDK makes four promises, each with a captured stack, per property), which no program
 * can change.
 */
import { performance } from "node:perf_hooks";
import * as auth0 from "@pulumi/auth0";
import * as pulumi from "@pulumi/pulumi";
import program from "../infra/index.ts";
import { environmentWithTenants } from "../test/fixtures/environment.ts";
import { mockStack, type RegisteredResource, settled, stackConfig } from "../test/support/mocked-stack.ts";

const SIZES = [10, 100, 1_000];
const RUNS = 3;

type Plain = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;
const CLASSES: Record<string, Plain> = {
  "pulumi:providers:auth0": auth0.Provider as unknown as Plain,
  "auth0:index/resourceServer:ResourceServer": auth0.ResourceServer as unknown as Plain,
  "auth0:index/resourceServerScopes:ResourceServerScopes": auth0.ResourceServerScopes as unknown as Plain,
  "auth0:index/client:Client": auth0.Client as unknown as Plain,
  "auth0:index/clientGrant:ClientGrant": auth0.ClientGrant as unknown as Plain,
  "auth0:index/clientCredentials:ClientCredentials": auth0.ClientCredentials as unknown as Plain,
  "auth0:index/action:Action": auth0.Action as unknown as Plain,
  "auth0:index/triggerActions:TriggerActions": auth0.TriggerActions as unknown as Plain,
};

/** A component with nothing in it, standing in for the program's components. */
class PlainComponent extends pulumi.ComponentResource {}

/** A custom resource of a made-up type with one property. */
class GenericResource extends pulumi.CustomResource {}

async function timeProgram(tenants: number): Promise<{ ms: number; registered: RegisteredResource[] }> {
  const registered = await mockStack("bench", stackConfig(environmentWithTenants(tenants)), [
    "m2m:auth0ClientSecret",
  ]);
  const start = performance.now();
  await program();
  await settled();
  return { ms: performance.now() - start, registered: [...registered] };
}

/** Registers the same resources as plain literals, in a bare loop. */
async function timeSameResources(registered: RegisteredResource[]): Promise<number> {
  await mockStack("bench", {});
  const start = performance.now();
  for (const r of registered) {
    const Class = CLASSES[r.type];
    if (Class) new Class(r.name, r.inputs as never);
    else new PlainComponent(r.type, r.name);
  }
  await settled();
  return performance.now() - start;
}

async function timeGenericResources(count: number): Promise<number> {
  await mockStack("bench", {});
  const start = performance.now();
  for (let i = 0; i < count; i++) new GenericResource("bench:index:Plain", `plain-${i}`, { value: `v-${i}` });
  await settled();
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function benchProgram(): Promise<boolean> {
  console.log(`## Pulumi program under mocks (median of ${RUNS} runs after a warm-up)`);
  console.log(
    "tenants | resources | program ms | same resources, bare loop ms | ratio (target <= 1.5) | ms per tenant | generic 1-property resources ms",
  );
  const warm = await timeProgram(10);
  await timeSameResources(warm.registered);
  let ok = true;
  const perTenant: number[] = [];
  for (const tenants of SIZES) {
    const programMs: number[] = [];
    const bareMs: number[] = [];
    const genericMs: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i++) {
      const run = await timeProgram(tenants);
      count = run.registered.length;
      programMs.push(run.ms);
      bareMs.push(await timeSameResources(run.registered));
      genericMs.push(await timeGenericResources(count));
    }
    const ratio = median(programMs) / median(bareMs);
    perTenant.push(median(programMs) / tenants);
    ok &&= ratio <= 1.5;
    console.log(
      `${tenants} | ${count} | ${median(programMs).toFixed(0)} | ${median(bareMs).toFixed(0)} | ${ratio.toFixed(2)} | ${(median(programMs) / tenants).toFixed(2)} | ${median(genericMs).toFixed(0)}`,
    );
  }
  const growth = (perTenant.at(-1) ?? 0) / (perTenant[1] ?? 1);
  console.log(
    `growth: the cost per tenant at 1,000 tenants is ${growth.toFixed(2)}x that at 100 (linear: about 1). Ratio target ${ok ? "met" : "NOT met"}.`,
  );
  return ok;
}
