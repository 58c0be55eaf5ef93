/**
 * The engine side of `pulumi preview` / `pulumi up`, in-process, for tests: a gRPC resource
 * monitor and engine that record what the program sends them, and a launcher that starts the
 * program exactly as the CLI's Node.js language host does (`node <nodeargs>
 * @pulumi/pulumi/cmd/run <args> <main>`, config in PULUMI_CONFIG). Nothing of the SDK is mocked:
 * the program loads through cmd/run, registers over gRPC, and reports errors and exits with
 * cmd/run's own codes.
 *
 * What a real engine adds and this does not: provider plugins (their Check, Diff, Create), state,
 * and the clouds. RegisterResource answers as a provider that accepted every input would.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { EngineService, type IEngineServer } from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import {
  GetRootResourceResponse,
  type LogRequest,
  RequirePulumiVersionResponse,
  SetRootResourceResponse,
} from "@pulumi/pulumi/proto/engine_pb.js";
import {
  type IResourceMonitorServer,
  ResourceMonitorService,
} from "@pulumi/pulumi/proto/resource_grpc_pb.js";
import {
  type RegisterResourceRequest,
  RegisterResourceResponse,
  SupportsFeatureResponse,
} from "@pulumi/pulumi/proto/resource_pb.js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb.js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb.js";
import { parse } from "yaml";

/** The wire's marker key for secrets, unknowns' sentinel and the like (the SDK's own constants). */
export const SIG_KEY: string = pulumi.runtime.specialSigKey;
export const SECRET_SIG: string = pulumi.runtime.specialSecretSig;
export const UNKNOWN: string = pulumi.runtime.unknownValue;

/** The engine's log severities (engine.proto LogSeverity). */
export const Severity = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 } as const;

/** One RegisterResource call, as the engine received it. */
export interface Registration {
  /** The URN the monitor gave it, built as the engine builds them. */
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** The parent's URN, "" for none (only the root stack has none under the CLI). */
  readonly parent: string;
  /** `urn::id` of the provider it was registered with, "" for none. */
  readonly provider: string;
  /** The inputs as on the wire: secrets and unknowns still carry their signatures. */
  readonly inputs: Record<string, unknown>;
  /** URNs it depends on (property dependencies and dependsOn). */
  readonly dependencies: readonly string[];
  /** Options only the engine sees (the mocks cannot). */
  readonly protect: boolean | undefined;
  readonly retainOnDelete: boolean | undefined;
}

export interface LogEntry {
  readonly severity: number;
  readonly message: string;
  readonly urn: string;
}

/** Everything the engine and monitor received during one run. */
export interface Recording {
  readonly registrations: Registration[];
  /** URN -> the outputs of its RegisterResourceOutputs, as on the wire. */
  readonly outputs: Map<string, Record<string, unknown>>;
  readonly logs: LogEntry[];
  readonly invokes: { token: string; args: Record<string, unknown> }[];
  /** Feature ids the SDK asked SupportsFeature about. */
  readonly featuresAsked: string[];
  /** What SetRootResource was given. */
  rootResource: string | undefined;
  /** Whether the SDK signalled it was done (SignalAndWaitForShutdown), as a program that finished does. */
  shutdownSignalled: boolean;
}

/**
 * Features the monitor says it supports: those of a current CLI. The SDK asks GetDeploymentInfo
 * first and, like against CLIs from before that call, falls back to SupportsFeature when it is
 * unimplemented, which it is here.
 */
const SUPPORTED_FEATURES = new Set([
  "secrets",
  "resourceReferences",
  "outputValues",
  "deletedWith",
  "replaceWith",
  "aliasSpecs",
  "transforms",
  "invokeTransforms",
  "parameterization",
  "resourceHooks",
  "errorHooks",
]);

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** What the monitor answers a custom resource's registration with, in an update. */
export type Respond = (registration: Registration, recording: Recording) => Record<string, unknown>;

interface MonitorOptions {
  readonly project: string;
  readonly stack: string;
  readonly preview: boolean;
  /** Outputs of a custom resource in an update; the inputs echoed unless given. */
  readonly respond?: Respond;
}

/** A gRPC failure with a code, as grpc-js sends it to the client. */
function failure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

const toJavaScript = (struct: Struct | undefined): Record<string, unknown> =>
  (struct?.toJavaScript() ?? {}) as Record<string, unknown>;

/**
 * The resource monitor and the engine, on two ports as the CLI has them, recording each call.
 * URNs are built as the engine builds them (the root stack's type is left out of children's).
 */
class RecordingEngine {
  readonly recording: Recording = {
    registrations: [],
    outputs: new Map(),
    logs: [],
    invokes: [],
    featuresAsked: [],
    rootResource: undefined,
    shutdownSignalled: false,
  };
  private readonly servers: grpc.Server[] = [];

  constructor(private readonly options: MonitorOptions) {}

