/**
 * The program started as `pulumi preview` and `pulumi up` start it: Pulumi.yaml's nodeargs,
 * @pulumi/pulumi's cmd/run, the CLI's arguments and config variables, against an engine that
 * records what it receives (test/support/recording-monitor.ts). What it registers is compared
 * with what the mocked tests see for the same stack, so the mocked tests speak for `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import type { ProgramOutputs } from "../../infra/program.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import {
  awsAccountOf,
  committedEnvironment,
  computedState,
  mockStack,
  type RegisteredResource,
  resolved,
  settled,
  stackConfig,
} from "../support/mocked-stack.ts";
import {
  type CliRun,
  isSecretValue,
  type Registration,
  type Respond,
  runAsPulumiCli,
  Severity,
  UNKNOWN,
} from "../support/recording-monitor.ts";

const SECRET_KEYS = ["m2m:auth0ClientSecret"];
/** A run takes a few seconds; hooks get vitest's 10 s by default, too little on a busy machine. */
const HOOK_TIMEOUT = 60_000;

/** Answers an update as the mocks do, so that what depends on computed outputs can be compared. */
const respondAsMocks: Respond = (registration, recording) => {
  const providerUrn = registration.provider.slice(0, registration.provider.lastIndexOf("::"));
  const provider = recording.registrations.find((r) => r.urn === providerUrn);
  const account = awsAccountOf(provider?.type === "pulumi:providers:aws" ? provider.inputs : undefined);
  return {
    ...registration.inputs,
    ...computedState(registration.type, registration.name, registration.inputs, account),
  };
};

/** What the mocked tests see for `stack`: the registrations and the program's outputs, resolved. */
async function mockedRun(stack: string) {
  const resources = await mockStack(stack, stackConfig(committedEnvironment(stack)), SECRET_KEYS);
  const outputs = await resolved(pulumi.output(await program()) as pulumi.Output<unknown>);
  await settled();
  return { resources, outputs: outputs as Record<string, unknown> };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function jsonDocument(text: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `wire` with only what must differ from `mocked` taken from `mocked`, so that the rest compares
 * exactly:
 * - at preview, a value the engine leaves unknown (a provider computes it, or it is derived from
 *   one): the mocks never preview, since unknowns never resolve under them;
 * - a JSON document (an IAM policy) whose keys come in another order: the CLI passes object
 *   config through Go's encoding/json, which sorts keys, where the mocks keep the stack file's
 *   order. The parsed documents must be equal.
 */
function alignedWith(wire: unknown, mocked: unknown, preview: boolean): unknown {
  if (preview && wire === UNKNOWN) return mocked;
  if (typeof wire === "string" && typeof mocked === "string" && wire !== mocked) {
    const [a, b] = [jsonDocument(wire), jsonDocument(mocked)];
    if (a !== undefined && b !== undefined) {
      expect(a).toEqual(b);
      return mocked;
    }
  }
  if (Array.isArray(wire) && Array.isArray(mocked))
    return wire.map((w, i) => alignedWith(w, mocked[i], preview));
  if (isObject(wire) && isObject(mocked)) {
    return Object.fromEntries(Object.entries(wire).map(([k, v]) => [k, alignedWith(v, mocked[k], preview)]));
  }
  return wire;
}

/** A registration in the mocks' terms: what differs only because of how the CLI runs the program. */
function asMocksSeeIt(
  r: Registration,
  stackUrn: string,
  mocked: RegisteredResource | undefined,
  preview: boolean,
) {
  const providerUrn = r.provider.slice(0, r.provider.lastIndexOf("::"));
  return {
    type: r.type,
    name: r.name,
    // cmd/run runs the program inside the root Stack resource, the parent of every top-level
    // resource; the mocks call the program directly, with no Stack.
    parent: r.parent === stackUrn ? "" : r.parent,
    // At preview a new provider's id is unknown, so its references end in the unknown sentinel.
    provider:
      preview && r.provider.endsWith(`::${UNKNOWN}`) && mocked?.provider?.startsWith(`${providerUrn}::`)
        ? mocked.provider
        : r.provider || undefined,
    inputs: alignedWith(r.inputs, mocked?.inputs, preview),
  };
}

const byKey = (resources: readonly { type: string; name: string }[]) =>
  new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));

