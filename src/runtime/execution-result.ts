/** What one execution of the trigger reports: its outcome, logs and the rules of Auth0's that applied. */

import type { DenyCode } from "../../actions/types/credentials-exchange.ts";

/** The deny codes Auth0 accepts; any other is an error here (UNCONFIRMED.denyCode). */
export const DENY_CODES: ReadonlySet<DenyCode> = new Set([
  "invalid_scope",
  "invalid_request",
  "server_error",
]);

/** A trigger execution must finish within 20 s. */
export const EXECUTION_LIMIT_MS = 20_000;

/** Auth0 keeps the first 256 characters of each Action's console output. */
export const CONSOLE_LIMIT_CHARS = 256;

/** A rule of Auth0's that changed the outcome or the token, reported so a test can assert on it. */
export interface Diagnostic {
  readonly rule:
    | "restricted-claim"
    | "forbidden-namespace"
    | "auth0-api-claim"
    | "claims-size"
    | "console-truncated"
    | "execution-limit"
    | "handler-threw"
    | "scope-outside-grant";
  /** The Action that triggered it. */
  readonly action: string;
  readonly message: string;
}

/** One Action's console output as Auth0 keeps it. */
export interface ActionLog {
  readonly action: string;
  /** At most 256 characters, lines joined with `\n`. */
  readonly output: string;
  /** Whether characters were cut. */
  readonly truncated: boolean;
}

/** The outcome of one execution of the trigger's Actions. */
export interface ExecutionResult {
  /** `issued`: a token would be issued; `denied`: an Action denied it; `failed`: server error. */
  readonly outcome: "issued" | "denied" | "failed";
  /** The custom claims the token would carry. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The token's final scopes: the target scopes intersected with the grant. */
  readonly scopes: readonly string[];
  /** The first deny: which Action, its code and reason. */
  readonly denied?: { readonly action: string; readonly code: DenyCode; readonly reason: string | undefined };
  /** The server error the token endpoint would return (UNCONFIRMED.thrownHandlerResponse). */
  readonly failure?: {
    readonly action: string;
    readonly status: 500;
    readonly error: "server_error";
    readonly error_description: string;
  };
  /** The Actions that ran, in order. */
  readonly executed: readonly string[];
  /** Each Action's console output, in the order they ran; none for an Action that streams its console (LoadOptions.console). */
  readonly logs: readonly ActionLog[];
  readonly diagnostics: readonly Diagnostic[];
}
