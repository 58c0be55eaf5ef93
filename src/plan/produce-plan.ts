import { existsSync } from "node:fs";
import path from "node:path";
import { ENVIRONMENT_CONFIG_KEY } from "../model/environment/environment.ts";
import { readStackFile } from "../stack/stack-file.ts";
import { buildPlan } from "./build-plan.ts";
import { runUnderMocks } from "./mocked-program.ts";
import type { Plan } from "./plan.ts";
import { loadProjectCode, OWN_ROOT, type ProjectCode } from "./project-code.ts";
import { programConfig } from "./stack-config.ts";

/** Where a plan's stack file and code are. */
export interface PlanSource {
  /** The folder of Pulumi.<stack>.yaml. */
  readonly projectDir: string;
  readonly stack: string;
  /**
   * The checkout whose program and model produce the plan. Default: `projectDir` when it holds a
   * Pulumi project (Pulumi.yaml), else this package's own code.
   */
  readonly codeRoot?: string;
}

/** The program could not be run to the end: its own error, as `pulumi up` would report it. */
export class ProgramRunError extends Error {
  override readonly name = "ProgramRunError";
}

/**
 * The plan of a stack: its environment validated by the code's own model (an invalid one throws
 * the model's EnvironmentError, before anything runs), then its program run under mocks. Runs
 * share Pulumi's process-wide runtime: produce one plan at a time.
 */
export async function producePlan(source: PlanSource): Promise<Plan> {
  const code = await loadProjectCode(source.codeRoot ?? defaultCodeRoot(source.projectDir));
  return planWith(code, source);
}

/** The plan of a stack with already loaded code. */
export async function planWith(code: ProjectCode, source: PlanSource): Promise<Plan> {
  const stack = readStackFile(source.projectDir, source.stack);
  const env = code.parseEnvironment(stack.config[ENVIRONMENT_CONFIG_KEY], source.stack);
  const { config, secretKeys, unset } = programConfig(stack, code.project);
  // The model's reach depends on the environment alone, so it is computed before the program
  // runs, while the heap is small: after the run it cost 0.1 to 0.15 s more at 1,000 tenants, the
  // collector working through what the run left behind.
  const reach = code.environmentReach(env);
  let registrations: Awaited<ReturnType<typeof runUnderMocks>>;
  const ambient = withoutAmbientAuth0();
  try {
    registrations = await runUnderMocks({
      project: code.project,
      stack: source.stack,
      config,
      secretKeys,
      program: code.program,
    });
  } catch (error) {
    throw new ProgramRunError(
      `the program of stack ${source.stack} failed under mocks: ${(error as Error).message}`,
    );
  } finally {
    ambient.restore();
  }
  return buildPlan(env, reach, registrations, code, unset);
}

/** The code root for a project folder: its own program, or this package's. */
export function defaultCodeRoot(projectDir: string): string {
  return existsSync(path.join(projectDir, "Pulumi.yaml")) && existsSync(path.join(projectDir, "infra"))
    ? projectDir
    : OWN_ROOT;
}

/**
 * The program refuses to run with AUTH0_* credentials in the shell (a real update could use
 * them instead of the stack's own). A plan calls no API, so they are set aside while it runs.
 */
function withoutAmbientAuth0(): { restore(): void } {
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith("AUTH0_"));
  for (const [k] of saved) delete process.env[k];
  return {
    restore() {
      for (const [k, v] of saved) process.env[k] = v;
    },
  };
}
