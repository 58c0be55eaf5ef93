/**
 * `m2m tenant add` and `remove` on generated stack files of 100 and 1,000 tenants (AWS, GCP and
 * Azure on; bench/generated-stack.ts), each beside its floor in the same process: the work any
 * validated edit of a stack file must do, with nothing else (read the file, parse it with the
 * project's own reader (stackConfigOf: js-yaml), make the change on the parsed value, validate
 * the resulting environment with the model, write the file re-printed by yaml). What add and
 * remove do beyond it: the text edit that keeps every other byte, reading the new text back and comparing it with the intended value, the shape check of
 * the file as it was, and the atomic write. 5 rounds, floor add, add, floor remove, remove in
 * turn, each from a collected heap; median (min–max), ratios taken per round (the machine is
 * shared). Target: the median ratio of add and of remove at most 1.3 at both sizes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { ENVIRONMENT_CONFIG_KEY, parseEnvironment } from "../src/model/environment/environment.ts";
import { stackConfigOf } from "../src/stack/stack-file.ts";
import { addTenant } from "../src/tenant/add-tenant.ts";
import type { OnboardingRequest } from "../src/tenant/onboarding.ts";
import { removeTenant } from "../src/tenant/remove-tenant.ts";
import { generatedRaw } from "./generated-stack.ts";
import { median, summary, timed } from "./median.ts";

const STACK = "bench";
/** Rounds per size: the machine is shared, so each round's ratio is taken beside its own floor. */
const ROUNDS = 5;
const REQUEST: OnboardingRequest = {
  id: "acme",
  workload: "sync",
  grants: ["aws=aws:federate"],
  keyFiles: [],
  metadata: [],
  awsManagedPolicies: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"],
  gcpRoles: [],
  gcpImpersonate: false,
  gcpServiceAccountRoles: [],
  azureRoleAssignments: [],
};
const TENANT = {
  id: "acme",
  workloads: [
    {
      name: "sync",
      grants: [{ api: "aws", scopes: ["aws:federate"] }],
      aws: { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"] },
    },
  ],
};

/** The floor: read, parse, change the value, validate, write it re-printed. */
function floorEdit(file: string, out: string, change: (tenants: unknown[]) => unknown[]): void {
  const config = { ...stackConfigOf(readFileSync(file, "utf8"), file) };
  const env = { ...(config[ENVIRONMENT_CONFIG_KEY] as { tenants: unknown[] }) };
  env.tenants = change(env.tenants);
  config[ENVIRONMENT_CONFIG_KEY] = env;
  parseEnvironment(env, STACK);
  writeFileSync(out, stringify({ config }));
}

export async function benchTenant(): Promise<boolean> {
  let met = true;
  const lines: string[] = [];
  for (const count of [100, 1_000]) {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-bench-tenant-"));
    const file = path.join(dir, `Pulumi.${STACK}.yaml`);
    const raw = generatedRaw(count, STACK);
    // One more AWS workload than the generated stack's: the account's role quota is raised for it.
    Object.assign(raw.clouds.aws, { iamRoleQuota: 2_000 });
    const original = stringify({ config: { [ENVIRONMENT_CONFIG_KEY]: raw } });
    writeFileSync(file, original);
    const floorOut = path.join(dir, "floor.yaml");
    const times = {
      add: [] as number[],
      floorAdd: [] as number[],
      remove: [] as number[],
      floorRemove: [] as number[],
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Each floor edit reads the file as its command finds it: without the tenant, then with it.
      times.floorAdd.push(timed(() => floorEdit(file, floorOut, (tenants) => [...tenants, TENANT])));
      times.add.push(timed(() => addTenant(dir, STACK, REQUEST)));
      times.floorRemove.push(
        timed(() =>
          floorEdit(file, floorOut, (tenants) => tenants.filter((t) => (t as { id: string }).id !== "acme")),
        ),
      );
      times.remove.push(timed(() => removeTenant(dir, STACK, "acme", false)));
      if (readFileSync(file, "utf8") !== original) throw new Error("add then remove changed the stack file");
    }
    rmSync(dir, { recursive: true, force: true });
    const ratios = (a: readonly number[], floor: readonly number[]) =>
      a.map((x, i) => x / (floor[i] ?? Number.NaN));
    const addRatios = ratios(times.add, times.floorAdd);
    const removeRatios = ratios(times.remove, times.floorRemove);
    met &&= median(addRatios) <= 1.3 && median(removeRatios) <= 1.3;
    const ms = (x: number) => Math.round(x).toLocaleString("en-US");
    const two = (x: number) => x.toFixed(2);
    lines.push(
      `| ${count.toLocaleString("en-US")} | ${summary(times.add, ms)} | ${summary(times.floorAdd, ms)} | ${summary(addRatios, two)} | ${summary(times.remove, ms)} | ${summary(times.floorRemove, ms)} | ${summary(removeRatios, two)} |`,
    );
  }
  console.log(
    [
      `m2m tenant add and remove against the floor (read, parse, validate, write re-printed), ${ROUNDS} rounds, median (min–max); ratios per round`,
      "| tenants | add (ms) | floor (ms) | ratio | remove (ms) | floor (ms) | ratio |",
      "|---:|---:|---:|---:|---:|---:|---:|",
      ...lines,
      `Target: each at most 1.3 times its floor: ${met ? "met" : "NOT MET"}`,
    ].join("\n"),
  );
  return met;
}
