/**
 * The Pulumi program run in-process under the SDK's mocks, every registration written down as the
 * engine would receive it: what `m2m plan` shows is what the program registers, never a second
 * description of it. The mocks make up only the outputs Auth0 and the clouds compute (client ids
 * as the model's placeholders, ARNs, emails, identities); secrets are never made up. The same
 * mock engine runs the program for the tests (test/support/mocked-stack.ts, with outputs of their
 * own) and for the benches, whose floor is this engine keeping nothing (bench/program-run.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { CLIENT_METADATA_KEYS } from "../model/contract/claims.ts";
import { placeholderClientId } from "../model/environment/names.ts";

/** One registration as the engine received it. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** A custom resource (a provider's), or a component. */
  readonly custom: boolean;
  /** The parent's URN; "" for a child of the stack. */
  readonly parent: string;
  /** The provider reference (`urn::id`); "" for none. */
  readonly provider: string;
  /** The inputs as the engine received them: secrets still wrapped in Pulumi's secret signature. */
  readonly inputs: Record<string, unknown>;
  /** The options the request carried, for the tests that prove the model's options are the program's. */
  readonly options: { readonly protect: boolean; readonly retainOnDelete: boolean };
}

/** What one mocked run of the plan is given. */
export interface MockedRun extends Pick<MockEngine, "project" | "stack" | "config" | "secretKeys"> {
  /** The program: Pulumi.yaml `main`'s default export. */
  readonly program: () => Promise<unknown>;
  /** Also told of each registration (the stack's own left out) as the engine receives it. */
  readonly onRegistration?: (registration: Registration) => void;
}

/**
 * The value the mocks give a secret output (a client secret): what Pulumi shows for one. The
 * plan never holds a real secret because none is ever read or made up.
 */
export const SECRET_SHOWN = "[secret]";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getObject(): unknown;
  getProtect?(): boolean;
  getRetainondelete?(): boolean;
}
type Callback = (error: unknown, response?: unknown) => void;
interface Monitor {
  registerResource(request: RegisterRequest, callback: Callback): Promise<void>;
}

/**
 * The outputs a provider would compute for a resource, as the mocks make them up. `awsProvider`:
 * the inputs of the AWS provider the resource is registered with, if any (its account).
 */
export type MadeUpOutputs = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  awsProvider: Record<string, unknown> | undefined,
) => Record<string, unknown>;

/**
 * The one mock engine the plan, the tests and the benches run the program under: the config the
 * CLI would pass, the outputs it makes up, and who is told of each registration.
 */
export interface MockEngine {
  /** The Pulumi project name (Pulumi.yaml `name`), the config keys' namespace. */
  readonly project: string;
  readonly stack: string;
  /** `namespace:key` -> value as a string (objects as JSON), as the CLI passes config. */
  readonly config: Readonly<Record<string, string>>;
  /** Config keys whose values are secrets. */
  readonly secretKeys: readonly string[];
  /** Default: the plan's (placeholderOutputs). */
  readonly madeUp?: MadeUpOutputs;
  /**
   * Told of every registration (the stack's own included), with the state the engine answers it
   * with. Without it, no registration is written down: the engine keeps nothing.
   */
  readonly onRegistration?: (registration: Registration, state: Record<string, unknown>) => void;
}

/**
 * Installs the mock engine in Pulumi's process-wide runtime, with its config; the program run
 * next registers with it. Every resource is answered with its inputs and the made-up outputs.
 */
export async function installMockEngine(engine: MockEngine): Promise<void> {
  const madeUp = engine.madeUp ?? placeholderOutputs;
  const tell = engine.onRegistration;
  const awsProviders = new Map<string, Record<string, unknown>>();
  // The request being registered: the mock monitor calls newResource synchronously from its
  // registerResource, so what the wrapper below notes is the request newResource sees (mocks
  // are not told a resource's parent or options).
  let current: RegisterRequest | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs, provider, custom }) => {
        if (type === "pulumi:providers:aws") awsProviders.set(name, inputs);
        const state = {
          ...inputs,
          ...madeUp(type, name, inputs, awsProviders.get(provider?.split("::")[3] ?? "")),
        };
        if (tell && current) {
          const parent = current.getParent();
          tell(
            {
              urn: urnOf(engine, parent, type, name),
              type,
              name,
              custom: custom ?? current.getCustom(),
              parent,
              provider: provider ?? "",
              // The inputs the mock monitor deserialized once: no second copy is kept.
              inputs,
              options: {
                protect: current.getProtect?.() ?? false,
                retainOnDelete: current.getRetainondelete?.() ?? false,
              },
            },
            state,
          );
        }
        return { id: `${name}-id`, state };
      },
      call: ({ inputs }) => inputs,
    },
    engine.project,
    engine.stack,
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    current = request;
    return register(request, callback);
  };
  pulumi.runtime.setAllConfig({ ...engine.config }, [...engine.secretKeys]);
}

