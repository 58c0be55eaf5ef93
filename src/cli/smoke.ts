import { connect, readTenant } from "../management/connection.ts";
import { renderSmoke, smoke as runSmoke, smokeMissed } from "../management/smoke.ts";
import { ENVIRONMENT_CONFIG_KEY } from "../model/environment/environment.ts";
import { readStackFile } from "../stack/stack-file.ts";
import { EXIT } from "./exit-codes.ts";

/** Options of `m2m smoke`, as the command line gives them. */
export interface SmokeOptions {
  readonly projectDir: string;
  readonly stack: string;
  readonly local: boolean;
  readonly stateDir?: string;
  readonly json: boolean;
  /** Where the Management API credentials and tokenCredential variables are read. Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** Runs `m2m smoke`: 0 when every workload got and passed its tokens (skips allowed), 1 on a miss. */
export async function smoke(options: SmokeOptions): Promise<number> {
  const raw = readStackFile(options.projectDir, options.stack).config[ENVIRONMENT_CONFIG_KEY];
  const connection = await connect({
    projectDir: options.projectDir,
    stack: options.stack,
    raw,
    local: options.local,
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const live = await readTenant(connection);
  const report = await runSmoke(connection.env, live, {
    tenant: connection.said,
    fetch: connection.fetch,
    keys: connection.keys,
    local: options.local,
    ...(options.environment ? { environment: options.environment } : {}),
  });
  console.log(options.json ? JSON.stringify(report, null, 2) : renderSmoke(report));
  return smokeMissed(report) ? EXIT.negative : EXIT.ok;
}
