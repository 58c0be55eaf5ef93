import { existsSync } from "node:fs";
import path from "node:path";
import { checkOutBase, differsFromCommit } from "../plan/base-checkout.ts";
import type { Plan } from "../plan/plan.ts";
import { diffPlans, type PlanDiff, withChanges } from "../plan/plan-diff.ts";
import { previewChanges, readPreviewSteps } from "../plan/preview-steps.ts";
import { producePlan } from "../plan/produce-plan.ts";
import { renderDiffMarkdown, renderDiffText } from "../plan/render-diff.ts";
import { EXIT } from "./exit-codes.ts";
import { emit, type ReportFormat } from "./plan.ts";

/** Options of `m2m diff`, as the command line gives them. */
export interface DiffOptions {
  readonly projectDir: string;
  readonly stack: string;
  /** The git ref whose plan is the base. */
  readonly base: string;
  /** Default: text. */
  readonly format?: ReportFormat;
  readonly out?: string;
  /** A `pulumi preview --json` output to fold in. */
  readonly preview?: string;
}

/** The diff in one of the formats. */
export function renderDiff(diff: PlanDiff, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(diff, null, 2)}\n`;
  return format === "markdown" ? renderDiffMarkdown(diff) : renderDiffText(diff);
}

/**
 * Runs `m2m diff`: the plan of the base commit's own program and stack file against the working
 * tree's. 0 no change, 1 changes, 4 security-relevant changes; throws (exit 2) when either plan
 * cannot be produced.
 */
export async function diff(options: DiffOptions): Promise<number> {
  // Read first, so a bad file fails before any checkout.
  const steps = options.preview !== undefined ? readPreviewSteps(options.preview) : undefined;
  const checkout = checkOutBase(options.projectDir, options.base);
  const notes: string[] = [];
  const label = `the base commit ${checkout.commit.slice(0, 12)} (${options.base})`;
  let head: Plan;
  let base: Plan;
  try {
    head = await producePlan({ projectDir: options.projectDir, stack: options.stack });
    // A stack the change adds has no base: everything in it is new.
    if (existsSync(path.join(checkout.projectDir, `Pulumi.${options.stack}.yaml`))) {
      base = await producePlan({ projectDir: checkout.projectDir, stack: options.stack }).catch(
        (error: Error) => {
          throw new Error(`the plan of ${label} cannot be produced: ${error.message}`);
        },
      );
    } else {
      base = { ...head, tenants: [], actions: [], bindings: [], resources: [] };
      notes.push(`Pulumi.${options.stack}.yaml is new: it does not exist at ${options.base}.`);
    }
  } finally {
    checkout.remove();
  }
  if (differsFromCommit(options.projectDir, checkout.commit, "package-lock.json"))
    notes.push(
      "package-lock.json differs from the base: both plans ran with the working tree's node_modules, so what new provider versions change beyond the inputs shows only in pulumi preview.",
    );
  let result = diffPlans(base, head, { ref: options.base, commit: checkout.commit }, notes);
  if (steps) result = withChanges(result, previewChanges(steps, base, head));
  emit(renderDiff(result, options.format ?? "text"), options.out);
  if (result.changes.some((c) => c.security)) return EXIT.securityDiff;
  return result.changes.length > 0 || result.resources.length > 0 ? EXIT.negative : EXIT.ok;
}
