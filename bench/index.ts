/** `npm run bench`: every benchmark of the project, each printing its figures and its target. */
import { benchProgram } from "./program.bench.ts";

const results = [await benchProgram()];
process.exitCode = results.every(Boolean) ? 0 : 1;
