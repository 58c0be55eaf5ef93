import { createPublicKey, X509Certificate } from "node:crypto";

/** Smallest RSA modulus accepted for private_key_jwt client authentication. */
export const MIN_RSA_BITS = 2048;

/**
 * Why a private_key_jwt PEM is unusable, or undefined when Auth0 would accept it: an RSA public
 * key (SPKI or PKCS#1) or X.509 certificate of at least 2048 bits. A private key is refused
 * outright: it must never sit in a stack file, where it would be committed.
 */
export function publicKeyProblem(pem: string): string | undefined {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return "this is a PRIVATE key: never put it in the stack file (and rotate it now if it was committed); give its public key instead (openssl pkey -in key.pem -pubout)";
  }
  const header = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.exec(pem);
  if (!header) {
    return "it is not a PEM public key or certificate (expected -----BEGIN PUBLIC KEY-----)";
  }
  try {
    const key = header[1] === "CERTIFICATE" ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    if (key.asymmetricKeyType !== "rsa") {
      return `it is a ${key.asymmetricKeyType} key; Auth0 private_key_jwt takes RSA keys (RS256, RS384, PS256)`;
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return `it is a ${bits}-bit RSA key; use at least ${MIN_RSA_BITS} bits`;
    return undefined;
  } catch {
    return "the PEM does not parse; paste the whole block, with its BEGIN and END lines and line breaks kept";
  }
}
