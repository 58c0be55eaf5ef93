/**
 * The `m2m` commands: each one's name, one-line summary, usage and flags, parsed strictly per
 * command, so `m2m --help` shows what exists and a mistyped command or flag is refused by name
 * instead of being taken for something else.
 */
import { type ParseArgsOptionDescriptor, parseArgs } from "node:util";
import { CLOUDS, type Cloud } from "../model/environment/schema.ts";
import {
  type AssertionAlgorithm,
  AUTHENTICATION_METHODS,
  type AuthenticationMethod,
} from "../token/client-credential.ts";
import { adopt } from "./adopt.ts";
import { diff } from "./diff.ts";
import { drift } from "./drift.ts";
import { EXIT, EXIT_CODE_LINES } from "./exit-codes.ts";
import { plan, REPORT_FORMATS, type ReportFormat } from "./plan.ts";
import { smoke } from "./smoke.ts";
import { runTenant } from "./tenant.ts";
import { TOKEN_FORMATS, type TokenFormat, token } from "./token.ts";
import { upLocal } from "./up-local.ts";
import { verify } from "./verify.ts";

/** A mistake in how a command was called: exit 2, with the usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(
    message: string,
    /** The command it concerns, whose usage is shown; none for `m2m` itself. */
    readonly command?: Command,
  ) {
    super(message);
  }
}

/** One flag: how parseArgs reads it, and its line in the command's help. */
interface Flag extends ParseArgsOptionDescriptor {
  /** The value's placeholder in the help, for string flags, e.g. `<env>`. */
  readonly value?: string;
  readonly description: string;
}

type Flags = Readonly<Record<string, Flag>>;

/** The values parseArgs gives for `flags` in strict mode. */
type Values<F extends Flags> = ReturnType<
  typeof parseArgs<{ args: string[]; options: F; strict: true; allowPositionals: false }>
>["values"];

/** What a command runs with besides its flags. */
export interface CommandContext {
  /** The folder the command runs in, which holds Pulumi.<stack>.yaml. */
  readonly projectDir: string;
  /** Where `--token -` is read from. */
  readonly stdin: NodeJS.ReadableStream;
}

/** A command of `m2m`. */
export interface Command {
  readonly name: string;
  /** One line for `m2m --help`. */
  readonly summary: string;
  /** The usage line after `usage: `. */
  readonly usage: string;
  /** More about the command, for `m2m <command> --help`. */
  readonly details?: string;
  readonly flags: Flags;
  /** Parses `args` (what follows the command's name) and runs it; resolves to the exit code. */
  run(args: readonly string[], context: CommandContext): Promise<number>;
}

const HELP_FLAG = { type: "boolean", short: "h", description: "show this help" } as const satisfies Flag;

