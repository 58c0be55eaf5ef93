import { AsyncLocalStorage } from "node:async_hooks";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import type { OnExecuteCredentialsExchange } from "../../actions/types/credentials-exchange.ts";
import { bundleEntry } from "../bundle/action-bundle.ts";
import { secretRedactor } from "./action-console.ts";
import { UNCONFIRMED } from "./unconfirmed.ts";

/** An npm dependency declared on an Action, as Auth0 takes it. */
export interface ActionDependency {
  readonly name: string;
  readonly version: string;
}

/** What an Action is deployed with: its code and what Auth0 stores beside it. */
export interface ActionSource {
  /** The Action's name, for logs and diagnostics. */
  readonly name: string;
  /** The JavaScript exactly as deployed: a CommonJS module. */
  readonly code: string;
  /** Declared npm dependencies; `require` of any other package fails, as on Auth0. Default: none. */
  readonly dependencies?: readonly ActionDependency[];
  /** Action secrets, exposed as `event.secrets`. Default: none. */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Where declared dependencies are resolved from. Default: the working directory's node_modules. */
  readonly resolveFrom?: string;
}

/** A loaded Action: its module-level code has run once, as in one Auth0 instance. */
export interface LoadedAction {
  readonly name: string;
  readonly handler: OnExecuteCredentialsExchange;
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * Whether its console lines go to the `console` it was loaded with rather than to each
   * execution's logs (LoadOptions.console). Default: false.
   */
  readonly streamsConsole?: boolean;
}

/** How to load an Action, beside what it is deployed with. */
export interface LoadOptions {
  /**
   * Where the Action's console lines go as it writes them, instead of to each execution's `logs`:
   * for a host that prints them as they come, as Auth0's real-time logs do (the local issuer).
   * Such an Action needs no async context tracked while it runs, and has no entry in an
   * execution's logs. Its own secrets are redacted; another Action's secret that reached it (say
   * through api.cache) is not, as this console does not know the execution's other Actions.
   * Default: each execution's logs.
   */
  readonly console?: (line: string) => void;
}

/**
 * Where an Action's console lines go: the log of the execution the line was written in (async
 * context), so concurrent executions never mix their logs.
 */
export const executionLog = new AsyncLocalStorage<(line: string) => void>();

/** Handlers started and not yet settled, across every runtime of the process. */
let handlersRunning = 0;

/**
 * Runs an Action's handler with its console lines going to `sink`. The log's async context is
 * tracked only while some handler runs: Node 22's AsyncLocalStorage hooks every promise the
 * process makes while it is enabled (HTTP, signing, everything), which cost a token server
 * more per token (about 13 µs) than enabling it around each handler and disabling it once none
 * runs. A handler that never settles keeps it enabled, so its lines still reach its sink.
 * Actions loaded with their own console (LoadOptions.console) need none of this.
 */
export function runWithLog<T>(sink: (line: string) => void, handler: () => T): T {
  handlersRunning++;
  let result: T;
  try {
    result = executionLog.run(sink, handler);
  } catch (error) {
    handlerSettled();
    throw error;
  }
  Promise.resolve(result).then(handlerSettled, handlerSettled);
  return result;
}

function handlerSettled(): void {
  handlersRunning--;
  if (handlersRunning === 0) executionLog.disable();
}

/** An Action Auth0 would refuse to load or run, and why. */
export class ActionLoadError extends Error {
  override readonly name = "ActionLoadError";
}

/** Auth0's limits on what is deployed beside an Action. */
export const ACTION_LIMITS = { dependencies: 10, secrets: 30, secretKeyLength: 128, secretValueLength: 4096 };

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The console an Action's code sees, every method writing its arguments as one line to `sink`. */
function actionConsole(
  sink: (line: string) => void,
): Pick<Console, "log" | "info" | "warn" | "error" | "debug"> {
  const write = (...args: unknown[]) => sink(args.map(format).join(" "));
  return { log: write, info: write, warn: write, error: write, debug: write };
}

/** The console of Actions whose lines go to the log of the execution they were written in. */
const EXECUTION_CONSOLE = actionConsole((line) => executionLog.getStore()?.(line));

/**
 * The console of an Action loaded with its own (LoadOptions.console), redacting its own secrets
 * only: it knows no other Action of an execution.
 */
