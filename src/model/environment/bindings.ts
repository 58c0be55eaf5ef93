import { PROJECT_ACTIONS, type ProjectAction } from "./project-actions.ts";
import type { EnvironmentConfig } from "./schema.ts";

/** One entry of the credentials-exchange trigger's binding list, in binding order. */
export type Binding =
  | { readonly kind: "project"; readonly action: ProjectAction }
  | { readonly kind: "external"; readonly id: string; readonly displayName: string };

const isProjectAction = (name: string): name is ProjectAction =>
  (PROJECT_ACTIONS as readonly string[]).includes(name);

/**
 * The trigger's binding list of a validated environment: this project's Actions (deployed by
 * the program, run by the local tenant) and other teams' (bound by id on the real tenant only).
 */
export function triggerBindings(env: Pick<EnvironmentConfig, "credentialsExchange">): readonly Binding[] {
  return env.credentialsExchange.bindings.map((b) => {
    if ("id" in b) return { kind: "external", id: b.id, displayName: b.displayName };
    if (!isProjectAction(b.action))
      throw new Error(`unknown Action ${b.action}: the model refuses it, so it was not validated`);
    return { kind: "project", action: b.action };
  });
}
