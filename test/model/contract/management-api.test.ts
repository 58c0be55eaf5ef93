import { describe, expect, it } from "vitest";
import { isAuth0ApiAudience, managementApiAudience } from "../../../src/model/contract/management-api.ts";

const DOMAIN = "acme-test.eu.auth0.com";

describe("isAuth0ApiAudience", () => {
  for (const path of ["/api", "/api/", "/api/v2", "/api/v2/", "/mfa", "/mfa/"]) {
    for (const host of [DOMAIN, "acme-test.eu.auth0app.com"]) {
      it(`GIVEN https://${host}${path} WHEN checked THEN it is one of Auth0's own APIs`, () => {
        expect(isAuth0ApiAudience(`https://${host}${path}`, DOMAIN)).toBe(true);
      });
    }
  }

  it("GIVEN the Management API audience this project derives WHEN checked THEN it is one of Auth0's own APIs", () => {
    expect(isAuth0ApiAudience(managementApiAudience(DOMAIN), DOMAIN)).toBe(true);
  });

  for (const audience of [
    `https://${DOMAIN}/userinfo`,
    `https://${DOMAIN}/api/v3/`,
    `https://${DOMAIN}/apis`,
    `http://${DOMAIN}/api/v2/`,
    `https://${DOMAIN}/api/v2/?x=1`,
    "https://other-tenant.eu.auth0.com/api/v2/",
    "https://orders.api.acme.example",
    "orders",
  ]) {
    it(`GIVEN ${audience} WHEN checked THEN it is not one of the tenant's Auth0 APIs`, () => {
      expect(isAuth0ApiAudience(audience, DOMAIN)).toBe(false);
    });
  }
});
