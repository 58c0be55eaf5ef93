/**
 * How a workload proves who it is to Auth0: a client secret (sent in the body or in a Basic
 * header) or a private key that signs client assertions. Read from where the model says
 * (`tokenCredential`: an environment variable or a file), never from a command line.
 */
import { createHash, createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TokenCredential } from "../model/trust/gcp/gcp-trust.ts";
import { TokenCredentialError } from "./token-errors.ts";

/** The assertion algorithms Auth0 accepts for private_key_jwt (the model's key algorithms). */
export type AssertionAlgorithm = "RS256" | "RS384" | "PS256";

/** A workload's credential, by its authentication method. */
export type ClientCredential =
  | { readonly method: "client_secret_post" | "client_secret_basic"; readonly clientSecret: string }
  | {
      readonly method: "private_key_jwt";
      /** The private key (PEM, PKCS#8 or PKCS#1) or a KeyObject. */
      readonly privateKey: string | KeyObject;
      /** Default: RS256. */
      readonly algorithm?: AssertionAlgorithm;
      /** The `kid` of the assertion header, when the application has several keys. Default: none. */
      readonly keyId?: string;
    };

/** The authentication methods Auth0 offers M2M applications. */
export const AUTHENTICATION_METHODS = [
  "client_secret_post",
  "client_secret_basic",
  "private_key_jwt",
] as const;
export type AuthenticationMethod = (typeof AUTHENTICATION_METHODS)[number];

/** The private key of a private_key_jwt credential as a KeyObject; refuses anything else. */
export function privateKeyOf(
  credential: Extract<ClientCredential, { method: "private_key_jwt" }>,
): KeyObject {
  if (typeof credential.privateKey !== "string") return credential.privateKey;
  try {
    const key = createPrivateKey(credential.privateKey);
    if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") throw new Error("not RSA");
    return key;
  } catch {
    // The parser's message could quote the key: never show it.
    throw new TokenCredentialError(
      "the private key is not an RSA private key in PEM (PKCS#8 or PKCS#1): give the key whose public half is registered on the application",
    );
  }
}

/**
 * A digest that names the credential without revealing it: cache entries are keyed by it, so a
 * process holding another (or a wrong) secret never reads a token minted with this one.
 */
export function credentialDigest(credential: ClientCredential): string {
  const hash = createHash("sha256").update(credential.method).update("\0");
  if (credential.method === "private_key_jwt") {
    const der = privateKeyOf(credential).export({ format: "der", type: "pkcs8" });
    hash.update(der);
  } else hash.update(credential.clientSecret);
  return hash.digest("hex");
}

/**
 * Reads a workload's credential from `source` for `method`: a secret from the variable or the
 * file (trailing newline dropped), a private key from the file (or, rarely, the variable).
 */
export function readClientCredential(
  method: AuthenticationMethod,
  source: TokenCredential,
  options: { readonly algorithm?: AssertionAlgorithm; readonly env?: NodeJS.ProcessEnv } = {},
): ClientCredential {
  const where = "env" in source ? `environment variable ${source.env}` : `file ${source.file}`;
  let text: string | undefined;
  if ("env" in source) text = (options.env ?? process.env)[source.env];
  else {
    try {
      text = readFileSync(source.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new TokenCredentialError(
        `cannot read the ${method === "private_key_jwt" ? "private key" : "client secret"} from ${where} (${code ?? "unreadable"}): put it there, readable by this user only`,
      );
    }
  }
  const value = text?.replace(/\r?\n$/, "");
  if (!value)
    throw new TokenCredentialError(
      `${where} is ${text === undefined ? "not set" : "empty"}: it must hold the workload's ${method === "private_key_jwt" ? "private key (PEM)" : "client secret"}`,
    );
  if (method !== "private_key_jwt") {
    if (/\s/.test(value))
      throw new TokenCredentialError(
        `${where} holds whitespace inside the client secret: give the secret alone`,
      );
    return { method, clientSecret: value };
  }
  const credential = {
    method,
    privateKey: value,
    ...(options.algorithm ? { algorithm: options.algorithm } : {}),
  } as const;
  privateKeyOf(credential);
  return credential;
}
