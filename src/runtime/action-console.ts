import type { LoadedAction } from "./action-module.ts";
import { type ActionLog, CONSOLE_LIMIT_CHARS, type Diagnostic } from "./execution-result.ts";

/**
 * What replaces the values of the Actions' secrets in text the runtime reports (errors, logs):
 * secrets never appear in logs or test output, whatever an Action prints or throws. Each is
 * found as written and as JSON writes it inside a string (an object printed with a secret that
 * holds a quote or a backslash); the longest go first, so a secret that contains a shorter one
 * is replaced whole. Values under 4 characters are left, as they would match ordinary text.
 */
export function secretRedactor(actions: readonly Pick<LoadedAction, "secrets">[]): (text: string) => string {
  const forms = new Set<string>();
  for (const action of actions) {
    for (const value of Object.values(action.secrets)) {
      if (value.length < 4) continue;
      forms.add(value);
      forms.add(JSON.stringify(value).slice(1, -1));
    }
  }
  const longestFirst = [...forms].sort((a, b) => b.length - a.length);
  return (text) => longestFirst.reduce((out, form) => out.split(form).join("[redacted secret]"), text);
}

export function keptLog(
  action: string,
  lines: readonly string[],
  actions: readonly LoadedAction[],
  diagnostics: Diagnostic[],
): ActionLog {
  if (lines.length === 0) return { action, output: "", truncated: false };
  const full = secretRedactor(actions)(lines.join("\n"));
  const truncated = full.length > CONSOLE_LIMIT_CHARS;
  if (truncated) {
    diagnostics.push({
      rule: "console-truncated",
      action,
      message: `console output of ${full.length} characters cut to Auth0's ${CONSOLE_LIMIT_CHARS}`,
    });
  }
  return { action, output: truncated ? full.slice(0, CONSOLE_LIMIT_CHARS) : full, truncated };
}
