import { type LoadedAction, loadAction } from "../runtime/action-module.ts";

/**
 * Loads an Action as the local issuer runs it: each console line it writes is printed on the
 * issuer's stderr as it comes, after its name and with its secrets redacted, as Auth0 shows
 * them in its real-time logs. The tenant's executions keep no logs, so the issuer tracks no
 * async context while Actions run.
 */
export function localAction(name: string, code: string): LoadedAction {
  return loadAction(
    { name, code },
    { console: (line) => console.error(`m2m local issuer: Action ${name}: ${line}`) },
  );
}
