import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publicKeyFingerprint, publicKeyProblem } from "../../../src/model/environment/public-key.ts";
import { rsaKeyPair } from "../../fixtures/keys.ts";

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

describe("publicKeyFingerprint", () => {
  const { publicKey, privateKey } = rsaKeyPair();
  const fingerprint = publicKeyFingerprint(publicKey);

  it("GIVEN a usable public key WHEN fingerprinted THEN it is a SHA-256 in base64url", () => {
    expect(fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("GIVEN the same key as PKCS#1, re-wrapped, on one line, after a comment, or inside a certificate WHEN fingerprinted THEN each has the key's fingerprint", () => {
    const pkcs1 = createPublicKey(publicKey).export({ type: "pkcs1", format: "pem" }).toString();
    const body = publicKey.replace(/-----[A-Z ]+-----|\s/g, "");
    const rewrapped = `-----BEGIN PUBLIC KEY-----\r\n${body.match(/.{1,76}/g)?.join("\r\n")}\r\n-----END PUBLIC KEY-----\r\n`;
    const oneLine = `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`;
    const commented = `# analytics, rotated 2026-11\n${publicKey}`;
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-cert-"));
    writeFileSync(path.join(dir, "key.pem"), privateKey);
    const certificate = execFileSync(
      "openssl",
      ["req", "-x509", "-key", path.join(dir, "key.pem"), "-days", "1", "-subj", "/CN=workload"],
      { stdio: ["ignore", "pipe", "ignore"] },
    ).toString();
    for (const pem of [pkcs1, rewrapped, oneLine, commented, certificate]) {
      expect(pem).not.toBe(publicKey);
      expect(publicKeyFingerprint(pem)).toBe(fingerprint);
    }
  });

  it("GIVEN another key WHEN fingerprinted THEN the fingerprint differs", () => {
    expect(publicKeyFingerprint(rsaKeyPair().publicKey)).not.toBe(fingerprint);
  });

  it("GIVEN a private key or text that does not parse WHEN fingerprinted THEN there is none", () => {
    expect(publicKeyFingerprint(privateKey)).toBeUndefined();
    expect(
      publicKeyFingerprint("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
    ).toBeUndefined();
  });
});
