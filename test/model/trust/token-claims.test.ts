import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import type { ApiConfig } from "../../../src/model/environment/schema.ts";
import { auth0TokenClaims } from "../../../src/model/trust/token-claims.ts";
import { validEnvironment } from "../../fixtures/environment.ts";

const env = parseEnvironment(validEnvironment(), "test");
const orders = env.apis.find((a) => a.key === "orders");
if (!orders) throw new Error("fixture has the orders API");
const request = (tokenDialect: ApiConfig["tokenDialect"]) => ({
  tenantId: "globex",
  workload: "billing",
  clientId: "globexbilling",
  api: { ...orders, tokenDialect },
  scopes: ["orders:read"],
  iat: 1_000,
  jti: "jti-1",
});

describe("auth0TokenClaims", () => {
  it("GIVEN the Auth0 token dialect WHEN the claims are built THEN they carry azp and gty client-credentials, no client_id or jti", () => {
    const claims = auth0TokenClaims(env, request("access_token"));
    expect(claims).toMatchObject({ azp: "globexbilling", gty: "client-credentials" });
    expect(claims).not.toHaveProperty("client_id");
    expect(claims).not.toHaveProperty("jti");
  });

  for (const dialect of ["rfc9068_profile", "rfc9068_profile_authz"] as const) {
    it(`GIVEN the ${dialect} dialect WHEN the claims are built THEN they carry client_id and jti and neither azp nor gty`, () => {
      const claims = auth0TokenClaims(env, request(dialect));
      expect(claims).toMatchObject({ client_id: "globexbilling", jti: "jti-1", scope: "orders:read" });
      expect(claims).not.toHaveProperty("azp");
      expect(claims).not.toHaveProperty("gty");
    });
  }
});
