import type { CredentialsExchangeEvent } from "../../actions/types/credentials-exchange.ts";
import type { Diagnostic, ExecutionResult } from "./execution-result.ts";

/** What the Actions of one execution have done so far. */
export class ExecutionState {
  readonly claims: Record<string, unknown>;
  /** Bytes of each kept claim (name and JSON value), for the 100 kB limit, and their sum. */
  readonly claimBytes = new Map<string, number>();
  claimBytesTotal = 0;
  /** The target scope set, in insertion order, without repeats. */
  target: string[];
  /** What `event.transaction.target_scopes` shows until the target set changes again. */
  #targetView: readonly string[] | undefined;
  denied: ExecutionResult["denied"];
  readonly diagnostics: Diagnostic[] = [];

  constructor(claims: Record<string, unknown>, target: string[]) {
    this.claims = claims;
    this.target = target;
  }

  /** The live target scopes as Actions read them: a frozen snapshot until the set changes. */
  targetView(): readonly string[] {
    this.#targetView ??= Object.freeze([...this.target]);
    return this.#targetView;
  }

  retarget(scopes: string[]): void {
    this.target = scopes;
    this.#targetView = undefined;
  }
}

/**
 * `event.transaction`: its fields, and `target_scopes` as an own enumerable getter of the
 * execution's live target set. One getter serves every transaction (it finds the state in a
 * private field): a getter closed over each execution's state gives every transaction its own
 * hidden class in V8 (an accessor's function is part of it), and a WeakMap from transaction to
 * state costs several times the class per token.
 */
export class LiveTransaction implements NonNullable<CredentialsExchangeEvent["transaction"]> {
  // Set by Object.assign and defineProperty in the constructor.
  declare readonly requested_scopes: readonly string[];
  declare readonly target_scopes: readonly string[];
  readonly #state: ExecutionState;
  static readonly #targetScopes: PropertyDescriptor = {
    enumerable: true,
    get(this: LiveTransaction): readonly string[] {
      return this.#state.targetView();
    },
  };

  constructor(fields: CredentialsExchangeEvent["transaction"], state: ExecutionState) {
    Object.assign(this, fields);
    this.#state = state;
    Object.defineProperty(this, "target_scopes", LiveTransaction.#targetScopes);
    Object.freeze(this);
  }
}

/**
 * The limits of `api.transaction`'s target scopes, from the official harness's shared helpers
 * (https://github.com/auth0/auth0-actions/tree/HEAD/src/_shared, `MAX_SCOPE_LENGTH`,
 * `MAX_SCOPE_COUNT_LIMIT`).
 */
export const TARGET_SCOPE_LIMITS = { length: 280, count: 1000 } as const;

/** A scope as api.transaction takes it: trimmed; throws when it is not a valid scope. */
export function targetScope(method: string, scope: unknown): string {
  if (typeof scope !== "string") throw new TypeError(`api.transaction.${method}: a scope must be a string`);
  const trimmed = scope.trim();
  if (trimmed === "") throw new Error(`api.transaction.${method}: a scope is required`);
  if (trimmed.length > TARGET_SCOPE_LIMITS.length) {
    throw new Error(`api.transaction.${method}: a scope is at most ${TARGET_SCOPE_LIMITS.length} characters`);
  }
  if (/\s/.test(trimmed)) throw new Error(`api.transaction.${method}: a scope must not contain whitespace`);
  return trimmed;
}