function streamingConsole(
  sink: (line: string) => void,
  secrets: Readonly<Record<string, string>>,
): ReturnType<typeof actionConsole> {
  const hide = secretRedactor([{ secrets }]);
  return actionConsole((line) => sink(hide(line)));
}

function format(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function validate(source: ActionSource): void {
  const problems: string[] = [];
  const deps = source.dependencies ?? [];
  if (deps.length > ACTION_LIMITS.dependencies) {
    problems.push(`${deps.length} npm dependencies, over Auth0's ${ACTION_LIMITS.dependencies}`);
  }
  const secrets = Object.entries(source.secrets ?? {});
  if (secrets.length > ACTION_LIMITS.secrets) {
    problems.push(`${secrets.length} secrets, over Auth0's ${ACTION_LIMITS.secrets}`);
  }
  for (const [key, value] of secrets) {
    if (key.length > ACTION_LIMITS.secretKeyLength)
      problems.push(`secret name "${key.slice(0, 20)}..." over 128 characters`);
    if (value.length > ACTION_LIMITS.secretValueLength)
      problems.push(`secret ${key}'s value over 4096 characters`);
  }
  if (problems.length > 0)
    throw new ActionLoadError(`Auth0 would refuse Action ${source.name}: ${problems.join("; ")}`);
}

/**
 * Loads an Action's deployed JavaScript as Auth0's runtime does: inside a CommonJS module
 * wrapper, running its module-level code once, with a `require` that knows Node's built-in
 * modules and the declared dependencies only. Refuses a module without an async
 * `onExecuteCredentialsExchange` export.
 */
export function loadAction(source: ActionSource, options: LoadOptions = {}): LoadedAction {
  validate(source);
  const secrets = source.secrets ?? {};
  const stream = options.console;
  const declared = new Set((source.dependencies ?? []).map((d) => d.name));
  const resolver = createRequire(path.join(source.resolveFrom ?? process.cwd(), "package.json"));
  const actionRequire = (id: string): unknown => {
    if (BUILTINS.has(id)) return resolver(id);
    const pkg = id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : (id.split("/")[0] ?? id);
    if (!declared.has(pkg)) {
      const error = new Error(
        `Cannot find module '${id}': Action ${source.name} does not declare the npm dependency "${pkg}"`,
      ) as Error & { code: string };
      error.code = "MODULE_NOT_FOUND";
      throw error;
    }
    return resolver(id);
  };
  const module = { exports: {} as Record<string, unknown> };
  const filename = `/actions/${source.name}.js`;
  const wrapper = vm.compileFunction(
    source.code,
    ["exports", "require", "module", "__filename", "__dirname", "console"],
    { filename },
  );
  const consoleOfAction = stream ? streamingConsole(stream, secrets) : EXECUTION_CONSOLE;
  wrapper(module.exports, actionRequire, module, filename, "/actions", consoleOfAction);
  const handler = module.exports.onExecuteCredentialsExchange;
  if (typeof handler !== "function") {
    throw new ActionLoadError(
      `Action ${source.name} does not export onExecuteCredentialsExchange: write exports.onExecuteCredentialsExchange = async (event, api) => { ... }`,
    );
  }
  if (Object.prototype.toString.call(handler) !== "[object AsyncFunction]") {
    // UNCONFIRMED.asyncHandler
    throw new ActionLoadError(
      `Action ${source.name}: onExecuteCredentialsExchange must be an async function (${UNCONFIRMED.asyncHandler})`,
    );
  }
  const loaded: LoadedAction = {
    name: source.name,
    handler: handler as OnExecuteCredentialsExchange,
    secrets,
  };
  return stream ? { ...loaded, streamsConsole: true } : loaded;
}

/**
 * Loads an Action from its TypeScript (or JavaScript) source for quick tests: bundled with the
 * same esbuild settings as a deploy, `constants` defined as build-time globals, then loaded as
 * deployed.
 */
export function loadActionSource(
  file: string,
  options: Omit<ActionSource, "code" | "name"> & {
    readonly name?: string;
    readonly constants?: Readonly<Record<string, string>>;
  } = {},
): LoadedAction {
  const { constants, ...rest } = options;
  return loadAction({
    ...rest,
    name: options.name ?? path.basename(file).replace(/\.[cm]?[jt]s$/, ""),
    code: bundleEntry(path.resolve(file), constants),
  });
}
