import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OnExecuteCredentialsExchange } from "../../actions/types/credentials-exchange.ts";
import { bundleAction } from "../../src/actions/bundle.ts";
import { CLIENT_METADATA_KEYS, MANAGED_BY_VALUE } from "../../src/model/claims.ts";
import { isTenantId } from "../../src/model/tenant-id.ts";
import { execute, loadBundle, minimalEvent } from "../support/minimal-action-api.ts";

const NAMESPACE = "https://claims.acme.example/";
const TENANT_CLAIM = `${NAMESPACE}tenant_id`;
const WORKLOAD_CLAIM = `${NAMESPACE}workload`;
const MANAGEMENT_AUDIENCE = "https://acme-test.eu.auth0.com/api/v2/";
const handler = loadBundle(
  bundleAction("tenant-claims", { claimNamespace: NAMESPACE, managementAudience: MANAGEMENT_AUDIENCE }).code,
).onExecuteCredentialsExchange as OnExecuteCredentialsExchange;

const managed = (tenantId?: string, workload?: string): Record<string, string> => ({
  [CLIENT_METADATA_KEYS.managedBy]: MANAGED_BY_VALUE,
  ...(tenantId === undefined ? {} : { tenant_id: tenantId }),
  ...(workload === undefined ? {} : { workload }),
});

describe("tenant-claims (the deployed bundle)", () => {
  describe("GIVEN a managed client with valid metadata", () => {
    it("WHEN it requests a token THEN the token gets exactly its tenant and workload claims", async () => {
      const outcome = await execute(handler, minimalEvent(managed("globex", "billing")));
      expect(outcome).toEqual({
        claims: { [TENANT_CLAIM]: "globex", [WORKLOAD_CLAIM]: "billing" },
        denied: undefined,
      });
    });

    it("WHEN the request body, scopes and metadata-like fields name another tenant THEN the claim is still its own", async () => {
      const event = minimalEvent(managed("globex", "billing"), {
        body: { tenant_id: "initech", [TENANT_CLAIM]: "initech", workload: "x" },
        scope: ["tenant:initech"],
      });
      expect((await execute(handler, event)).claims).toEqual({
        [TENANT_CLAIM]: "globex",
        [WORKLOAD_CLAIM]: "billing",
      });
    });
  });

  describe("GIVEN a managed client with missing or malformed metadata", () => {
    const cases: [string, Record<string, string>][] = [
      ["no tenant_id", managed(undefined, "billing")],
      ["an empty tenant_id", managed("", "billing")],
      ["a tenant_id with uppercase", managed("Globex", "billing")],
      ["a tenant_id with a claim-injection attempt", managed('globex","x":"y', "billing")],
      ["a tenant_id too long", managed("a".repeat(21), "billing")],
      ["no workload", managed("globex")],
      ["a malformed workload", managed("globex", "-billing")],
    ];
    for (const [name, metadata] of cases) {
      it(`WHEN it has ${name} THEN the token is denied with invalid_request and gets no claim`, async () => {
        const outcome = await execute(handler, minimalEvent(metadata));
        expect(outcome.denied).toEqual({
          code: "invalid_request",
          reason: expect.stringMatching(/missing or malformed/),
        });
        expect(outcome.claims).toEqual({});
      });
    }

    it("WHEN fast-check generates 1,000 malformed tenant ids THEN every one is denied", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 30 }).filter((s) => !isTenantId(s)),
          async (tenantId) => {
            const outcome = await execute(handler, minimalEvent(managed(tenantId, "billing")));
            expect(outcome.denied?.code).toBe("invalid_request");
            expect(outcome.claims).toEqual({});
          },
        ),
        { numRuns: 1_000 },
      );
    });
  });

  describe("GIVEN a client this tool does not manage", () => {
    for (const [name, metadata] of [
      ["no metadata", {}],
      ["another tool's marker", { managed_by: "terraform", tenant_id: "globex", workload: "billing" }],
      ["tenant metadata but no marker", { tenant_id: "globex", workload: "billing" }],
    ] as [string, Record<string, string>][]) {
      it(`WHEN it has ${name} THEN its token passes untouched`, async () => {
        expect(await execute(handler, minimalEvent(metadata))).toEqual({ claims: {}, denied: undefined });
      });
    }
  });

  describe("GIVEN a token for the Management API", () => {
    it("WHEN even a managed client with broken metadata asks THEN it is never denied", async () => {
      const event = minimalEvent(managed(undefined, undefined), { audience: MANAGEMENT_AUDIENCE });
      expect(await execute(handler, event)).toEqual({ claims: {}, denied: undefined });
    });

    it("WHEN an API merely looks like a Management API (another host's /api/v2/) THEN the Action still fails closed", async () => {
      for (const audience of [
        "https://orders.acme.example/api/v2/",
        "https://other-tenant.eu.auth0.com/api/v2/",
      ]) {
        const event = minimalEvent(managed(undefined, undefined), { audience });
        expect((await execute(handler, event)).denied?.code).toBe("invalid_request");
      }
    });
  });

  describe("GIVEN the Action built without a namespace", () => {
    it("WHEN a managed client asks THEN it fails closed with server_error", async () => {
      const blank = loadBundle(
        bundleAction("tenant-claims", { claimNamespace: "", managementAudience: MANAGEMENT_AUDIENCE }).code,
      ).onExecuteCredentialsExchange as OnExecuteCredentialsExchange;
      const outcome = await execute(blank, minimalEvent(managed("globex", "billing")));
      expect(outcome).toEqual({ claims: {}, denied: { code: "server_error", reason: expect.any(String) } });
    });
  });
});
