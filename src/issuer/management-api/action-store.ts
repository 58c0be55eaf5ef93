import { randomUUID } from "node:crypto";
import { CREDENTIALS_EXCHANGE_TRIGGER } from "../../model/environment/project-actions.ts";
import type { LoadedAction } from "../../runtime/action-module.ts";
import { localAction } from "../local-action.ts";
import { createActionBody, parseBody, updateActionBody, updateBindingsBody } from "./bodies.ts";
import { MANAGEMENT_ERRORS, ManagementApiError } from "./errors.ts";
import type { ActionRecord, BindingRecord } from "./records.ts";
import type { TokenView } from "./store.ts";

/** The trigger this store runs: this project's Actions are built for it. */
const TRIGGER = CREDENTIALS_EXCHANGE_TRIGGER.id;

const now = () => new Date().toISOString();

/**
 * The local tenant's Actions and the credentials-exchange binding list, as the Management API
 * keeps them: drafts, deployed versions (loaded once, to run), and the bound order. Every change
 * to what is deployed or bound reaches the token endpoint's Actions (TokenView) at once.
 */
export class ActionStore {
  private readonly records = new Map<string, ActionRecord>();
  private bindings: BindingRecord[] = [];
  /** Loaded Actions by deployed version id. */
  private readonly loaded = new Map<string, LoadedAction>();
  /**
   * Secret values by Action id: the API returns only their names, as Auth0's does, but a
   * deployed Action gets them as `event.secrets`, and they are redacted from what it prints.
   */
  private readonly secretValues = new Map<string, Readonly<Record<string, string>>>();

  constructor(private readonly view: Pick<TokenView, "actions" | "skippedBindings">) {}

  /** Adds a deployed Action; `loaded` runs it, none for another team's known by id only. */
  seed(action: { id?: string; name: string; code: string; runtime: string }, loaded?: LoadedAction): string {
    const record = this.insertAction({
      id: action.id ?? randomUUID(),
      name: action.name,
      code: action.code,
      runtime: action.runtime,
      supported_triggers: [{ ...CREDENTIALS_EXCHANGE_TRIGGER }],
    });
    const version = this.deployVersion(record, loaded);
    return version.action_id;
  }

  /** Sets the binding list of the seeded Actions, by id, in order. */
  seedBindings(bound: readonly { actionId: string; displayName: string }[]): void {
    this.bindings = bound.map((b) => this.bindingOf(b.actionId, b.displayName));
    this.sync();
  }

  list(filter: { triggerId?: string; actionName?: string }): ActionRecord[] {
    return [...this.records.values()].filter(
      (a) =>
        (filter.triggerId === undefined || a.supported_triggers.some((t) => t.id === filter.triggerId)) &&
        (filter.actionName === undefined || a.name === filter.actionName),
    );
  }

  get(id: string): ActionRecord {
    const action = this.records.get(id);
    if (!action) throw MANAGEMENT_ERRORS.notFound("action", "inexistent_action");
    return action;
  }

  create(body: unknown): ActionRecord {
    const b = parseBody(createActionBody, body);
    if (this.list({ actionName: b.name }).length > 0)
      throw MANAGEMENT_ERRORS.conflict(`An action with the name ${b.name} already exists`);
    const id = randomUUID();
    this.keepSecrets(id, b.secrets);
    return this.insertAction({
      id,
      name: b.name,
      code: b.code,
      runtime: b.runtime ?? "node22",
      supported_triggers: b.supported_triggers,
      dependencies: b.dependencies ?? [],
      secrets: (b.secrets ?? []).map((s) => ({ name: s.name })),
    });
  }

  update(id: string, body: unknown): ActionRecord {
    const before = this.get(id);
    const b = parseBody(updateActionBody, body);
    if (b.secrets) this.keepSecrets(id, b.secrets);
    return this.insertAction({
      ...before,
      ...b,
      secrets: b.secrets ? b.secrets.map((s) => ({ name: s.name })) : before.secrets,
      all_changes_deployed: false,
    });
  }

