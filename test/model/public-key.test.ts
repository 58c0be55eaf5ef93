import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publicKeyProblem } from "../../src/model/public-key.ts";
import { rsaKeyPair } from "../fixtures/keys.ts";

describe("publicKeyProblem", () => {
  it("GIVEN a 2048-bit RSA SPKI public key WHEN checked THEN it is accepted", () => {
    expect(publicKeyProblem(rsaKeyPair().publicKey)).toBeUndefined();
  });

  it("GIVEN a PKCS#1 RSA public key WHEN checked THEN it is accepted", () => {
    const { publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "pkcs1", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    expect(publicKey).toMatch(/BEGIN RSA PUBLIC KEY/);
    expect(publicKeyProblem(publicKey)).toBeUndefined();
  });

  it("GIVEN a self-signed X.509 certificate WHEN checked THEN it is accepted", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-cert-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=workload",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    expect(publicKeyProblem(readFileSync(path.join(dir, "cert.pem"), "utf8"))).toBeUndefined();
  });

  it("GIVEN an EC key WHEN checked THEN it is refused as not RSA", () => {
    const { publicKey } = generateKeyPairSync("ec", {
      namedCurve: "P-256",
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    expect(publicKeyProblem(publicKey)).toMatch(/ec key; Auth0 private_key_jwt takes RSA/);
  });

  it("GIVEN a private key WHEN checked THEN it is refused, telling to rotate it and give the public key", () => {
    expect(publicKeyProblem(rsaKeyPair().privateKey)).toMatch(/PRIVATE key.*rotate.*public key/);
  });

  it("GIVEN text that is no PEM WHEN checked THEN the problem says what was expected", () => {
    expect(publicKeyProblem("ssh-rsa AAAAB3Nza...")).toMatch(/expected -----BEGIN PUBLIC KEY-----/);
  });
});
