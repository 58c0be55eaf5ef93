import type { VerifyEntry, VerifyReport } from "./verdicts.ts";

/** The report as a user reads it: a table per cloud, then why each refused own target was refused. */
export function renderReport(report: VerifyReport, header: readonly string[]): string {
  const lines = [...header];
  if (report.workload) lines.push(`Token of workload ${report.workload.tenant}/${report.workload.workload}`);
  for (const note of report.notes) lines.push(`Note: ${note}`);
  const verdict = (e: VerifyEntry) => {
    const word = e.allowed ? (e.own ? "allowed" : "ALLOWED (another workload's)") : "denied";
    const readings = e.allowedByReading
      ? `  [azp ${e.allowedByReading.azp ? "allowed" : "denied"}, aud ${e.allowedByReading.aud ? "allowed" : "denied"}]`
      : "";
    return `${word}${readings}`;
  };
  for (const [cloud, entries] of [
    ["AWS", report.aws],
    ["GCP", report.gcp],
    ["Azure", report.azure],
  ] as const) {
    if (entries.length === 0) continue;
    lines.push("", cloud);
    for (const e of entries) {
      lines.push(`  ${`${e.tenant}/${e.workload}`.padEnd(28)} ${e.target}`);
      lines.push(`    ${verdict(e)}`);
      for (const r of e.reasons) lines.push(`    - ${r}`);
      for (const r of e.reaches) lines.push(`    reaches ${r}`);
    }
  }
  if (report.aws.length + report.gcp.length + report.azure.length === 0)
    lines.push("", "No target of the stack lets this token in.");
  return lines.join("\n");
}
