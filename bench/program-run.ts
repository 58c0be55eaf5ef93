/**
 * One run of the program bench, in a process of its own so that its peak RSS (a high-water mark)
 * is its own. Started by program.bench.ts:
 *
 *   node --import tsx bench/program-run.ts <mode> <tenants> <awsTenants> <recording.json>
 *
 * - `record`: runs the program and writes every registration it makes (type, name, custom or
 *   component, parent, provider, inputs as the engine received them, and the turn of the event
 *   loop it came in: registration-turns.ts) to the recording.
 * - `program`: runs the program (infra/index.ts, in a Pulumi stack as the CLI runs it), timed.
 * - `floor`: registers the recorded resources and nothing else, timed: the same provider classes
 *   with the same names and resolved inputs as literals, components of the same types under the
 *   same parents, the same explicit providers, under the same `Error.stackTraceLimit` (the
 *   program's own registerWithoutStackTraces), in the same batches: the registrations of one
 *   turn of the program's, then a turn of the event loop. No model, no Outputs between
 *   resources, no dependsOn, no stack outputs: what any program registering these resources pays.
 * - `verify`: the floor, untimed, recording what it registers and comparing it with the
 *   recording, so the floor is known to register exactly what the program did.
 *
 * Every mode runs under the plan's own mock engine (src/plan/mocked-program.ts, the outputs it
 * makes up included); `program` and `floor` have it keep nothing.
 *
 * Prints one JSON line: milliseconds, peak RSS in bytes and the number of registrations.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import * as auth0Action from "@pulumi/auth0/action";
import * as auth0Client from "@pulumi/auth0/client";
import * as auth0ClientCredentials from "@pulumi/auth0/clientCredentials";
import * as auth0ClientGrant from "@pulumi/auth0/clientGrant";
import * as auth0Provider from "@pulumi/auth0/provider";
import * as auth0ResourceServer from "@pulumi/auth0/resourceServer";
import * as auth0ResourceServerScopes from "@pulumi/auth0/resourceServerScopes";
import * as auth0TriggerActions from "@pulumi/auth0/triggerActions";
import * as awsIam from "@pulumi/aws/iam";
import * as awsProvider from "@pulumi/aws/provider";
import * as azureAuthorization from "@pulumi/azure-native/authorization";
import * as azureManagedIdentity from "@pulumi/azure-native/managedidentity";
import * as azureProvider from "@pulumi/azure-native/provider";
import * as gcpBigquery from "@pulumi/gcp/bigquery";
import * as gcpIam from "@pulumi/gcp/iam";
import * as gcpProvider from "@pulumi/gcp/provider";
import * as gcpPubsub from "@pulumi/gcp/pubsub";
import * as gcpSecretmanager from "@pulumi/gcp/secretmanager";
import * as gcpServiceaccount from "@pulumi/gcp/serviceaccount";
import * as gcpStorage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { nextTurn } from "../infra/engine-turns.ts";
import program from "../infra/index.ts";
import { registerWithoutStackTraces } from "../infra/stack-traces.ts";
import { installMockEngine } from "../src/plan/mocked-program.ts";
import { benchEnvironment } from "./program-environment.ts";
import { byTurn, type Registration, turnRecorder } from "./registration-turns.ts";

/** What a run prints. */
export interface RunResult {
  readonly ms: number;
  readonly maxRssBytes: number;
  readonly registrations: number;
}

const STACK = "bench";
const SECRET_KEY = "m2m:auth0ClientSecret";

type ResourceClass = new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.Resource;

