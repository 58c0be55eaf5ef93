/**
 * `m2m tenant add|list|remove`: onboarding and offboarding tenants by editing
 * `Pulumi.<env>.yaml` in place (src/tenant). Each subcommand has its own flags and help; the
 * command `tenant` in commands.ts dispatches to them.
 */
import path from "node:path";
import { type ParseArgsOptionDescriptor, parseArgs } from "node:util";
import { ENVIRONMENT_CONFIG_KEY, parseEnvironment } from "../model/environment/environment.ts";
import { readStackFile } from "../stack/stack-file.ts";
import { addTenant } from "../tenant/add-tenant.ts";
import {
  AUTHENTICATION_METHODS,
  AZURE_ASSIGNMENT_SYNTAX,
  GCP_GRANT_SYNTAX,
  OnboardingError,
} from "../tenant/onboarding.ts";
import { removeTenant } from "../tenant/remove-tenant.ts";
import { listTenants, renderTenantTable } from "../tenant/tenant-table.ts";
import { type Command, type CommandContext, commandHelp, UsageError } from "./commands.ts";
import { EXIT } from "./exit-codes.ts";

interface Flag extends ParseArgsOptionDescriptor {
  readonly value?: string;
  readonly description: string;
}

type Flags = Readonly<Record<string, Flag>>;

const HELP = { type: "boolean", short: "h", description: "show this help" } as const satisfies Flag;

const STACK = {
  type: "string",
  value: "<env>",
  description: "the stack, whose file Pulumi.<env>.yaml is edited (required)",
} as const satisfies Flag;

/** The values parseArgs gives for `flags` in strict mode, positionals allowed. */
type Values<F extends Flags> = ReturnType<
  typeof parseArgs<{ args: string[]; options: F; strict: true; allowPositionals: true }>
>["values"];

/**
 * A subcommand of `tenant`: a Command named `tenant <sub>`, so usage errors show its own usage
 * and help; `exec` gets its flags' values, typed, and the positionals (the tenant id).
 */
function subcommand<const F extends Flags>(spec: {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly details?: string;
  readonly flags: F;
  exec(
    values: Values<F>,
    positionals: readonly string[],
    context: CommandContext,
    sub: Command,
  ): Promise<number>;
}): Command {
  const flags = { ...spec.flags, help: HELP };
  const sub: Command = {
    name: `tenant ${spec.name}`,
    summary: spec.summary,
    usage: spec.usage,
    ...(spec.details ? { details: spec.details } : {}),
    flags,
    async run(args, context) {
      const { values, positionals } = parseSubcommand(sub, flags, args);
      if ((values as { help?: boolean }).help) {
        console.log(commandHelp(sub));
        return EXIT.ok;
      }
      return spec.exec(values, positionals, context, sub);
    },
  };
  return sub;
}

/** Flags and positionals of a subcommand, parsed strictly; an unknown flag is named. */
function parseSubcommand<F extends Flags>(sub: Command, flags: F, args: readonly string[]) {
  const { tokens } = parseArgs({ args: [...args], options: flags, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind === "option" && !Object.hasOwn(flags, token.name))
      throw new UsageError(`unknown flag ${token.rawName}`, sub);
  }
  try {
    return parseArgs({ args: [...args], options: flags, strict: true, allowPositionals: true });
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS"))
      throw new UsageError((error as Error).message, sub);
    throw error;
  }
}

function requireStack(stack: string | undefined, sub: Command): string {
  if (!stack)
    throw new UsageError("--stack is required, e.g. --stack dev (the stack file Pulumi.dev.yaml)", sub);
  return stack;
}

function oneTenantId(positionals: readonly string[], sub: Command): string {
  if (positionals.length === 1) return positionals[0] as string;
  throw new UsageError(
    positionals.length === 0
      ? "give the tenant id, e.g. m2m tenant add acme --stack dev ..."
      : `give one tenant id, not ${positionals.length}: ${positionals.join(" ")}`,
    sub,
  );
}

