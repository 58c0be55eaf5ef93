import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeysUnavailableError, readJwt, TokenInputError } from "../../src/verify/token-input.ts";

const SECRET = "s3cr3t-Zq9x";

describe("a JWT's keys from a JWKS URL: keys that cannot be had are not a bad signature", () => {
  let server: Server;
  let base = "";
  let closed = "";
  let jwt = "";
  let jwks: unknown;
  let otherJwks: unknown;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const other = await generateKeyPair("RS256");
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] };
    otherJwks = { keys: [{ ...(await exportJWK(other.publicKey)), kid: "k1", alg: "RS256" }] };
    jwt = await new SignJWT({ sub: "x@clients" })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    server = createServer((request, response) => {
      const answers: Record<string, [number, string]> = {
        "/jwks.json": [200, JSON.stringify(jwks)],
        "/other.json": [200, JSON.stringify(otherJwks)],
        "/down.json": [503, "unavailable"],
        "/html.json": [200, `<html>${SECRET}</html>`],
        "/object.json": [200, JSON.stringify({ secret: SECRET })],
      };
      const [status, body] = answers[request.url ?? ""] ?? [404, "not found"];
      response.writeHead(status, { "content-type": "application/json" }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port the system handed out and that was closed again: nothing listens there.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, "127.0.0.1", resolve));
    closed = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/jwks.json`;
    await new Promise((resolve) => gone.close(resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** The error reading the token with keys from `url`, or undefined when it verifies. */
  async function errorFrom(url: string): Promise<Error | undefined> {
    try {
      await readJwt(jwt, { kind: "jwks-url", url });
      return undefined;
    } catch (error) {
      return error as Error;
    }
  }

  it("GIVEN the issuer's JWKS at the URL WHEN the token is read THEN its signature verifies", async () => {
    expect(await errorFrom(`${base}/jwks.json`)).toBeUndefined();
  });

  it("GIVEN a JWKS URL nothing listens on WHEN the token is read THEN it cannot fetch the issuer's keys, saying why, and says nothing of the signature", async () => {
    const error = await errorFrom(closed);
    expect(error).toBeInstanceOf(KeysUnavailableError);
    expect(error?.message).toMatch(
      new RegExp(`^cannot fetch the issuer's keys from ${closed.replaceAll(".", "\\.")}: ECONNREFUSED`),
    );
    expect(error?.message).not.toMatch(/signature/);
  });

  it("GIVEN a JWKS URL answering 503 WHEN the token is read THEN it cannot fetch the keys: HTTP 503", async () => {
    const error = await errorFrom(`${base}/down.json`);
    expect(error).toBeInstanceOf(KeysUnavailableError);
    expect(error?.message).toBe(
      `cannot fetch the issuer's keys from ${base}/down.json: HTTP 503 Service Unavailable`,
    );
  });

  it("GIVEN a JWKS URL answering something that is not JSON WHEN the token is read THEN it says where it stops being JSON, never the answer's text", async () => {
    const error = await errorFrom(`${base}/html.json`);
    expect(error).toBeInstanceOf(KeysUnavailableError);
    expect(error?.message).toBe(
      `cannot fetch the issuer's keys from ${base}/html.json: the answer is not JSON: line 1, column 1: expected a JSON value (an object, array, string, number, true, false or null)`,
    );
    expect(error?.message).not.toContain(SECRET);
  });

  it("GIVEN a JWKS URL answering JSON that is no JWKS WHEN the token is read THEN it says so", async () => {
    const error = await errorFrom(`${base}/object.json`);
    expect(error).toBeInstanceOf(KeysUnavailableError);
    expect(error?.message).toBe(
      `cannot fetch the issuer's keys from ${base}/object.json: the answer is not a JWKS (expected an object with a "keys" list of keys)`,
    );
  });

  it("GIVEN a JWKS holding another key WHEN the token is read THEN that is a bad signature, exit 2's other reason", async () => {
    const error = await errorFrom(`${base}/other.json`);
    expect(error).toBeInstanceOf(TokenInputError);
    expect(error).not.toBeInstanceOf(KeysUnavailableError);
    expect(error?.message).toMatch(
      new RegExp(
        `^the token's signature does not verify against ${base.replaceAll(".", "\\.")}/other\\.json`,
      ),
    );
  });
});
