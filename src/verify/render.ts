import { AT_MOST } from "../model/trust/reach.ts";
import type { VerifyEntry, VerifyReport } from "./verdicts.ts";

const CLOUD_NAMES = { aws: "AWS", gcp: "GCP", azure: "Azure" } as const;

/** The report as a user reads it: a table per cloud, then why each refused own target was refused. */
export function renderReport(report: VerifyReport, header: readonly string[]): string {
  const lines = [...header];
  if (report.workload) lines.push(`Token of workload ${report.workload.tenant}/${report.workload.workload}`);
  for (const note of report.notes) lines.push(`Note: ${note}`);
  const tokens = (e: VerifyEntry) =>
    e.tenant === report.workload?.tenant && e.workload === report.workload?.workload;
  // Allowed but not own: another workload's target (a breach), or the token's workload's own in a
  // cloud whose API the token is not for (a token minted for one API that this cloud still takes).
  const allowedWord = (e: VerifyEntry, cloud: keyof typeof CLOUD_NAMES) =>
    e.own
      ? "allowed"
      : tokens(e)
        ? `ALLOWED (its own workload's, but the token is not for ${CLOUD_NAMES[cloud]}'s API)`
        : "ALLOWED (another workload's)";
  const verdict = (e: VerifyEntry, cloud: keyof typeof CLOUD_NAMES) => {
    const word = e.allowed ? allowedWord(e, cloud) : "denied";
    const readings = e.allowedByReading
      ? `  [azp ${e.allowedByReading.azp ? "allowed" : "denied"}, aud ${e.allowedByReading.aud ? "allowed" : "denied"}]`
      : "";
    return `${word}${readings}`;
  };
  for (const [cloud, entries] of [
    ["aws", report.aws],
    ["gcp", report.gcp],
    ["azure", report.azure],
  ] as const) {
    if (entries.length === 0) continue;
    lines.push("", CLOUD_NAMES[cloud]);
    for (const e of entries) {
      lines.push(`  ${`${e.tenant}/${e.workload}`.padEnd(28)} ${e.target}`);
      lines.push(`    ${verdict(e, cloud)}`);
      for (const r of e.reasons) lines.push(`    - ${r}`);
      for (const r of e.reaches)
        lines.push(r.startsWith(AT_MOST) ? `    may reach ${r}` : `    reaches ${r}`);
    }
  }
  if (report.aws.length + report.gcp.length + report.azure.length === 0)
    lines.push("", "No target of the stack lets this token in.");
  return lines.join("\n");
}
