import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { Agent as HttpsAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { AuthClient } from "@auth0/auth0-auth-js";
import express from "express";
import { auth } from "express-oauth2-jwt-bearer";
import { createRemoteJWKSet, customFetch, jwtVerify, SignJWT } from "jose";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { ANALYTICS_KEY, clientOf, secretPostBody, startFixture } from "../fixtures/local-project.ts";

const ORDERS = "https://orders.api.acme.example";
const NS = "https://claims.acme.example/";
let local: LocalEnvironment;
let trustingFetch: typeof fetch;

beforeAll(async () => {
  local = await startFixture({ https: true });
  // NODE_EXTRA_CA_CERTS is read only at process start: hand the certificate to the client instead.
  const dispatcher = new Agent({ connect: { ca: local.certificate } });
  trustingFetch = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as typeof fetch;
});
afterAll(() => local.close());

const domain = () => new URL(local.issuer).host;

describe("real clients against the local issuer over HTTPS", () => {
  it("GIVEN Auth0's AuthClient with a client secret WHEN it gets a token by client credentials THEN the token carries the tenant claims", async () => {
    const client = clientOf(local, "globex/billing");
    const authClient = new AuthClient({
      domain: domain(),
      clientId: client.clientId,
      clientSecret: client.clientSecret ?? "",
      customFetch: trustingFetch,
    });
    const token = await authClient.getTokenByClientCredentials({ audience: ORDERS });
    const jwks = createRemoteJWKSet(new URL(`${local.issuer}.well-known/jwks.json`), {
      [customFetch]: trustingFetch,
    });
    const { payload } = await jwtVerify(token.accessToken, jwks, { issuer: local.issuer, audience: ORDERS });
    expect(local.issuer).toMatch(/^https:\/\/localhost:\d+\/$/);
    expect(payload).toMatchObject({
      [`${NS}tenant_id`]: "globex",
      [`${NS}workload`]: "billing",
      gty: "client-credentials",
    });
  });

  it("GIVEN Auth0's AuthClient with a private key WHEN it gets a token THEN private_key_jwt authenticates it", async () => {
    const client = clientOf(local, "initech/analytics");
    const authClient = new AuthClient({
      domain: domain(),
      clientId: client.clientId,
      clientAssertionSigningKey: ANALYTICS_KEY.privateKey,
      clientAssertionSigningAlg: "RS256",
      customFetch: trustingFetch,
    });
    const token = await authClient.getTokenByClientCredentials({
      audience: "https://reports.api.acme.example",
    });
    const claims = JSON.parse(Buffer.from(token.accessToken.split(".")[1] ?? "", "base64url").toString());
    expect(claims).toMatchObject({
      sub: `${client.clientId}@clients`,
      [`${NS}tenant_id`]: "initech",
      [`${NS}workload`]: "analytics",
    });
  });

  describe("GIVEN an Express API protected by express-oauth2-jwt-bearer for the orders audience", () => {
    let api: ReturnType<ReturnType<typeof express>["listen"]>;
    let apiUrl: string;

    beforeAll(async () => {
      const app = express();
      app.use(
        auth({
          issuerBaseURL: local.issuer,
          audience: ORDERS,
          agent: new HttpsAgent({ ca: local.certificate }),
        }),
      );
      app.get("/orders", (request, response) => {
        response.json({ tenant: request.auth?.payload[`${NS}tenant_id`] });
      });
      await new Promise<void>((resolve) => {
        api = app.listen(0, "127.0.0.1", () => resolve());
      });
      apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/orders`;
    });
    afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

    const token = async (audience: string) => {
      const client = clientOf(local, "globex/billing");
      const response = await trustingFetch(`${local.issuer}oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(secretPostBody(client, audience)),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const call = (bearer: string) => fetch(apiUrl, { headers: { authorization: `Bearer ${bearer}` } });

    it("WHEN called with a local token for its audience THEN it answers with the tenant from the token", async () => {
      const response = await call(await token(ORDERS));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ tenant: "globex" });
    });

    it("WHEN called with a token for another audience THEN 401", async () => {
      expect((await call(await token("https://aws.m2m.acme.example"))).status).toBe(401);
    });

    it("WHEN called with an expired token THEN 401", async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({
        iss: local.issuer,
        aud: ORDERS,
        sub: "x@clients",
        iat: now - 7200,
        exp: now - 3600,
      })
        .setProtectedHeader({ alg: "RS256", kid: local.tenant.signingKey.kid })
        .sign(local.tenant.signingKey.privateKey);
      expect((await call(expired)).status).toBe(401);
    });

    it("WHEN called with a token whose signature is not the tenant's THEN 401", async () => {
      const genuine = await token(ORDERS);
      const forger = createPrivateKey(
        generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
          type: "pkcs8",
          format: "pem",
        }),
      );
      const [header, payload] = genuine.split(".");
      const forged = await new SignJWT(JSON.parse(Buffer.from(payload ?? "", "base64url").toString()))
        .setProtectedHeader(JSON.parse(Buffer.from(header ?? "", "base64url").toString()))
        .sign(forger);
      expect((await call(forged)).status).toBe(401);
      expect((await call(genuine)).status).toBe(200);
    });
  });
});
