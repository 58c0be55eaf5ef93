import { createHash, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";

/** Smallest RSA modulus accepted for private_key_jwt client authentication. */
export const MIN_RSA_BITS = 2048;

/** The key a PEM holds, or why it is unusable. */
function readPublicKey(pem: string): { readonly key: KeyObject } | { readonly problem: string } {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return {
      problem:
        "this is a PRIVATE key: never put it in the stack file (and rotate it now if it was committed); give its public key instead (openssl pkey -in key.pem -pubout)",
    };
  }
  const header = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.exec(pem);
  if (!header) {
    return { problem: "it is not a PEM public key or certificate (expected -----BEGIN PUBLIC KEY-----)" };
  }
  let key: KeyObject;
  try {
    key = header[1] === "CERTIFICATE" ? new X509Certificate(pem).publicKey : createPublicKey(pem);
  } catch {
    return {
      problem:
        "the PEM does not parse; paste the whole block, with its BEGIN and END lines and line breaks kept",
    };
  }
  if (key.asymmetricKeyType !== "rsa") {
    return {
      problem: `it is a ${key.asymmetricKeyType} key; Auth0 private_key_jwt takes RSA keys (RS256, RS384, PS256)`,
    };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    return { problem: `it is a ${bits}-bit RSA key; use at least ${MIN_RSA_BITS} bits` };
  return { key };
}

/**
 * Why a private_key_jwt PEM is unusable, or undefined when Auth0 would accept it: an RSA public
 * key (SPKI or PKCS#1) or X.509 certificate of at least 2048 bits. A private key is refused
 * outright: it must never sit in a stack file, where it would be committed.
 */
export function publicKeyProblem(pem: string): string | undefined {
  const read = readPublicKey(pem);
  return "problem" in read ? read.problem : undefined;
}

/**
 * The identity of the key a PEM holds, whatever its spelling: the SHA-256 of the key's SPKI DER
 * encoding, base64url. The same key as an SPKI or PKCS#1 PEM, inside any certificate, with other
 * line breaks or surrounding text has one fingerprint, so comparing fingerprints compares keys.
 * Undefined when the PEM is unusable (publicKeyProblem says why).
 */
export function publicKeyFingerprint(pem: string): string | undefined {
  const read = readPublicKey(pem);
  if ("problem" in read) return undefined;
  return createHash("sha256")
    .update(read.key.export({ type: "spki", format: "der" }))
    .digest("base64url");
}
