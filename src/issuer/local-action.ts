import { type LoadedAction, loadAction } from "../runtime/action-module.ts";

/**
 * Loads an Action as the local issuer runs it, with its secrets (default: none): each console
 * call it makes is printed on the issuer's stderr as it comes, every line of it after the
 * Action's name, with the Action's secrets redacted, as Auth0 shows them in its real-time logs.
 * The tenant's executions keep no logs, so the issuer tracks no async context while Actions run.
 */
export function localAction(
  name: string,
  code: string,
  secrets: Readonly<Record<string, string>> = {},
): LoadedAction {
  const prefix = `m2m local issuer: Action ${name}: `;
  return loadAction(
    { name, code, secrets },
    // Every line prefixed: an Action's output cannot pass for the issuer's own.
    { console: (text) => console.error(prefix + text.split(/\r\n|\r|\n/).join(`\n${prefix}`)) },
  );
}
