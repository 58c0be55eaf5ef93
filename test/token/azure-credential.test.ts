import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { m2mAzureCredential } from "../../src/token/azure-credential.ts";
import { createTokenSource } from "../../src/token/index.ts";
import { clientOf, startFixture } from "../fixtures/local-project.ts";

const DIRECTORY = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const IDENTITY = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

/** Entra ID in memory: answers the authority's metadata and records each token request's form. */
function fakeEntra(): HttpClient & { readonly tokenRequests: URLSearchParams[] } {
  const tokenRequests: URLSearchParams[] = [];
  const json = (request: PipelineRequest, body: unknown): PipelineResponse => ({
    request,
    status: 200,
    headers: createHttpHeaders({ "content-type": "application/json" }),
    bodyAsText: JSON.stringify(body),
  });
  const base = `https://login.microsoftonline.com/${DIRECTORY}`;
  return {
    tokenRequests,
    async sendRequest(request) {
      if (request.url.includes("openid-configuration"))
        return json(request, {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          issuer: `${base}/v2.0`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
        });
      tokenRequests.push(new URLSearchParams(String(request.body)));
      return json(request, {
        token_type: "Bearer",
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: "entra-access-token",
      });
    },
  };
}

describe("m2mAzureCredential, Entra ID's ClientAssertionCredential fed by the token source", () => {
  let local: LocalEnvironment;

  beforeAll(async () => {
    local = await startFixture();
  });
  afterAll(async () => {
    await local.close();
  });

  it("GIVEN a token source for api://AzureADTokenExchange WHEN an Entra token is asked for THEN Entra receives the workload's Auth0 token as client assertion for the identity", async () => {
    const client = clientOf(local, "globex/billing");
    const tokenSource = createTokenSource({
      issuer: local.issuer,
      clientId: client.clientId,
      credential: { method: "client_secret_post", clientSecret: client.clientSecret ?? "" },
      audience: "api://AzureADTokenExchange",
    });
    const entra = fakeEntra();
    const credential = m2mAzureCredential({
      tokenSource,
      tenantId: DIRECTORY,
      clientId: IDENTITY,
      credentialOptions: { httpClient: entra, disableInstanceDiscovery: true },
    });
    const token = await credential.getToken("https://storage.azure.com/.default");
    tokenSource.close();
    expect(token.token).toBe("entra-access-token");
    expect(entra.tokenRequests).toHaveLength(1);
    const form = entra.tokenRequests[0] ?? new URLSearchParams();
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_id")).toBe(IDENTITY);
    expect(form.get("scope")).toContain("https://storage.azure.com/.default");
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    expect(decodeJwt(form.get("client_assertion") ?? "")).toMatchObject({
      sub: `${client.clientId}@clients`,
      aud: "api://AzureADTokenExchange",
      iss: local.issuer,
    });
  });

  it("GIVEN a token source for another audience WHEN the credential is made THEN it is refused, naming the audience Entra accepts", () => {
    const tokenSource = createTokenSource({
      issuer: local.issuer,
      clientId: "any",
      credential: { method: "client_secret_post", clientSecret: "x" },
      audience: "https://orders.api.acme.example",
    });
    expect(() => m2mAzureCredential({ tokenSource, tenantId: DIRECTORY, clientId: IDENTITY })).toThrow(
      /Entra ID accepts only tokens for api:\/\/AzureADTokenExchange/,
    );
  });
});