/** Every resource class the program may register, by the type token the engine sees. */
const CLASSES: Readonly<Record<string, unknown>> = {
  "pulumi:providers:auth0": auth0Provider.Provider,
  "auth0:index/resourceServer:ResourceServer": auth0ResourceServer.ResourceServer,
  "auth0:index/resourceServerScopes:ResourceServerScopes": auth0ResourceServerScopes.ResourceServerScopes,
  "auth0:index/client:Client": auth0Client.Client,
  "auth0:index/clientGrant:ClientGrant": auth0ClientGrant.ClientGrant,
  "auth0:index/clientCredentials:ClientCredentials": auth0ClientCredentials.ClientCredentials,
  "auth0:index/action:Action": auth0Action.Action,
  "auth0:index/triggerActions:TriggerActions": auth0TriggerActions.TriggerActions,
  "pulumi:providers:aws": awsProvider.Provider,
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": awsIam.OpenIdConnectProvider,
  "aws:iam/policy:Policy": awsIam.Policy,
  "aws:iam/role:Role": awsIam.Role,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": awsIam.RolePolicyAttachment,
  "aws:iam/rolePolicy:RolePolicy": awsIam.RolePolicy,
  "pulumi:providers:gcp": gcpProvider.Provider,
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": gcpIam.WorkloadIdentityPool,
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": gcpIam.WorkloadIdentityPoolProvider,
  "gcp:serviceaccount/account:Account": gcpServiceaccount.Account,
  "gcp:serviceaccount/iAMMember:IAMMember": gcpServiceaccount.IAMMember,
  "gcp:storage/bucketIAMMember:BucketIAMMember": gcpStorage.BucketIAMMember,
  "gcp:bigquery/datasetIamMember:DatasetIamMember": gcpBigquery.DatasetIamMember,
  "gcp:pubsub/topicIAMMember:TopicIAMMember": gcpPubsub.TopicIAMMember,
  "gcp:secretmanager/secretIamMember:SecretIamMember": gcpSecretmanager.SecretIamMember,
  "pulumi:providers:azure-native": azureProvider.Provider,
  "azure-native:managedidentity:UserAssignedIdentity": azureManagedIdentity.UserAssignedIdentity,
  "azure-native:managedidentity:FederatedIdentityCredential":
    azureManagedIdentity.FederatedIdentityCredential,
  "azure-native:authorization:RoleAssignment": azureAuthorization.RoleAssignment,
};

/** A component of a recorded type, with nothing in it but what the recording parents to it. */
class RecordedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

/**
 * The plan's mock engine, with the stack's config when the program is to run, telling `recorder`
 * of every registration when given.
 */
async function mockEngine(
  config: { tenants: number; awsTenants: number } | undefined,
  recorder?: ReturnType<typeof turnRecorder>,
): Promise<void> {
  await installMockEngine({
    project: "m2m",
    stack: STACK,
    config: config
      ? {
          "m2m:environment": JSON.stringify(benchEnvironment(config.tenants, config.awsTenants)),
          "m2m:auth0ClientId": "bench-client-id",
          [SECRET_KEY]: "bench-client-SECRET",
        }
      : {},
    secretKeys: config ? [SECRET_KEY] : [],
    ...(recorder ? { onRegistration: recorder.onRegistration } : {}),
  });
}

/** Runs the program as the CLI does: in a stack, then waits for every RPC. */
async function runProgram(): Promise<void> {
  await pulumi.runtime.runInPulumiStack(program);
  await pulumi.runtime.disconnect();
}

const SIG = pulumi.runtime.specialSigKey;

/** A recorded input value as the program gave it: secrets as secrets. */
function asInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asInput);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SIG] === pulumi.runtime.specialSecretSig) return pulumi.secret(asInput(record.value));
  if (record[SIG] !== undefined)
    throw new Error(`a recorded input holds ${String(record[SIG])}, which the floor cannot replay`);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, asInput(v)]));
}

/**
 * Provider classes serialize their non-string settings as JSON (`allowedAccountIds` reaches the
 * engine as '["..."]', a default `false` as "false"), so such recorded strings are parsed back
 * before the class encodes them again; `verify` proves the round trip.
 */
function providerArgs(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, typeof v === "string" ? decoded(v) : v]),
  );
}

function decoded(value: string): unknown {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "string" ? value : parsed;
  } catch {
    return value;
  }
}

const beforeLastSeparator = (reference: string) => reference.slice(0, reference.lastIndexOf("::"));

/**
 * Registers the recorded resources in recorded order (a parent or provider before its
 * dependents), one recorded turn at a time, letting the event loop turn between them as the
 * program did. `made`: what earlier turns registered, by URN.
 */
async function replay(registrations: readonly Registration[]): Promise<void> {
  const made = new Map<string, pulumi.Resource>();
  for (const batch of byTurn(registrations)) {
    replayBatch(batch, made);
    await nextTurn();
  }
}