/**
 * Runs `run.program` as the CLI does (in a stack, then until every registration has reached the
 * engine) and resolves to its registrations in the order it made them, the stack's own left out.
 * Pulumi's runtime is process-wide: runs must not overlap.
 */
export async function runUnderMocks(run: MockedRun): Promise<Registration[]> {
  const registrations: Registration[] = [];
  await installMockEngine({
    ...run,
    onRegistration: (registration) => {
      if (registration.type === "pulumi:pulumi:Stack") return;
      registrations.push(registration);
      run.onRegistration?.(registration);
    },
  });
  // Error.stackTraceLimit at 0 for the whole run, as the program keeps it while it registers
  // (infra/stack-traces.ts): the SDK captures a stack per promise it makes, and a plan shows only
  // a failed program's message, never its frames. What the program does outside its registration
  // (reading its config, serializing its stack outputs) is spared that cost too: 0.25 to 0.4 s at
  // 1,000 tenants. PULUMI_DEBUG_PROMISE_LEAKS keeps them, as it does in the program.
  const limit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  try {
    await pulumi.runtime.runInPulumiStack(run.program);
  } finally {
    try {
      // Drains every outstanding registration; the next setMocks reconnects.
      await pulumi.runtime.disconnect();
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
  return registrations;
}

/** A resource's URN as the mock monitor makes it (its newUrn). */
function urnOf(
  engine: Pick<MockEngine, "project" | "stack">,
  parent: string,
  type: string,
  name: string,
): string {
  const qualified = parent ? `${parent.split("::")[2]?.split("$").pop()}$${type}` : type;
  return `urn:pulumi:${engine.stack}::${engine.project}::${qualified}::${name}`;
}

/** The account an AWS provider is restricted to (its provider class sends the list as JSON). */
function accountOf(awsProvider: Record<string, unknown> | undefined): string {
  try {
    const accounts: unknown = JSON.parse(String(awsProvider?.allowedAccountIds ?? "[]"));
    return Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : "000000000000";
  } catch {
    return "000000000000";
  }
}

/** The outputs Auth0 and the clouds compute, as the plan stands them in. */
export const placeholderOutputs: MadeUpOutputs = (type, _name, inputs, awsProvider) => {
  switch (type) {
    case "auth0:index/client:Client": {
      const metadata = (inputs.clientMetadata ?? {}) as Record<string, unknown>;
      return {
        clientId: placeholderClientId(
          String(metadata[CLIENT_METADATA_KEYS.tenantId]),
          String(metadata[CLIENT_METADATA_KEYS.workload]),
        ),
      };
    }
    case "auth0:index/clientCredentials:ClientCredentials":
      return { clientSecret: SECRET_SHOWN };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return {
        arn: `arn:aws:iam::${accountOf(awsProvider)}:oidc-provider/${String(inputs.url).replace("https://", "")}`,
      };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${accountOf(awsProvider)}:role/${String(inputs.name)}` };
    case "aws:iam/policy:Policy":
      return { arn: `arn:aws:iam::${accountOf(awsProvider)}:policy/${String(inputs.name)}` };
    case "gcp:serviceaccount/account:Account": {
      const email = `${String(inputs.accountId)}@${String(inputs.project)}.iam.gserviceaccount.com`;
      return { email, name: `projects/${String(inputs.project)}/serviceAccounts/${email}` };
    }
    case "azure-native:managedidentity:UserAssignedIdentity":
      return {
        name: inputs.resourceName,
        clientId: `placeholder-identity-${String(inputs.resourceName)}`,
        principalId: `placeholder-principal-${String(inputs.resourceName)}`,
      };
    default:
      return {};
  }
};
