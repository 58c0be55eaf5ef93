/**
 * One run of the plan bench, in a process of its own so that its peak RSS is its own. Started by
 * plan.bench.ts:
 *
 *   node --import tsx bench/plan-run.ts <mode> <projectDir> <recording.json>
 *
 * - `record`: runs the program of the stack `bench` in `projectDir` under the plan's mocks and
 *   writes every registration, with the turn of the event loop it came in, to the recording (for
 *   the floor, bench/program-run.ts `floor`, which replays it in the same turns).
 * - `plan`: `m2m plan --stack bench --format markdown --out <dir>/plan.md` in-process, timed:
 *   read and validate the stack, run the program under mocks, build and render the plan. The
 *   program's modules are imported before the timer starts, as the floor's classes are.
 *
 * Prints one JSON line: milliseconds, peak RSS in bytes and the number of registrations.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { plan } from "../src/cli/plan.ts";
import { ENVIRONMENT_CONFIG_KEY } from "../src/model/environment/environment.ts";
import { runUnderMocks } from "../src/plan/mocked-program.ts";
import { loadProjectCode, OWN_ROOT } from "../src/plan/project-code.ts";
import { programConfig } from "../src/plan/stack-config.ts";
import { readStackFile } from "../src/stack/stack-file.ts";
import type { RunResult } from "./program-run.ts";
import { turnRecorder } from "./registration-turns.ts";

const [mode = "", projectDir = "", recordingPath = ""] = process.argv.slice(2);
let ms = 0;
let registrations = 0;
if (mode === "record") {
  const code = await loadProjectCode(OWN_ROOT);
  const stack = readStackFile(projectDir, "bench");
  code.parseEnvironment(stack.config[ENVIRONMENT_CONFIG_KEY], "bench");
  const { config, secretKeys } = programConfig(stack, code.project);
  const recorder = turnRecorder();
  await runUnderMocks({
    project: code.project,
    stack: "bench",
    config,
    secretKeys,
    program: code.program,
    onRegistration: recorder.onRegistration,
  });
  recorder.stop();
  registrations = recorder.recorded.length;
  writeFileSync(recordingPath, JSON.stringify(recorder.recorded));
} else if (mode === "plan") {
  // The floor imports its provider classes before its timer starts: the program's modules
  // (the same provider SDKs) are loaded before this one's, so both time the same work.
  await loadProjectCode(OWN_ROOT);
  const start = performance.now();
  await plan({ projectDir, stack: "bench", format: "markdown", out: path.join(projectDir, "plan.md") });
  ms = performance.now() - start;
} else throw new Error(`unknown mode ${mode}: record | plan`);
const result: RunResult = { ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, registrations };
process.stdout.write(`${JSON.stringify(result)}\n`);
