import type { StackFile } from "../stack/stack-file.ts";
import { SECRET_SHOWN } from "./mocked-program.ts";

/** A stack's config as the CLI hands it to the program: strings, secrets named. */
export interface ProgramConfig {
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** Credentials the stack file does not set, stood in for; `pulumi up` needs each set. */
  readonly unset: readonly string[];
}

/**
 * The Management API credentials the program requires (infra/index.ts): a stack file written
 * before they are set still plans, with a placeholder, and the plan says what to set.
 */
const CREDENTIAL_KEYS = [
  { key: "auth0ClientId", secret: false, placeholder: "placeholder-management-client-id" },
  { key: "auth0ClientSecret", secret: true, placeholder: SECRET_SHOWN },
] as const;

/**
 * The config `pulumi up` would pass the program, from the stack file alone: secure values are
 * ciphertext only the stack's secrets provider can open, so each becomes a secret holding
 * SECRET_SHOWN. Nothing the plan shows can come from a real secret. `project` is the config
 * keys' namespace (Pulumi.yaml `name`).
 */
export function programConfig(stack: StackFile, project: string): ProgramConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const unset: string[] = [];
  for (const { key, secret, placeholder } of CREDENTIAL_KEYS) {
    const name = `${project}:${key}`;
    if (stack.config[name] !== undefined) continue;
    config[name] = placeholder;
    if (secret) secretKeys.push(name);
    unset.push(name);
  }
  for (const [key, value] of Object.entries(stack.config)) {
    if (isSecure(value)) {
      config[key] = SECRET_SHOWN;
      secretKeys.push(key);
    } else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys, unset };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.hasOwn(value, "secure");
}
