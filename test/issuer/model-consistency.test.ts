import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { issuedClaims } from "../../src/model/trust/token-claims.ts";
import { startFixture } from "../fixtures/local-project.ts";

let local: LocalEnvironment;
beforeAll(async () => {
  local = await startFixture();
});
afterAll(() => local.close());

describe("the model's token and the one the real Action produces", () => {
  it("GIVEN every secret-authenticated workload and every API it is granted WHEN the local issuer mints a token THEN its claims are the model's issuedClaims", async () => {
    let compared = 0;
    for (const client of local.tenant.clients.values()) {
      if (!client.clientSecret) continue;
      for (const [audience, scopes] of client.grants) {
        const response = await local.server.inject({
          method: "POST",
          url: "/oauth/token",
          headers:
            client.method === "client_secret_basic"
              ? {
                  authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
                }
              : {},
          payload: {
            grant_type: "client_credentials",
            audience,
            ...(client.method === "client_secret_post"
              ? { client_id: client.clientId, client_secret: client.clientSecret }
              : {}),
          },
        });
        expect(response.statusCode, `${client.key} -> ${audience}`).toBe(200);
        const claims = JSON.parse(
          Buffer.from(response.json().access_token.split(".")[1], "base64url").toString(),
        );
        const api = local.tenant.apis.get(audience);
        if (!api) throw new Error(`no API ${audience}`);
        expect(claims).toEqual(
          issuedClaims(local.tenant.env, {
            tenantId: client.tenantId,
            workload: client.workload,
            clientId: client.clientId,
            api,
            scopes: [...scopes],
            iat: claims.iat,
          }),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});
