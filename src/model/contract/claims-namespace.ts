/**
 * Hosts under which Auth0 refuses custom-claim namespaces. Used by the model (to refuse such a
 * claim namespace) and by the Actions runtime (to leave such claims out, as Auth0 does).
 */
export const FORBIDDEN_NAMESPACE_HOSTS: readonly string[] = ["auth0.com", "webtask.io", "webtask.run"];

/** The forbidden host a URL-named claim or namespace falls under, or undefined. */
export function forbiddenNamespaceHost(name: string): string | undefined {
  let host: string;
  try {
    // A trailing dot names the same host: "auth0.com." is auth0.com.
    host = new URL(name).hostname.replace(/\.$/, "").toLowerCase();
  } catch {
    return undefined;
  }
  return FORBIDDEN_NAMESPACE_HOSTS.find((h) => host === h || host.endsWith(`.${h}`));
}