  /** Deploys the draft: its code is what runs from now on, where the Action is bound. */
  deploy(id: string): { id: string; action_id: string; number: number; code: string; deployed: true } {
    const action = this.get(id);
    let loaded: LoadedAction;
    try {
      loaded = localAction(action.name, action.code, this.secretValues.get(id));
    } catch (error) {
      throw new ManagementApiError(
        400,
        `The action failed to build: ${(error as Error).message.slice(0, 200)}`,
        "action_build_failed",
      );
    }
    const version = this.deployVersion(action, loaded);
    this.sync();
    return version;
  }

  delete(id: string): void {
    this.get(id);
    if (this.bindings.some((b) => b.action_id === id))
      throw MANAGEMENT_ERRORS.conflict("The action is bound to a trigger: remove the binding first");
    this.records.delete(id);
    this.secretValues.delete(id);
  }

  listBindings(triggerId: string): BindingRecord[] {
    this.checkTrigger(triggerId);
    return this.bindings;
  }

  /** Replaces the trigger's whole binding list, as Auth0's PATCH does. */
  updateBindings(triggerId: string, body: unknown): BindingRecord[] {
    this.checkTrigger(triggerId);
    const b = parseBody(updateBindingsBody, body);
    const next = b.bindings.map((entry) => {
      const { type, value } = entry.ref;
      const action =
        type === "action_id"
          ? this.records.get(value)
          : type === "action_name"
            ? this.list({ actionName: value })[0]
            : this.records.get(this.bindings.find((x) => x.id === value)?.action_id ?? "");
      if (!action) throw MANAGEMENT_ERRORS.notFound("action", "inexistent_action");
      if (!action.deployed_version)
        throw MANAGEMENT_ERRORS.invalidBody(`action ${action.name} has no deployed version to bind`);
      return this.bindingOf(action.id, entry.display_name ?? action.name);
    });
    this.bindings = next;
    this.sync();
    return this.bindings;
  }

  /** The Action's secrets from now on, as given (all of them: a list replaces the last one). */
  private keepSecrets(id: string, secrets: readonly { name: string; value: string }[] | undefined): void {
    this.secretValues.set(id, Object.fromEntries((secrets ?? []).map((s) => [s.name, s.value])));
  }

  private checkTrigger(triggerId: string): void {
    if (triggerId !== TRIGGER) throw MANAGEMENT_ERRORS.notFound("trigger", "inexistent_trigger");
  }

  private bindingOf(actionId: string, displayName: string): BindingRecord {
    const at = now();
    return {
      id: randomUUID(),
      trigger_id: TRIGGER,
      display_name: displayName,
      action_id: actionId,
      created_at: at,
      updated_at: at,
    };
  }

  private insertAction(
    fields: Omit<
      ActionRecord,
      "status" | "all_changes_deployed" | "created_at" | "updated_at" | "dependencies" | "secrets"
    > &
      Partial<ActionRecord>,
  ): ActionRecord {
    const before = this.records.get(fields.id);
    const at = now();
    const record: ActionRecord = {
      dependencies: [],
      secrets: [],
      ...before,
      ...fields,
      status: "built",
      all_changes_deployed: fields.all_changes_deployed ?? false,
      created_at: before?.created_at ?? at,
      updated_at: at,
    };
    this.records.set(record.id, record);
    return record;
  }

  private deployVersion(action: ActionRecord, loaded: LoadedAction | undefined) {
    const version = {
      id: randomUUID(),
      number: (action.deployed_version?.number ?? 0) + 1,
      code: action.code,
      runtime: action.runtime,
      deployed: true as const,
      created_at: now(),
    };
    if (loaded) this.loaded.set(version.id, loaded);
    this.records.set(action.id, { ...action, deployed_version: version, all_changes_deployed: true });
    return { ...version, action_id: action.id };
  }

  /** The trigger's runnable Actions in binding order; the others are named as not run here. */
  private sync(): void {
    const runnable: LoadedAction[] = [];
    const skipped: string[] = [];
    for (const binding of this.bindings) {
      const version = this.records.get(binding.action_id)?.deployed_version;
      const loaded = version ? this.loaded.get(version.id) : undefined;
      if (loaded) runnable.push(loaded);
      else skipped.push(binding.display_name);
    }
    this.view.actions.splice(0, this.view.actions.length, ...runnable);
    this.view.skippedBindings.splice(0, this.view.skippedBindings.length, ...skipped);
  }
}