function replayBatch(registrations: readonly Registration[], made: Map<string, pulumi.Resource>): void {
  for (const r of registrations) {
    const parent = r.parent === "" ? undefined : made.get(r.parent);
    if (r.parent !== "" && !parent && !r.parent.includes("::pulumi:pulumi:Stack::")) {
      throw new Error(`${r.urn}: parent ${r.parent} was not replayed before it`);
    }
    const provider = r.provider === "" ? undefined : made.get(beforeLastSeparator(r.provider));
    if (r.provider !== "" && !provider)
      throw new Error(`${r.urn}: provider ${r.provider} was not replayed before it`);
    const opts = {
      ...(parent ? { parent } : {}),
      ...(provider ? { provider: provider as pulumi.ProviderResource } : {}),
    };
    if (!r.custom) {
      made.set(r.urn, new RecordedComponent(r.type, r.name, opts));
      continue;
    }
    const Class = CLASSES[r.type] as ResourceClass | undefined;
    if (!Class) throw new Error(`no resource class for ${r.type}: add it to CLASSES`);
    const inputs = asInput(r.inputs) as Record<string, unknown>;
    const args = r.type.startsWith("pulumi:providers:") ? providerArgs(inputs) : inputs;
    made.set(r.urn, new Class(r.name, args as never, opts));
  }
}

/** Runs the floor as the program runs: in a stack, stack traces off while it registers. */
async function runFloor(registrations: readonly Registration[]): Promise<void> {
  await pulumi.runtime.runInPulumiStack(async () => {
    await registerWithoutStackTraces(() => replay(registrations));
    return {};
  });
  await pulumi.runtime.disconnect();
}

/**
 * The registrations that differ between the program's recording and the floor's, described (the
 * turns they came in aside: the floor's are its own).
 */
function differences(program: readonly Registration[], floor: readonly Registration[]): string[] {
  const withoutTurn = ({ turn: _, ...r }: Registration) => r;
  const ours = new Map(withoutStack(floor).map((r) => [r.urn, withoutTurn(r)]));
  const found: string[] = [];
  for (const r of withoutStack(program).map(withoutTurn)) {
    const f = ours.get(r.urn);
    if (!f) found.push(`${r.urn}: not registered by the floor`);
    else if (!isDeepStrictEqual(r, f)) {
      found.push(
        `${r.urn}: differs (${JSON.stringify(r).slice(0, 300)} / ${JSON.stringify(f).slice(0, 300)})`,
      );
    }
    ours.delete(r.urn);
  }
  for (const urn of ours.keys()) found.push(`${urn}: registered only by the floor`);
  return found;
}

/** The registrations of resources, without the stack's own (each run registers its stack). */
const withoutStack = (registrations: readonly Registration[]) =>
  registrations.filter((r) => r.type !== "pulumi:pulumi:Stack");

const [mode = "", tenantsArg = "", awsArg = "", recordingPath = ""] = process.argv.slice(2);
const tenants = Number(tenantsArg);
const awsTenants = Number(awsArg);
const programRuns = mode === "record" || mode === "program";
const recorder = mode === "record" || mode === "verify" ? turnRecorder() : undefined;
const recorded = recorder?.recorded ?? [];
await mockEngine(programRuns ? { tenants, awsTenants } : undefined, recorder);
let count = 0;
const monitor = pulumi.runtime.getMonitor() as unknown as {
  registerResource(request: { getType(): string }, callback: unknown): Promise<void>;
};
const countedRegister = monitor.registerResource.bind(monitor);
monitor.registerResource = (request, callback) => {
  if (request.getType() !== "pulumi:pulumi:Stack") count++;
  return countedRegister(request, callback);
};

let ms = 0;
switch (mode) {
  case "record": {
    await runProgram();
    writeFileSync(recordingPath, JSON.stringify(recorded));
    break;
  }
  case "program": {
    const start = performance.now();
    await runProgram();
    ms = performance.now() - start;
    break;
  }
  case "floor": {
    const registrations = JSON.parse(readFileSync(recordingPath, "utf8")) as Registration[];
    const start = performance.now();
    await runFloor(withoutStack(registrations));
    ms = performance.now() - start;
    break;
  }
  case "verify": {
    const recording = JSON.parse(readFileSync(recordingPath, "utf8")) as Registration[];
    await runFloor(withoutStack(recording));
    const found = differences(recording, recorded);
    if (found.length > 0)
      throw new Error(`the floor does not register what the program did:\n${found.slice(0, 10).join("\n")}`);
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}: record | program | floor | verify`);
}
const result: RunResult = { ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, registrations: count };
process.stdout.write(`${JSON.stringify(result)}\n`);