/** Parses `args` strictly against `command`'s flags; an unknown flag is named. */
function parseFlags<F extends Flags>(command: Command, flags: F, args: readonly string[]): Values<F> {
  // parseArgs's own message for an unknown flag is a paragraph about positionals; a first,
  // lenient pass finds the unknown one so the error is just its name.
  const { tokens } = parseArgs({ args: [...args], options: flags, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === "option" && !Object.hasOwn(flags, token.name))
      throw new UsageError(`unknown flag ${token.rawName}`, command);
  }
  try {
    return parseArgs({ args: [...args], options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
      throw new UsageError((error as Error).message, command);
    throw error;
  }
}

/**
 * A command whose handler gets its flags' values, typed; `--help` on any command prints its
 * help instead of running it.
 */
function defineCommand<const F extends Flags>(spec: {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly details?: string;
  readonly flags: F;
  run(values: Values<F>, context: CommandContext, command: Command): Promise<number>;
}): Command {
  const flags = { ...spec.flags, help: HELP_FLAG };
  const command: Command = {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    ...(spec.details ? { details: spec.details } : {}),
    flags,
    async run(args, context) {
      const values = parseFlags(command, flags, args);
      // Values<F> cannot be resolved for a generic F here; help is added above, so it is there.
      if ((values as { help?: boolean }).help) {
        console.log(commandHelp(command));
        return EXIT.ok;
      }
      return spec.run(values, context, command);
    },
  };
  return command;
}

/** All of standard input, for `--token -`. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream) text += chunk;
  return text;
}

const up = defineCommand({
  name: "up",
  summary: "serve a stack's environment locally: an embedded Auth0-compatible tenant on 127.0.0.1",
  usage: "m2m up --local --stack <name> [--port 4321] [--https] [--show-secrets] [--state-dir DIR]",
  details:
    "Provisions the stack into an embedded Auth0-compatible tenant and serves it until interrupted.\nReal deployments run: pulumi up --stack <name>",
  flags: {
    local: {
      type: "boolean",
      default: false,
      description: "serve it locally (required: the only mode here)",
    },
    stack: {
      type: "string",
      value: "<name>",
      description: "the stack, whose file is Pulumi.<name>.yaml (required)",
    },
    port: {
      type: "string",
      value: "<port>",
      default: "4321",
      description: "port on 127.0.0.1; 0 picks a free one",
    },
    https: {
      type: "boolean",
      default: false,
      description: "serve https://localhost:<port>/ with a generated self-signed certificate",
    },
    "show-secrets": { type: "boolean", default: false, description: "print the client secrets at startup" },
    "state-dir": {
      type: "string",
      value: "DIR",
      description: "where ids, secrets, keys and server.json are kept (default .m2m/<name>)",
    },
  },
  async run(values, context, command) {
    if (!values.local)
      throw new UsageError("needs --local here; deploy for real with: pulumi up --stack <name>", command);
    if (!values.stack)
      throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)", command);
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new UsageError(`--port must be 0 to 65535, not ${values.port}`, command);
    await upLocal({
      projectDir: context.projectDir,
      stack: values.stack,
      port,
      https: values.https,
      showSecrets: values["show-secrets"],
      ...(values["state-dir"] ? { stateDir: values["state-dir"] } : {}),
    });
    // It serves until interrupted; the code is the process's once it stops.
    return EXIT.ok;
  },
});

const verifyCommand = defineCommand({
  name: "verify",
  summary: "which AWS, GCP and Azure targets a token (or a claim set) reaches, and why not the others",
  usage:
    "m2m verify --stack <env> (--token <JWT | -> | --claims <file>) [--local [--state-dir DIR]] [--outputs FILE] [--jwks <file|url>] [--json]",
  details:
    "Exits 0 when the token reaches all of its own targets and nothing else, 1 when it does not,\n3 when another workload's target accepts it.",
  flags: {
    stack: {
      type: "string",
      value: "<env>",
      description: "the stack, whose file is Pulumi.<env>.yaml (required)",
    },
    token: {
      type: "string",
      value: "<JWT | ->",
      description: "the token to verify; - reads it from standard input",
    },
    claims: {
      type: "string",
      value: "<file>",
      description: "a JSON claim set, evaluated as if signed (instead of --token)",
    },
    local: {
      type: "boolean",
      default: false,
      description: "against the running local environment (m2m up --local)",
    },
    "state-dir": {
      type: "string",
      value: "DIR",
      description: "with --local: the local environment's state folder (default .m2m/<env>)",
    },
    outputs: {
      type: "string",
      value: "FILE",
      description: "the stack's outputs (pulumi stack output --json), for its client ids",
    },
    jwks: {
      type: "string",
      value: "<file|url>",
      description: "the issuer's signing keys, to check the token's signature",
    },
    json: { type: "boolean", default: false, description: "print JSON instead of tables" },
  },
  async run(values, context, command) {
    if (!values.stack)
      throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)", command);
    if ((values.token === undefined) === (values.claims === undefined))
      throw new UsageError("give exactly one of --token <JWT | -> and --claims <file>", command);
    if (values["state-dir"] !== undefined && !values.local)
      throw new UsageError(
        "--state-dir goes with --local: it is where the local environment keeps its state",
        command,
      );
    for (const flag of ["outputs", "jwks"] as const)
      if (values[flag] !== undefined && values.local)
        throw new UsageError(
          `--${flag} does not go with --local: the local environment's own ${flag === "outputs" ? "client ids" : "signing keys"} are used`,
          command,
        );
    let token = values.token;
    if (token === "-") {
      token = (await readAll(context.stdin)).trim();
      if (!token) throw new UsageError("--token -: standard input was empty", command);
    }
    return verify({
      projectDir: context.projectDir,
      stack: values.stack,
      ...(token !== undefined ? { token } : {}),
      ...(values.claims !== undefined ? { claimsFile: values.claims } : {}),
      local: values.local,
      ...(values["state-dir"] !== undefined ? { stateDir: values["state-dir"] } : {}),
      ...(values.outputs !== undefined ? { outputsFile: values.outputs } : {}),
      ...(values.jwks !== undefined ? { jwks: values.jwks } : {}),
      json: values.json,
    });
  },
});

// Subcommands (add, list, remove) with their own flags and help: src/cli/tenant.ts dispatches.
const tenant: Command = {
  name: "tenant",
  summary: "onboard, list and offboard a stack's tenants, editing Pulumi.<env>.yaml in place",
  usage: "m2m tenant <add|list|remove> <id> --stack <env> [flags]",
  details: "Each subcommand has its own flags: m2m tenant <subcommand> --help.",
  flags: { help: HELP_FLAG },
  run: (args, context) => runTenant(args, context, tenant),
};

const tokenCommand = defineCommand({
  name: "token",
  summary:
    "a workload's Auth0 token: raw, JSON, GCP executable source, AWS credential_process, or a file kept fresh",
  usage:
    "m2m token --workload <tenant>/<name> (--stack <env> [--local [--state-dir DIR]] [--client-id <id>] | --issuer <url> --client-id <id> --audience <id> [--auth-method <m>] (--credential-env <VAR> | --credential-file <path>)) [--audience <id> | --cloud aws|gcp|azure] [--format raw|json|gcp-executable|aws-credential-process] [--out FILE [--refresh]]",
  details: [
    "The secret or private key is read from the workload's tokenCredential (an environment variable or",
    "a file), or with --local from the local environment's state; never from the command line.",
    "gcp-executable and aws-credential-process share tokens between processes through a cache folder",
    "(0700; --cache-dir, --no-cache); gcp-executable always exits 0 and reports failures in its JSON.",
  ].join("\n"),
  flags: {
    workload: { type: "string", value: "<tenant>/<name>", description: "the workload (required)" },
    stack: { type: "string", value: "<env>", description: "read the workload from Pulumi.<env>.yaml" },
    local: {
      type: "boolean",
      default: false,
      description: "from the running local environment (m2m up --local)",
    },
    "state-dir": {
      type: "string",
      value: "DIR",
      description: "with --local: the local environment's state folder (default .m2m/<env>)",
    },
    audience: {
      type: "string",
      value: "<id>",
      description: "the API identifier (default: the workload's only API)",
    },
    cloud: { type: "string", value: "aws|gcp|azure", description: "with --stack: the API of that cloud" },
    issuer: { type: "string", value: "<url>", description: "without --stack: the issuer, https://<domain>/" },
    "client-id": {
      type: "string",
      value: "<id>",
      description: "the workload's client id (stack output clientId)",
    },
    "auth-method": {
      type: "string",
      value: "<m>",
      description: "without --stack: client_secret_post (default) | client_secret_basic | private_key_jwt",
    },
    "credential-env": {
      type: "string",
      value: "<VAR>",
      description: "read the secret (or key) from this variable",
    },
    "credential-file": {
      type: "string",
      value: "<path>",
      description: "read the secret or private key (PEM) from this file",
    },
    "key-alg": {
      type: "string",
      value: "<alg>",
      description: "private_key_jwt: RS256 (default) | RS384 | PS256",
    },
    organization: { type: "string", value: "<id>", description: "ask for a token for this organization" },
    format: {
      type: "string",
      value: "<format>",
      default: "raw",
      description: "raw (default) | json | gcp-executable | aws-credential-process",
    },
    out: {
      type: "string",
      value: "FILE",
      description: "write the token to FILE (0600, atomic) instead of stdout",
    },
    refresh: {
      type: "boolean",
      default: false,
      description: "with --out: keep running, replacing FILE before expiry",
    },
    "cache-dir": {
      type: "string",
      value: "DIR",
      description: "share tokens between processes in DIR (0700)",
    },
    "no-cache": { type: "boolean", default: false, description: "no cache between processes" },
    "role-arn": {
      type: "string",
      value: "<arn>",
      description: "aws-credential-process without --stack: the role",
    },
    "session-name": {
      type: "string",
      value: "<name>",
      description: "its session name (default <tenant>-<name>)",
    },
    region: {
      type: "string",
      value: "<region>",
      description: "the STS region (default: the stack's, or AWS_REGION)",
    },
    "sts-endpoint": {
      type: "string",
      value: "<url>",
      description: "an STS endpoint other than the region's",
    },
  },
  async run(values, context, command) {
    const format = values.format as TokenFormat;
    if (!TOKEN_FORMATS.includes(format))
      throw new UsageError(
        `--format must be one of ${TOKEN_FORMATS.join(", ")}, not ${values.format}`,
        command,
      );
    if (!values.workload)
      throw new UsageError(
        "--workload <tenant>/<name> is required, e.g. --workload initech/report-export",
        command,
      );
    const method = values["auth-method"];
    if (method !== undefined && !(AUTHENTICATION_METHODS as readonly string[]).includes(method))
      throw new UsageError(`--auth-method must be one of ${AUTHENTICATION_METHODS.join(", ")}`, command);
    const keyAlg = values["key-alg"];
    if (keyAlg !== undefined && !["RS256", "RS384", "PS256"].includes(keyAlg))
      throw new UsageError("--key-alg must be RS256, RS384 or PS256", command);
    const cloud = values.cloud;
    if (cloud !== undefined && !(CLOUDS as readonly string[]).includes(cloud))
      throw new UsageError("--cloud must be aws, gcp or azure", command);
    for (const [flag, value] of Object.entries({
      local: values.local,
      cloud,
      "state-dir": values["state-dir"],
    }))
      if (value && !values.stack) throw new UsageError(`--${flag} needs --stack <env>`, command);
    if (values.stack)
      for (const flag of ["issuer", "auth-method", "role-arn", "session-name"] as const)
        if (values[flag] !== undefined)
          throw new UsageError(`--${flag} does not go with --stack: the stack's model says it`, command);
    if (values["state-dir"] !== undefined && !values.local)
      throw new UsageError("--state-dir goes with --local", command);
    if (values.local && values["client-id"] !== undefined)
      throw new UsageError(
        "--client-id does not go with --local: the local state holds the client ids",
        command,
      );
    if (values.audience !== undefined && cloud !== undefined)
      throw new UsageError("give --audience or --cloud, not both", command);
    if (values["credential-env"] !== undefined && values["credential-file"] !== undefined)
      throw new UsageError("give --credential-env or --credential-file, not both", command);
    if (values.out !== undefined && format !== "raw")
      throw new UsageError(`--out writes the raw token; it does not go with --format ${format}`, command);
    if (values.refresh && values.out === undefined)
      throw new UsageError("--refresh keeps a file fresh: give it with --out FILE", command);
    if (values["no-cache"] && values["cache-dir"] !== undefined)
      throw new UsageError("give --cache-dir or --no-cache, not both", command);
    const credential =
      values["credential-env"] !== undefined
        ? { env: values["credential-env"] }
        : values["credential-file"] !== undefined
          ? { file: values["credential-file"] }
          : undefined;
    return token({
      projectDir: context.projectDir,
      workload: values.workload,
      local: values.local,
      format,
      refresh: values.refresh,
      noCache: values["no-cache"],
      ...(values.stack !== undefined ? { stack: values.stack } : {}),
      ...(values["state-dir"] !== undefined ? { stateDir: values["state-dir"] } : {}),
      ...(values.audience !== undefined ? { audience: values.audience } : {}),
      ...(cloud !== undefined ? { cloud: cloud as Cloud } : {}),
      ...(values.issuer !== undefined ? { issuer: values.issuer } : {}),
      ...(values["client-id"] !== undefined ? { clientId: values["client-id"] } : {}),
      ...(method !== undefined ? { authMethod: method as AuthenticationMethod } : {}),
      ...(credential ? { credential } : {}),
      ...(keyAlg !== undefined ? { keyAlgorithm: keyAlg as AssertionAlgorithm } : {}),
      ...(values.organization !== undefined ? { organization: values.organization } : {}),
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(values["cache-dir"] !== undefined ? { cacheDir: values["cache-dir"] } : {}),
      ...(values["role-arn"] !== undefined ? { roleArn: values["role-arn"] } : {}),
      ...(values["session-name"] !== undefined ? { sessionName: values["session-name"] } : {}),
      ...(values.region !== undefined ? { region: values.region } : {}),
      ...(values["sts-endpoint"] !== undefined ? { stsEndpoint: values["sts-endpoint"] } : {}),
    });
  },
});

/** The flags `m2m smoke`, `drift` and `adopt` share: which stack, and which tenant. */
const MANAGEMENT_FLAGS = {
  stack: {
    type: "string",
    value: "<env>",
    description: "the stack, whose file is Pulumi.<env>.yaml (required)",
  },
  local: {
    type: "boolean",
    default: false,
    description: "the running local environment (m2m up --local) instead of the stack's Auth0 tenant",
  },
  "state-dir": {
    type: "string",
    value: "DIR",
    description: "with --local: the local environment's state folder (default .m2m/<env>)",
  },
} as const satisfies Flags;

const MANAGEMENT_CREDENTIALS_HELP =
  "Credentials: M2M_AUTH0_CLIENT_ID, and M2M_AUTH0_CLIENT_SECRET or M2M_AUTH0_CLIENT_SECRET_FILE (a 0600 file);\nnever flags, never AUTH0_*. --local uses the local environment's own management application.";

/** The checks every management command makes of its flags. */
function managementTarget(
  values: { stack?: string; local: boolean; "state-dir"?: string },
  command: Command,
): { stack: string; local: boolean; stateDir?: string } {
  if (!values.stack)
    throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)", command);
  if (values["state-dir"] !== undefined && !values.local)
    throw new UsageError(
      "--state-dir goes with --local: it is where the local environment keeps its state",
      command,
    );
  return {
    stack: values.stack,
    local: values.local,
    ...(values["state-dir"] !== undefined ? { stateDir: values["state-dir"] } : {}),
  };
}

const smokeCommand = defineCommand({
  name: "smoke",
  summary: "prove the deployed tenant issues what the model promises: a verified token per workload and API",
  usage: "m2m smoke --stack <env> [--local [--state-dir DIR]] [--json]",
  details: `Reads each workload's application and grants through the Management API, requests its tokens and\nverifies them as m2m verify does. Exits 1 on any miss; private_key_jwt workloads without their key are skipped.\n${MANAGEMENT_CREDENTIALS_HELP}`,
  flags: {
    ...MANAGEMENT_FLAGS,
    json: { type: "boolean", default: false, description: "print JSON instead of tables" },
  },
  async run(values, context, command) {
    return smoke({ projectDir: context.projectDir, ...managementTarget(values, command), json: values.json });
  },
});

const driftCommand = defineCommand({
  name: "drift",
  summary:
    "the live tenant against the model: what changed outside Pulumi, and what pulumi up --refresh does",
  usage: "m2m drift --stack <env> [--local [--state-dir DIR]] [--json]",
  details: `Compares the applications marked managed_by this tool, their grants, the model's APIs, Actions\n(by bundle hash) and the credentials-exchange binding order. Exits 1 on drift.\n${MANAGEMENT_CREDENTIALS_HELP}`,
  flags: {
    ...MANAGEMENT_FLAGS,
    json: { type: "boolean", default: false, description: "print JSON instead of text" },
  },
  async run(values, context, command) {
    return drift({ projectDir: context.projectDir, ...managementTarget(values, command), json: values.json });
  },
});

const adoptCommand = defineCommand({
  name: "adopt",
  summary: "take over a hand-built Auth0 tenant: write the stack's model and a pulumi import file",
  usage: "m2m adopt --stack <env> [--local [--state-dir DIR]] [--map FILE]",
  details: `Writes m2m:environment into Pulumi.<env>.yaml (other config kept) and import.<env>.json with the program's\nresource names and parents, once the model validates. Applications map to tenant/workload by their\nmetadata or by --map, never by guessing; what the model cannot say is listed.\n${MANAGEMENT_CREDENTIALS_HELP}`,
  flags: {
    ...MANAGEMENT_FLAGS,
    map: {
      type: "string",
      value: "FILE",
      description: 'JSON {"<client id>": "<tenant>/<workload>"} for applications without that metadata',
    },
  },
  async run(values, context, command) {
    return adopt({
      projectDir: context.projectDir,
      ...managementTarget(values, command),
      ...(values.map !== undefined ? { mapFile: values.map } : {}),
    });
  },
});

const REPORT_FLAGS = {
  stack: {
    type: "string",
    value: "<env>",
    description: "the stack, whose file is Pulumi.<env>.yaml (required)",
  },
  format: { type: "string", value: "text|markdown|json", description: "the output format (default text)" },
  out: { type: "string", value: "FILE", description: "write the output to FILE instead of standard output" },
} as const satisfies Flags;

function reportFormat(value: string | undefined, command: Command): ReportFormat {
  if (value === undefined) return "text";
  if (!(REPORT_FORMATS as readonly string[]).includes(value))
    throw new UsageError(`--format ${value}: use one of ${REPORT_FORMATS.join(", ")}`, command);
  return value as ReportFormat;
}

const planCommand = defineCommand({
  name: "plan",
  summary:
    "a stack's desired state offline: what pulumi up would register, who is trusted, what each workload reaches",
  usage: "m2m plan --stack <env> [--format text|markdown|json] [--out FILE]",
  details:
    "Runs the Pulumi program in-process under mocks: no credentials, no Pulumi CLI. Client ids are placeholders;\nno secret is read or shown. Markdown fits a GitHub comment, with the trust graph in Mermaid.",
  flags: REPORT_FLAGS,
  async run(values, context, command) {
    if (!values.stack)
      throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)", command);
    return plan({
      projectDir: context.projectDir,
      stack: values.stack,
      format: reportFormat(values.format, command),
      ...(values.out !== undefined ? { out: values.out } : {}),
    });
  },
});

