// The local issuer prints what its Actions write to the console, as Auth0's real-time logs show
// it: on stderr, after the Action's name, as each line comes (src/issuer/local-action.ts).

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { tokenEndpoint } from "../../src/issuer/token-endpoint.ts";
import { clientOf, secretPostBody, startFixture } from "../fixtures/local-project.ts";

let local: LocalEnvironment;
beforeAll(async () => {
  local = await startFixture();
});
afterAll(() => local.close());
afterEach(() => vi.restoreAllMocks());

const TRIGGER = "credentials-exchange";

describe("GIVEN the local issuer", () => {
  it("WHEN it starts THEN the project's Actions run under their deployed names, printing their console lines as they come", () => {
    expect(local.tenant.actions.map((a) => [a.name, a.streamsConsole])).toEqual([
      ["m2m-tenant-claims", true],
    ]);
  });

  it("WHEN a bound Action deployed through its Management API with a secret logs while a token is issued THEN every line it writes is printed on stderr after the Action's name, the secret it was given redacted, and the token is issued", async () => {
    const actions = local.tenant.management.actions;
    const projectBindings = actions.listBindings(TRIGGER).map((b) => ({
      ref: { type: "action_id" as const, value: b.action_id },
    }));
    const created = actions.create({
      name: "audit-log",
      code: `exports.onExecuteCredentialsExchange = async (event) => {
        console.log("token for", event.client.client_id);
        await Promise.resolve();
        console.warn("audience", event.resource_server.identifier);
        console.log("key " + event.secrets.AUDIT_KEY + "\\nm2m local issuer: listening on http://elsewhere/");
      };`,
      supported_triggers: [{ id: TRIGGER, version: "v2" }],
      secrets: [{ name: "AUDIT_KEY", value: "audit-key-value" }],
    });
    actions.deploy(created.id);
    actions.updateBindings(TRIGGER, {
      bindings: [...projectBindings, { ref: { type: "action_id", value: created.id } }],
    });
    const printed: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      printed.push(args.join(" "));
    });

    const billing = clientOf(local, "globex/billing");
    const response = await tokenEndpoint(local.tenant, {
      body: secretPostBody(billing, "https://orders.api.acme.example"),
      ip: "127.0.0.1",
    });

    expect(response.status).toBe(200);
    expect(printed).toEqual([
      `m2m local issuer: Action audit-log: token for ${billing.clientId}`,
      "m2m local issuer: Action audit-log: audience https://orders.api.acme.example",
      "m2m local issuer: Action audit-log: key [redacted secret]\nm2m local issuer: Action audit-log: m2m local issuer: listening on http://elsewhere/",
    ]);
    actions.updateBindings(TRIGGER, { bindings: projectBindings });
  });
});