const add = subcommand({
  name: "add",
  summary:
    "onboard a tenant with one workload: appends it to Pulumi.<env>.yaml once the model accepts the result",
  usage:
    "m2m tenant add <id> --stack <env> --workload <name> --grant <api>=<scope,...> [--grant ...] [--method client_secret_post|client_secret_basic|private_key_jwt] [--key FILE] [cloud and other options]",
  details: [
    "Every other byte of the stack file stays as it was. If the result would be invalid, nothing is",
    "written and every problem is named. Repeatable flags: --grant, --key, --metadata,",
    "--aws-managed-policy, --gcp-role, --gcp-service-account-role, --azure-role-assignment.",
    "A cloud's options need a grant to that cloud's API (e.g. --grant aws=aws:federate).",
  ].join("\n"),
  flags: {
    stack: STACK,
    workload: { type: "string", value: "<name>", description: "the workload's name (required)" },
    grant: {
      type: "string",
      multiple: true,
      value: "<api>=<scope,...>",
      description: "an API key and the scopes granted on it (required, repeatable)",
    },
    description: { type: "string", value: "<text>", description: "the workload's description" },
    method: {
      type: "string",
      value: "<method>",
      description: `client authentication: ${AUTHENTICATION_METHODS.join(" | ")} (default client_secret_post)`,
    },
    key: {
      type: "string",
      multiple: true,
      value: "FILE",
      description: "private_key_jwt: an RSA public key (PEM), named after the file; twice to rotate",
    },
    metadata: {
      type: "string",
      multiple: true,
      value: "<key>=<value>",
      description: "extra client metadata (repeatable)",
    },
    "token-env": {
      type: "string",
      value: "VAR",
      description:
        "where the workload reads its secret or key: an environment variable (tokenCredential.env)",
    },
    "token-file": {
      type: "string",
      value: "PATH",
      description: "or an absolute file path (tokenCredential.file)",
    },
    "aws-managed-policy": {
      type: "string",
      multiple: true,
      value: "ARN",
      description: "AWS: a managed policy attached to the workload's role (repeatable)",
    },
    "aws-inline-policy": {
      type: "string",
      value: "FILE",
      description: "AWS: the role's inline policy document (JSON or YAML)",
    },
    "aws-max-session-duration": {
      type: "string",
      value: "SECONDS",
      description: "AWS: the role's maximum session duration, 3600 to 43200",
    },
    "gcp-role": {
      type: "string",
      multiple: true,
      value: "<grant>",
      description: `GCP: a role on one of the tenant's resources, ${GCP_GRANT_SYNTAX} (repeatable)`,
    },
    "gcp-impersonate": {
      type: "boolean",
      description: "GCP: the workload may impersonate its tenant's service account",
    },
    "gcp-service-account-role": {
      type: "string",
      multiple: true,
      value: "<grant>",
      description: "GCP: a role of the tenant's service account, written as --gcp-role (repeatable)",
    },
    "azure-role-assignment": {
      type: "string",
      multiple: true,
      value: "<assignment>",
      description: `Azure: a role of the tenant's identity, ${AZURE_ASSIGNMENT_SYNTAX} (repeatable)`,
    },
  },
  async exec(values, positionals, context, sub) {
    const id = oneTenantId(positionals, sub);
    const stack = requireStack(values.stack, sub);
    const workload = values.workload;
    if (!workload) throw new UsageError("--workload is required: the name of the tenant's workload", sub);
    try {
      const added = addTenant(context.projectDir, stack, {
        id,
        workload,
        description: values.description,
        grants: values.grant ?? [],
        method: values.method,
        keyFiles: values.key ?? [],
        metadata: values.metadata ?? [],
        tokenEnv: values["token-env"],
        tokenFile: values["token-file"],
        awsManagedPolicies: values["aws-managed-policy"] ?? [],
        awsInlinePolicyFile: values["aws-inline-policy"],
        awsMaxSessionDuration: values["aws-max-session-duration"],
        gcpRoles: values["gcp-role"] ?? [],
        gcpImpersonate: values["gcp-impersonate"] ?? false,
        gcpServiceAccountRoles: values["gcp-service-account-role"] ?? [],
        azureRoleAssignments: values["azure-role-assignment"] ?? [],
      });
      const file = path.basename(added.path);
      const [listed] = listTenants(added.environment).filter((t) => t.id === id);
      const clouds = listed?.workloads[0]?.clouds.join(", ") || "none";
      console.log(
        [
          `Added tenant "${id}" with workload "${workload}" to ${file} (clouds: ${clouds}).`,
          `Next: review the change (git diff ${file}), then pulumi up --stack ${stack} creates it.`,
        ].join("\n"),
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof OnboardingError) throw new UsageError(error.message, sub);
      throw error;
    }
  },
});