const diffCommand = defineCommand({
  name: "diff",
  summary:
    "what a change does: the plan at a git ref against the working tree, security-relevant changes first",
  usage:
    "m2m diff --stack <env> --base <git-ref> [--format text|markdown|json] [--out FILE] [--preview FILE]",
  details:
    "The base plan is the base commit's own program and stack file, run with the working tree's node_modules.\nExits 0 when nothing changes, 1 on changes, 4 on security-relevant changes, 2 when either plan cannot be produced.",
  flags: {
    ...REPORT_FLAGS,
    base: {
      type: "string",
      value: "<git-ref>",
      description: "the branch, tag or commit to compare with (required)",
    },
    preview: {
      type: "string",
      value: "FILE",
      description: "fold in a pulumi preview --json output of the same stack",
    },
  },
  async run(values, context, command) {
    if (!values.stack)
      throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)", command);
    if (!values.base) throw new UsageError("--base is required, e.g. --base origin/main", command);
    return diff({
      projectDir: context.projectDir,
      stack: values.stack,
      base: values.base,
      format: reportFormat(values.format, command),
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(values.preview !== undefined ? { preview: values.preview } : {}),
    });
  },
});

/** Every command, in the order `m2m --help` lists them. */
export const COMMANDS: readonly Command[] = [
  up,
  verifyCommand,
  tenant,
  tokenCommand,
  smokeCommand,
  driftCommand,
  adoptCommand,
  planCommand,
  diffCommand,
];

