import { Action } from "@pulumi/auth0/action";
import type { Provider } from "@pulumi/auth0/provider";
import { TriggerActions } from "@pulumi/auth0/triggerActions";
import * as pulumi from "@pulumi/pulumi";
import { actionConstants, bundleAction } from "../../src/bundle/action-bundle.ts";
import { triggerBindings } from "../../src/model/environment/bindings.ts";
import type { Environment } from "../../src/model/environment/environment.ts";
import {
  ACTIONS_RUNTIME,
  CREDENTIALS_EXCHANGE_TRIGGER,
  deployedActionName,
  PROJECT_ACTIONS,
  type ProjectAction,
} from "../../src/model/environment/project-actions.ts";
import { optionsFor } from "../options.ts";

/** Arguments of the CredentialsExchange component. */
export interface CredentialsExchangeArgs {
  readonly env: Environment;
  readonly provider: Provider;
}

/**
 * This project's Actions, bundled and deployed (runtime node22, trigger credentials-exchange
 * v2), and the trigger's whole binding list. TriggerActions replaces whatever is bound, so the
 * list is the model's: this project's Actions and other teams' (by id), in the model's order.
 */
export class CredentialsExchange extends pulumi.ComponentResource {
  /** The binding list; grants wait for it. */
  readonly binding: TriggerActions;
  readonly actions: ReadonlyMap<ProjectAction, Action>;

  constructor(name: string, args: CredentialsExchangeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:auth0:CredentialsExchange", name, {}, opts);
    const { env, provider } = args;
    const base = { parent: this, provider };
    const actions = new Map<ProjectAction, Action>();
    for (const action of PROJECT_ACTIONS) {
      const bundle = bundleAction(action, actionConstants(env));
      actions.set(
        action,
        new Action(
          action,
          {
            name: deployedActionName(action),
            code: bundle.code,
            runtime: ACTIONS_RUNTIME,
            deploy: true,
            supportedTriggers: { ...CREDENTIALS_EXCHANGE_TRIGGER },
          },
          optionsFor("action", env, base),
        ),
      );
    }
    this.actions = actions;
    this.binding = new TriggerActions(
      CREDENTIALS_EXCHANGE_TRIGGER.id,
      {
        trigger: CREDENTIALS_EXCHANGE_TRIGGER.id,
        actions: triggerBindings(env).map((b) => {
          if (b.kind === "external") return { id: b.id, displayName: b.displayName };
          const deployed = actions.get(b.action);
          if (!deployed) throw new Error(`Action ${b.action} was not deployed`);
          return { id: deployed.id, displayName: deployed.name };
        }),
      },
      optionsFor("triggerBinding", env, base, { action: [...actions.values()] }),
    );
    this.registerOutputs({});
  }
}
