import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readClientCredential, TokenCredentialError } from "../../src/token/index.ts";

const folder = mkdtempSync(path.join(tmpdir(), "m2m-credential-"));
const fileWith = (name: string, text: string) => {
  const file = path.join(folder, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};

describe("readClientCredential", () => {
  it("GIVEN a secret in a file with a trailing newline WHEN read THEN the secret alone is the credential", () => {
    const file = fileWith("secret", "abc-123_XYZ\n");
    expect(readClientCredential("client_secret_basic", { file })).toEqual({
      method: "client_secret_basic",
      clientSecret: "abc-123_XYZ",
    });
  });

  it("GIVEN a secret in an environment variable WHEN read THEN it is the credential", () => {
    expect(
      readClientCredential("client_secret_post", { env: "MY_SECRET" }, { env: { MY_SECRET: "s" } }),
    ).toEqual({
      method: "client_secret_post",
      clientSecret: "s",
    });
  });

  it("GIVEN a PKCS#1 private key file and PS256 WHEN read THEN it is a private_key_jwt credential", () => {
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const file = fileWith("key.pem", privateKey);
    expect(readClientCredential("private_key_jwt", { file }, { algorithm: "PS256" })).toEqual({
      method: "private_key_jwt",
      privateKey: privateKey.replace(/\n$/, ""),
      algorithm: "PS256",
    });
  });

  it.each([
    [
      "an unset variable",
      "client_secret_post",
      { env: "M2M_NOT_SET" },
      "environment variable M2M_NOT_SET is not set: it must hold the workload's client secret",
    ],
    [
      "a missing file",
      "private_key_jwt",
      { file: "/nonexistent/key.pem" },
      "cannot read the private key from file /nonexistent/key.pem (ENOENT): put it there, readable by this user only",
    ],
    [
      "a secret with a space inside",
      "client_secret_post",
      { env: "SPACED" },
      "environment variable SPACED holds whitespace inside the client secret: give the secret alone",
    ],
    [
      "a file that is no key",
      "private_key_jwt",
      { env: "NOT_A_KEY" },
      "the private key is not an RSA private key in PEM (PKCS#8 or PKCS#1): give the key whose public half is registered on the application",
    ],
  ] as const)(
    "GIVEN %s WHEN read THEN it is refused with what to fix, never quoting the value",
    (_what, method, source, message) => {
      const env = { SPACED: "abc def-SECRET", NOT_A_KEY: "not-a-key-SECRET" };
      const read = () => readClientCredential(method, source, { env });
      expect(read).toThrow(TokenCredentialError);
      expect(read).toThrow(message);
      expect(read).not.toThrow(/SECRET/);
    },
  );
});