  private urnOf(type: string, name: string, parent: string): string {
    const parentType = parent ? (parent.split("::")[2] ?? "") : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${this.options.stack}::${this.options.project}::${qualified}::${name}`;
  }

  private register(req: RegisterResourceRequest): RegisterResourceResponse {
    const parent = req.getParent();
    const registration: Registration = {
      urn: this.urnOf(req.getType(), req.getName(), parent),
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent,
      provider: req.getProvider(),
      inputs: toJavaScript(req.getObject()),
      dependencies: req.getDependenciesList(),
      protect: req.hasProtect() ? req.getProtect() : undefined,
      retainOnDelete: req.hasRetainondelete() ? req.getRetainondelete() : undefined,
    };
    const { registrations } = this.recording;
    // The engine's own checks, which mocks do not make: URNs are unique, a provider reference
    // names a provider registered before, a parent was registered before its child.
    if (registrations.some((r) => r.urn === registration.urn)) {
      throw failure(grpc.status.INVALID_ARGUMENT, `Duplicate resource URN '${registration.urn}'`);
    }
    if (registration.provider) {
      const providerUrn = registration.provider.slice(0, registration.provider.lastIndexOf("::"));
      if (!registrations.some((r) => r.urn === providerUrn && r.type.startsWith("pulumi:providers:"))) {
        throw failure(grpc.status.INVALID_ARGUMENT, `unknown provider '${registration.provider}'`);
      }
    }
    if (parent && !registrations.some((r) => r.urn === parent)) {
      throw failure(grpc.status.INVALID_ARGUMENT, `unknown parent '${parent}' of ${registration.urn}`);
    }
    registrations.push(registration);

    const response = new RegisterResourceResponse();
    response.setUrn(registration.urn);
    if (!registration.custom) return response.setObject(Struct.fromJavaScript({}));
    if (this.options.preview) {
      // A create at preview: the id and every output the provider computes are unknown, the
      // inputs come back as given (an SDK leaves outputs the response lacks unknown at preview).
      return response.setId("").setObject(Struct.fromJavaScript(registration.inputs as never));
    }
    const outputs = this.options.respond?.(registration, this.recording) ?? registration.inputs;
    return response.setId(`${registration.name}-id`).setObject(Struct.fromJavaScript(outputs as never));
  }

  private monitor(): IResourceMonitorServer {
    const unary =
      <Req, Res>(handle: (req: Req) => Res): grpc.handleUnaryCall<Req, Res> =>
      (call, callback) => {
        try {
          callback(null, handle(call.request));
        } catch (error) {
          callback(error as grpc.ServiceError);
        }
      };
    const unimplemented: grpc.handleUnaryCall<unknown, never> = (_call, callback) =>
      callback(failure(grpc.status.UNIMPLEMENTED, "not implemented by the recording monitor"));
    return {
      getDeploymentInfo: unimplemented,
      supportsFeature: unary((req) => {
        this.recording.featuresAsked.push(req.getId());
        return new SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.has(req.getId()));
      }),
      invoke: unary((req) => {
        this.recording.invokes.push({ token: req.getTok(), args: toJavaScript(req.getArgs()) });
        // The program makes no invokes; one it starts making fails loudly here until answered.
        throw failure(grpc.status.UNIMPLEMENTED, `the recording monitor has no answer for ${req.getTok()}`);
      }),
      call: unimplemented,
      readResource: unimplemented,
      existsResource: unimplemented,
      registerResource: unary((req) => this.register(req)),
      registerResourceOutputs: unary((req) => {
        this.recording.outputs.set(req.getUrn(), toJavaScript(req.getOutputs()));
        return new Empty();
      }),
      registerStackTransform: unimplemented,
      registerStackInvokeTransform: unimplemented,
      registerResourceHook: unimplemented,
      registerErrorHook: unimplemented,
      registerPackage: unimplemented,
      signalAndWaitForShutdown: unary(() => {
        this.recording.shutdownSignalled = true;
        return new Empty();
      }),
    };
  }

  private engine(): IEngineServer {
    return {
      log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
        const req = call.request;
        this.recording.logs.push({
          severity: req.getSeverity(),
          message: req.getMessage(),
          urn: req.getUrn(),
        });
        callback(null, new Empty());
      },
      getRootResource: (_call, callback) =>
        callback(null, new GetRootResourceResponse().setUrn(this.recording.rootResource ?? "")),
      setRootResource: (call, callback) => {
        this.recording.rootResource = call.request.getUrn();
        callback(null, new SetRootResourceResponse());
      },
      startDebugging: (_call, callback) => callback(failure(grpc.status.UNIMPLEMENTED, "no debugger")),
      requirePulumiVersion: (_call, callback) => callback(null, new RequirePulumiVersionResponse()),
    };
  }

  private async serve(add: (server: grpc.Server) => void): Promise<string> {
    const server = new grpc.Server();
    add(server);
    this.servers.push(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    return `127.0.0.1:${port}`;
  }

  /** Starts both servers; returns their addresses. */
  async start(): Promise<{ monitor: string; engine: string }> {
    const monitor = await this.serve((s) => s.addService(ResourceMonitorService, this.monitor()));
    const engine = await this.serve((s) => s.addService(EngineService, this.engine()));
    return { monitor, engine };
  }

  close(): void {
    for (const server of this.servers) server.forceShutdown();
  }
}

/** How to run the program: what `pulumi preview|up --stack <stack>` would hand the language host. */
export interface CliRunOptions {
  readonly stack: string;
  /** `pulumi preview` (dry run) or `pulumi up`. */
  readonly preview: boolean;
  /** The stack's config, `project:key` -> value (objects as JSON), secrets decrypted. */
  readonly config: Record<string, string>;
  /** The config keys that are secrets. */
  readonly secretKeys: readonly string[];
  /** Variables of the user's shell; PULUMI_* and AUTH0_* of this process are not passed on. */
  readonly env?: Record<string, string>;
  /** `--parallel`. */
  readonly parallel?: number;
  readonly respond?: Respond;
  /** The project directory (where Pulumi.yaml is). */
  readonly root?: string;
}

export interface CliRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly recording: Recording;
  /** The root stack's URN, as the engine names it. */
  readonly stackUrn: string;
}

interface PulumiYaml {
  name: string;
  main?: string;
  runtime: { name: string; options?: { typescript?: boolean; nodeargs?: string } };
}

/**
 * Object config values reach the program as the CLI's Go code serializes them: encoding/json
 * writes map keys sorted, not in the order of the stack file.
 */
function asGoJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asGoJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, asGoJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The variables of this process a user's shell would not have, or that a test must set itself. */
const isTestControlled = (name: string) => name.startsWith("PULUMI_") || name.startsWith("AUTH0_");

/**
 * Runs the program as `pulumi preview|up` does and returns what the engine received, the exit
 * code and the output. The language host's command line, from pulumi-language-nodejs
 * (`constructArguments`, `execRuntime`) and the engine's program info:
 *
 *   node <nodeargs> <require.resolve("@pulumi/pulumi/cmd/run")> --monitor <addr> --engine <addr>
 *     --organization <org> --project <name> --root-directory <root> --stack <stack>
 *     --pwd <main's directory> [--dry-run] --parallel <n> <main's file name>
 *
 * with PULUMI_CONFIG (keys as `project:config:key`, the form the language host still writes)
 * and PULUMI_CONFIG_SECRET_KEYS, and PULUMI_NODEJS_TYPESCRIPT only when `typescript` is on.
 * `node` is the one on PATH, as the language host looks it up. Not passed: `--sync` (pipes for
 * synchronous invokes: the program makes no invokes) and `--tracing`.
 */
export async function runAsPulumiCli(options: CliRunOptions): Promise<CliRun> {
  const root = options.root ?? process.cwd();
  const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as PulumiYaml;
  // The engine runs a file `main` from its directory, naming just the file (getPwdMain).
  const main = path.resolve(root, project.main ?? ".");
  const [pwd, entry] = project.main ? [path.dirname(main), path.basename(main)] : [root, "."];
  const runPath = createRequire(path.join(pwd, "noop.js")).resolve("@pulumi/pulumi/cmd/run");
  const runtimeOptions = project.runtime.options ?? {};

  const engine = new RecordingEngine({
    project: project.name,
    stack: options.stack,
    preview: options.preview,
    ...(options.respond ? { respond: options.respond } : {}),
  });
  try {
    const addresses = await engine.start();
    const args = [
      ...(runtimeOptions.nodeargs ?? "").split(/\s+/).filter(Boolean),
      runPath,
      ...["--monitor", addresses.monitor, "--engine", addresses.engine],
      ...["--organization", "organization", "--project", project.name, "--root-directory", root],
      ...["--stack", options.stack, "--pwd", pwd],
      ...(options.preview ? ["--dry-run"] : []),
      ...["--parallel", String(options.parallel ?? 16)],
      entry,
    ];
    const config = Object.fromEntries(
      Object.entries(options.config).map(([key, value]) => {
        const [namespace, ...rest] = key.split(":");
        let passed = value;
        try {
          const parsed: unknown = JSON.parse(value);
          if (parsed && typeof parsed === "object") passed = JSON.stringify(asGoJson(parsed));
        } catch {
          // Not JSON: a plain string value, passed as is.
        }
        return [`${namespace}:config:${rest.join(":")}`, passed];
      }),
    );
    const env: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] => entry[1] !== undefined && !isTestControlled(entry[0]),
        ),
      ),
      ...options.env,
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
      ...(runtimeOptions.typescript !== false ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    };

    // A program that never ends is killed rather than left running once the test gives up.
    const child = spawn("node", args, {
      cwd: pwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => resolve(code));
    });
    return {
      exitCode,
      stdout,
      stderr,
      recording: engine.recording,
      stackUrn: `urn:pulumi:${options.stack}::${project.name}::${ROOT_STACK_TYPE}::${project.name}-${options.stack}`,
    };
  } finally {
    engine.close();
  }
}

/** Whether a wire value is a secret. */
export const isSecretValue = (value: unknown): value is { value: unknown } =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
