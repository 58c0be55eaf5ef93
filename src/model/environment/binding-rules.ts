import type { EnvironmentIssue } from "./errors.ts";
import { ACTIONS_PER_TRIGGER } from "./limits.ts";
import { LAST_BOUND_ACTION, PROJECT_ACTIONS } from "./project-actions.ts";
import { duplicates, type Rule, type RuleCheck } from "./rule.ts";

const bindings: RuleCheck = ({ credentialsExchange }) => {
  const issues: EnvironmentIssue[] = [];
  const list = credentialsExchange.bindings;
  const known: readonly string[] = PROJECT_ACTIONS;
  list.forEach((b, i) => {
    if ("action" in b && !known.includes(b.action)) {
      issues.push({
        path: `credentialsExchange.bindings[${i}].action`,
        message: `"${b.action}" is not one of this project's Actions (${known.join(", ")}); bind another team's Action by its {id, displayName}`,
      });
    }
  });
  for (const [i, name] of duplicates(
    list.filter((b) => "action" in b),
    (b) => ("action" in b ? b.action : ""),
  )) {
    issues.push({
      path: "credentialsExchange.bindings",
      message: `Action "${name}" is bound twice (binding ${i + 1} of this project's): bind it once`,
    });
  }
  for (const [i, id] of duplicates(
    list.filter((b) => "id" in b),
    (b) => ("id" in b ? b.id : ""),
  )) {
    issues.push({
      path: "credentialsExchange.bindings",
      message: `external Action id "${id}" is bound twice (external binding ${i + 1}): bind it once`,
    });
  }
  for (const action of known) {
    if (!list.some((b) => "action" in b && b.action === action)) {
      issues.push({
        path: "credentialsExchange.bindings",
        message: `this project's Action "${action}" is not bound, so tokens would lack tenant claims: add {action: ${action}}`,
      });
    }
  }
  const last = list.findLastIndex((b) => "action" in b && b.action === LAST_BOUND_ACTION);
  if (last !== -1 && last < list.length - 1) {
    const after = list
      .slice(last + 1)
      .map((b) => ("action" in b ? `"${b.action}"` : `"${b.displayName}" (${b.id})`));
    issues.push({
      path: `credentialsExchange.bindings[${last}]`,
      message: `"${LAST_BOUND_ACTION}" must be the last binding, but ${after.join(", ")} ${after.length > 1 ? "run" : "runs"} after it and could overwrite the tenant claims and the AWS session-tags claim it sets: move {action: ${LAST_BOUND_ACTION}} to the end of the list`,
    });
  }
  if (list.length > ACTIONS_PER_TRIGGER) {
    issues.push({
      path: "credentialsExchange.bindings",
      message: `Auth0 binds at most ${ACTIONS_PER_TRIGGER} Actions to a trigger; this list has ${list.length}`,
    });
  }
  return issues;
};

/** The credentials-exchange binding list: known Actions, ours last, Auth0's per-trigger limit. */
export const BINDINGS_RULE: Rule = { check: bindings, reads: ["credentialsExchange"] };
