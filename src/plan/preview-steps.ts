/**
 * A `pulumi preview --json` output folded into the diff, where credentials exist: its steps
 * (`op`, `urn`, `replaceReasons`, `detailedDiff`) against the real state, which the offline plans
 * cannot see. It carries no policy results (the policy pack reports in the preview's own run).
 */
import { readFileSync } from "node:fs";
import type { Plan } from "./plan.ts";
import type { Change } from "./plan-diff.ts";
import { TRUST_KINDS } from "./resource-kinds.ts";

/** One step of a preview, as `pulumi preview --json` prints it. */
interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly replaceReasons?: readonly string[];
  readonly diffReasons?: readonly string[];
  readonly detailedDiff?: Readonly<Record<string, { kind?: string }>>;
}

/** The preview file is unreadable or not a preview: the diff cannot include it. */
export class PreviewFileError extends Error {
  override readonly name = "PreviewFileError";
}

/** The steps of a `pulumi preview --json` file. */
export function readPreviewSteps(file: string): PreviewStep[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PreviewFileError(
      `--preview ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not JSON"}: give the output of pulumi preview --json --stack <env>`,
    );
  }
  const steps = (parsed as { steps?: unknown })?.steps;
  if (!Array.isArray(steps) || steps.some((s) => typeof s?.op !== "string" || typeof s?.urn !== "string"))
    throw new PreviewFileError(
      `--preview ${file}: no steps with op and urn: give the output of pulumi preview --json --stack <env>`,
    );
  return steps as PreviewStep[];
}

/** `type::name` of a URN (`urn:pulumi:stack::project::parent$type::name`). */
const keyOf = (urn: string) => {
  const [, , qualified = "", ...name] = urn.split("::");
  return `${qualified.split("$").at(-1)}::${name.join("::")}`;
};

/**
 * The preview's steps as changes: replacements and deletes of protected or trust-carrying
 * resources are security-relevant, as are the preview's changes to trust; the rest are listed.
 */
export function previewChanges(steps: readonly PreviewStep[], base: Plan, head: Plan): Change[] {
  const resources = new Map([...base.resources, ...head.resources].map((r) => [r.key, r]));
  const changes: Change[] = [];
  for (const step of steps) {
    if (step.op === "same" || step.op === "read" || step.urn.includes("pulumi:pulumi:Stack")) continue;
    const key = keyOf(step.urn);
    const r = resources.get(key);
    const trust = r?.kind !== undefined && TRUST_KINDS.has(r.kind);
    const destructive = /replace|delete/.test(step.op);
    const properties = Object.keys(step.detailedDiff ?? {});
    changes.push({
      category: "preview",
      security: trust || (destructive && (r?.protect === true || r?.kind !== undefined)),
      subject: key.replace("::", " "),
      message: `pulumi preview: ${step.op}${step.replaceReasons?.length ? ` (replaced because ${step.replaceReasons.join(", ")} changed)` : ""}${r?.protect && destructive ? "; the plan marks it protected, so pulumi up will refuse" : ""}`,
      ...(properties.length > 0
        ? { details: properties.map((p) => `${p}: ${step.detailedDiff?.[p]?.kind ?? "changed"}`) }
        : {}),
    });
  }
  return changes;
}
