import type { Plan } from "../plan/plan.ts";
import { producePlan } from "../plan/produce-plan.ts";
import { renderPlanMarkdown } from "../plan/render-plan-markdown.ts";
import { renderPlanText } from "../plan/render-plan-text.ts";
import { writeReport } from "../plan/report-file.ts";
import { EXIT } from "./exit-codes.ts";

/** The formats `m2m plan` and `m2m diff` print. */
export const REPORT_FORMATS = ["text", "markdown", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Options of `m2m plan`, as the command line gives them. */
export interface PlanOptions {
  readonly projectDir: string;
  readonly stack: string;
  /** Default: text. */
  readonly format?: ReportFormat;
  /** Write here instead of standard output. */
  readonly out?: string;
}

/** The plan in one of the formats. */
export function renderPlan(plan: Plan, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(plan, null, 2)}\n`;
  return format === "markdown" ? renderPlanMarkdown(plan) : renderPlanText(plan);
}

/** Runs `m2m plan`: prints (or writes) the stack's offline plan; 0, or throws (exit 2). */
export async function plan(options: PlanOptions): Promise<number> {
  const produced = await producePlan({ projectDir: options.projectDir, stack: options.stack });
  emit(renderPlan(produced, options.format ?? "text"), options.out);
  return EXIT.ok;
}

/** Prints a report, or writes it to `out` (and says where). */
export function emit(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  writeReport(out, text);
  console.error(`wrote ${out}`);
}
