/**
 * The Actions this project ships, by name: each is `actions/{name}.ts`, deployed as
 * `m2m-{name}` and bound to the credentials-exchange trigger where the model's binding list
 * says. A test keeps this list equal to the files in actions/.
 */
export const PROJECT_ACTIONS = ["tenant-claims"] as const;
export type ProjectAction = (typeof PROJECT_ACTIONS)[number];

/**
 * The Action that must be the last binding of the trigger: it sets the tenant claims and the
 * AWS session-tags claim, and an Action bound after it could overwrite them.
 */
export const LAST_BOUND_ACTION: ProjectAction = "tenant-claims";

/** The name an Action of this project has in the Auth0 tenant. */
export function deployedActionName(action: ProjectAction): string {
  return `m2m-${action}`;
}

/** The trigger every project Action is built for. */
export const CREDENTIALS_EXCHANGE_TRIGGER = { id: "credentials-exchange", version: "v2" } as const;

/** The Actions runtime the bundles target. */
export const ACTIONS_RUNTIME = "node22";