/** `m2m --help`: every command in one line, and the exit codes. */
export function overallHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 3;
  return [
    "usage: m2m <command> [flags]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    "",
    "m2m <command> --help shows a command's flags.",
    "",
    "Exit codes:",
    ...EXIT_CODE_LINES.map((line) => `  ${line}`),
  ].join("\n");
}

/** `m2m <command> --help`: its usage and every flag. */
export function commandHelp(command: Command): string {
  const names = Object.entries(command.flags).map(
    ([name, flag]) => `${flag.short ? `-${flag.short}, ` : ""}--${name}${flag.value ? ` ${flag.value}` : ""}`,
  );
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    `usage: ${command.usage}`,
    "",
    command.summary,
    ...(command.details ? [command.details] : []),
    "",
    "Flags:",
    ...Object.values(command.flags).map(
      (flag, i) => `  ${(names[i] ?? "").padEnd(width)}${flag.description}`,
    ),
  ].join("\n");
}

/** How a usage error reads: the mistake, then the usage that shows what to write instead. */
export function usageMessage(error: UsageError): string {
  return error.command
    ? `m2m ${error.command.name}: ${error.message}\n\nusage: ${error.command.usage}\n(m2m ${error.command.name} --help lists its flags)`
    : `m2m: ${error.message}\n\n${overallHelp()}`;
}

/** Runs `m2m` with `argv` (what follows `m2m`); resolves to the exit code. */
export async function runM2m(argv: readonly string[], context: CommandContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(overallHelp());
    return EXIT.ok;
  }
  if (name === undefined) throw new UsageError("no command given");
  const command = COMMANDS.find((c) => c.name === name);
  if (!command)
    throw new UsageError(
      name.startsWith("-")
        ? `${name} before a command: the command comes first, then its flags`
        : `unknown command "${name}"`,
    );
  return command.run(args, context);
}
