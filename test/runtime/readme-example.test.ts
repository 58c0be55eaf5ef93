// A test of a trigger's Actions, as a user writes one (the README shows this file).

import {
  CredentialsExchangeRuntime,
  loadActionSource,
  loadProjectAction,
} from "auth0-m2m-federation/testing";
import { describe, expect, it } from "vitest";

// The Action as `pulumi up --stack dev` deploys it (bundled, with dev's namespace built in).
const tenantClaims = loadProjectAction("tenant-claims", {
  claimNamespace: "https://claims.acme.example/",
  managementAudience: "https://acme-dev.eu.auth0.com/api/v2/",
});
// Your own Action, straight from its TypeScript source, with its build-time constants.
const scopeTagger = loadActionSource("test/fixtures/actions/scope-tagger.ts", {
  constants: { LABEL: "blue" },
});

const runtime = new CredentialsExchangeRuntime({ tenantDomain: "acme-dev.eu.auth0.com" });
const globexBilling = { managed_by: "auth0-m2m-federation", tenant_id: "globex", workload: "billing" };

describe("the dev tenant's credentials-exchange trigger", () => {
  it("adds the tenant claims, then the label, and trims orders:write", async () => {
    const result = await runtime.execute([tenantClaims, scopeTagger], {
      event: { client: { metadata: globexBilling } },
      grantedScopes: ["orders:read", "orders:write"],
    });
    expect(result.outcome).toBe("issued");
    expect(result.claims).toEqual({
      "https://claims.acme.example/tenant_id": "globex",
      "https://claims.acme.example/workload": "billing",
      "https://labels.example/label": "blue",
    });
    expect(result.scopes).toEqual(["orders:read"]);
    expect(result.logs[1]?.output).toMatch(/^tagged /);
  });

  it("denies a managed client whose metadata lost its tenant, and runs nothing after it", async () => {
    const result = await runtime.execute([tenantClaims, scopeTagger], {
      event: { client: { metadata: { managed_by: "auth0-m2m-federation", workload: "billing" } } },
    });
    expect(result.outcome).toBe("denied");
    expect(result.denied?.code).toBe("invalid_request");
    expect(result.executed).toEqual(["tenant-claims"]);
  });
});
