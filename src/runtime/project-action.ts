import { type ActionConstants, bundleAction } from "../bundle/action-bundle.ts";
import type { ProjectAction } from "../model/environment/project-actions.ts";
import { type LoadedAction, loadAction } from "./action-module.ts";

/** Loads one of this project's Actions exactly as `pulumi up` deploys it for `constants`. */
export function loadProjectAction(action: ProjectAction, constants: ActionConstants): LoadedAction {
  return loadAction({ name: action, code: bundleAction(action, constants).code });
}