describe("the program started as the Pulumi CLI starts it (cmd/run, against a recording engine)", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    describe(`GIVEN the committed ${stack} stack`, () => {
      let mocked: Awaited<ReturnType<typeof mockedRun>>;
      beforeAll(async () => {
        mocked = await mockedRun(stack);
      }, HOOK_TIMEOUT);

      for (const preview of [true, false]) {
        describe(`WHEN \`pulumi ${preview ? "preview" : "up"}\` runs it`, () => {
          let run: CliRun;
          beforeAll(async () => {
            run = await runAsPulumiCli({
              stack,
              preview,
              config: stackConfig(committedEnvironment(stack)),
              secretKeys: SECRET_KEYS,
              respond: respondAsMocks,
            });
          }, HOOK_TIMEOUT);

          it("THEN the program loads, runs to the end and cmd/run exits 0, having reported no warning or error", () => {
            expect(run.stderr).toBe("");
            expect(run.exitCode).toBe(0);
            const [root] = run.recording.registrations;
            expect(root).toMatchObject({ urn: run.stackUrn, type: "pulumi:pulumi:Stack", parent: "" });
            expect(run.recording.rootResource).toBe(run.stackUrn);
            expect(run.recording.featuresAsked).toContain("secrets");
            expect(run.recording.invokes).toEqual([]);
            expect(run.recording.logs.filter((l) => l.severity >= Severity.WARNING)).toEqual([]);
            expect(run.recording.shutdownSignalled).toBe(true);
          });

          it("THEN it registers the resources the mocked tests see: the same types, names, parents, providers and inputs", () => {
            const registered = run.recording.registrations.filter((r) => r.urn !== run.stackUrn);
            const mockedByKey = byKey(mocked.resources);
            expect([...byKey(registered).keys()].sort()).toEqual([...mockedByKey.keys()].sort());
            for (const r of registered) {
              const m = mockedByKey.get(`${r.type}::${r.name}`) as RegisteredResource;
              expect(asMocksSeeIt(r, run.stackUrn, m, preview)).toEqual({
                type: m.type,
                name: m.name,
                parent: m.parent,
                provider: m.provider || undefined,
                inputs: m.inputs,
              });
            }
          });

          it("THEN the options the mocks cannot see reach the engine: protection in production only, GCP's pool and its provider kept on delete there", () => {
            const { production } = parseEnvironment(committedEnvironment(stack), stack);
            const resources = run.recording.registrations.filter(
              (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
            );
            // No committed stack is releasing a tenant, whose resources would lose protection.
            expect(new Set(resources.map((r) => r.protect))).toEqual(new Set([production]));
            expect(resources.filter((r) => r.retainOnDelete).map((r) => r.type)).toEqual(
              production
                ? [
                    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
                    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
                  ]
                : [],
            );
          });

          it("THEN the stack outputs arrive through RegisterResourceOutputs on the root stack, the client secrets as one secret", () => {
            const outputs = run.recording.outputs.get(run.stackUrn) as Record<string, unknown>;
            const keys: (keyof ProgramOutputs)[] = [
              "audiences",
              "clientSecrets",
              "issuer",
              "tokenEndpoint",
              "workloads",
            ];
            expect(Object.keys(outputs).sort()).toEqual(keys);
            expect(isSecretValue(outputs.clientSecrets)).toBe(true);
            const secrets = (outputs.clientSecrets as { value: unknown }).value;
            const rest = { ...outputs, clientSecrets: secrets };
            if (preview) {
              // Not created yet: the secrets are unknown, and still marked secret.
              expect(secrets).toBe(UNKNOWN);
              expect(alignedWith(rest, mocked.outputs, true)).toEqual(mocked.outputs);
            } else {
              expect(rest).toEqual(mocked.outputs);
              const { clientSecrets: _, ...plain } = outputs;
              for (const secret of Object.values(secrets as Record<string, string>)) {
                expect(JSON.stringify(plain)).not.toContain(secret);
              }
            }
          });
        });
      }
    });
  }
});
