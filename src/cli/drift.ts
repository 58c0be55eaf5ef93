import { connect, readTenant } from "../management/connection.ts";
import { driftReport, renderDrift } from "../management/drift.ts";
import { ENVIRONMENT_CONFIG_KEY } from "../model/environment/environment.ts";
import { readStackFile } from "../stack/stack-file.ts";
import { EXIT } from "./exit-codes.ts";

/** Options of `m2m drift`, as the command line gives them. */
export interface DriftOptions {
  readonly projectDir: string;
  readonly stack: string;
  readonly local: boolean;
  readonly stateDir?: string;
  readonly json: boolean;
  /** Where the Management API credentials are read. Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** Runs `m2m drift`: 0 when the tenant is as the model says, 1 on drift. */
export async function drift(options: DriftOptions): Promise<number> {
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
  const report = driftReport(connection.env, live, {
    tenant: connection.said,
    managementClientId: connection.managementClientId,
  });
  console.log(options.json ? JSON.stringify(report, null, 2) : renderDrift(report));
  return report.findings.length > 0 ? EXIT.negative : EXIT.ok;
}