const list = subcommand({
  name: "list",
  summary: "a stack's tenants and workloads: status, authentication, clouds and grants",
  usage: "m2m tenant list --stack <env> [--json]",
  flags: {
    stack: { ...STACK, description: "the stack, whose file is Pulumi.<env>.yaml (required)" },
    json: {
      type: "boolean",
      description: "print {stack, tenants: [{id, decommissioned, workloads}]} as JSON",
    },
  },
  async exec(values, positionals, context, sub) {
    if (positionals.length > 0)
      throw new UsageError(`takes no arguments besides its flags, not ${positionals.join(" ")}`, sub);
    const stack = requireStack(values.stack, sub);
    const file = readStackFile(context.projectDir, stack);
    const env = parseEnvironment(file.config[ENVIRONMENT_CONFIG_KEY], stack);
    const tenants = listTenants(env);
    console.log(
      values.json
        ? JSON.stringify({ stack, tenants }, null, 2)
        : renderTenantTable(stack, path.basename(file.path), tenants),
    );
    return EXIT.ok;
  },
});

const remove = subcommand({
  name: "remove",
  summary: "offboard a tenant: in a protected (production) stack, decommission it first",
  usage: "m2m tenant remove <id> --stack <env> [--confirm]",
  details: [
    "In a stack with production: true, the first run sets decommissioned: true (the next pulumi up",
    "lifts protection, deleting nothing); once that is applied, run again with --confirm to remove",
    "the tenant (the pulumi up after it deletes its resources). Elsewhere it is removed at once.",
  ].join("\n"),
  flags: {
    stack: STACK,
    confirm: {
      type: "boolean",
      description: "the tenant's decommissioning is applied: remove it from a protected stack",
    },
  },
  async exec(values, positionals, context, sub) {
    const id = oneTenantId(positionals, sub);
    const stack = requireStack(values.stack, sub);
    const removal = removeTenant(context.projectDir, stack, id, values.confirm ?? false);
    console.log(removal.report.join("\n"));
    return EXIT.ok;
  },
});

const SUBCOMMANDS: readonly Command[] = [add, list, remove];

/** `m2m tenant --help`: the subcommands, one line each. */
export function tenantHelp(tenant: Command): string {
  const width = Math.max(...SUBCOMMANDS.map((s) => s.name.length)) + 3;
  return [
    `usage: ${tenant.usage}`,
    "",
    tenant.summary,
    ...(tenant.details ? [tenant.details] : []),
    "",
    "Subcommands:",
    ...SUBCOMMANDS.map((s) => `  ${`m2m ${s.name}`.padEnd(width + 4)}${s.summary}`),
    "",
    "m2m tenant <subcommand> --help shows its flags.",
  ].join("\n");
}

/** Runs `m2m tenant <subcommand> ...`: `args` is what follows `tenant`. */
export async function runTenant(
  args: readonly string[],
  context: CommandContext,
  tenant: Command,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === "--help" || name === "-h" || name === "help") {
    console.log(tenantHelp(tenant));
    return EXIT.ok;
  }
  if (name === undefined) throw new UsageError("give a subcommand: add, list or remove", tenant);
  const sub = SUBCOMMANDS.find((s) => s.name === `tenant ${name}`);
  if (!sub)
    throw new UsageError(
      name.startsWith("-")
        ? `${name} before a subcommand: write m2m tenant <add|list|remove> [flags]`
        : `unknown subcommand "${name}": use add, list or remove`,
      tenant,
    );
  return sub.run(rest, context);
}
