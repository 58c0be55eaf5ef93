import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, type JWK } from "jose";

/** The tenant's token signing key, as the local issuer keeps and publishes it. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** The public JWK published at /.well-known/jwks.json. */
  readonly publicJwk: JWK;
}

/** A new RSA-2048 key in PKCS#8 PEM: the size of an Auth0 tenant's signing key. */
export function newSigningKeyPem(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
}

/** The signing key from its PEM; `kid` is its JWK thumbprint, stable across restarts. */
export async function loadSigningKey(pem: string): Promise<SigningKey> {
  const privateKey = createPrivateKey(pem);
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk);
  // No `alg`: the same key signs RS256 and PS256 APIs' tokens, and verifiers match on kid.
  return { kid, privateKey, publicJwk: { ...jwk, kid, use: "sig" } };
}
