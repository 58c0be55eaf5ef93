import { createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type CompactVerifyGetKey,
  compactVerify,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
} from "jose";
import type { Claims } from "../model/trust/evaluate/verdict.ts";
import type { TokenForm } from "./token-rules.ts";

/** A token or claim set `m2m verify` cannot read, or whose signature does not hold: exit 2. */
export class TokenInputError extends Error {}

/** Where a JWT's signing keys come from. */
export type KeySource =
  | {
      readonly kind: "local";
      readonly signingKeyPem: string;
      readonly apiSecrets: Readonly<Record<string, string>>;
    }
  | { readonly kind: "jwks-file"; readonly file: string }
  | { readonly kind: "jwks-url"; readonly url: string };

/** A token's claims and the form verify checks, once its signature holds. */
export interface ReadToken {
  readonly claims: Claims;
  readonly form: TokenForm;
}

function keysOf(source: KeySource, claims: Claims): CompactVerifyGetKey | KeyObject {
  switch (source.kind) {
    case "local":
      return async (header) => {
        // HS256 APIs sign with their own secret, as Auth0 does.
        if (header.alg === "HS256") {
          const aud = [claims.aud].flat().find((a) => typeof a === "string" && source.apiSecrets[a]);
          const secret = typeof aud === "string" ? source.apiSecrets[aud] : undefined;
          if (!secret)
            throw new TokenInputError("no HS256 secret of the local environment signs this audience");
          return createSecretKey(Buffer.from(secret));
        }
        return createPublicKey(source.signingKeyPem);
      };
    case "jwks-file": {
      let jwks: JSONWebKeySet;
      try {
        jwks = JSON.parse(readFileSync(source.file, "utf8")) as JSONWebKeySet;
      } catch (error) {
        throw new TokenInputError(
          `--jwks ${source.file} is not a readable JWKS file (${(error as Error).message.split("\n")[0]})`,
        );
      }
      return createLocalJWKSet(jwks);
    }
    case "jwks-url":
      return createRemoteJWKSet(new URL(source.url));
  }
}

/** Reads a compact JWT and checks its signature; claims are returned unchecked (the clouds check them). */
export async function readJwt(jwt: string, keys: KeySource): Promise<ReadToken> {
  const token = jwt.trim();
  let claims: Claims;
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
    claims = decodeJwt(token);
  } catch {
    throw new TokenInputError("the token is not a compact JWT (three base64url parts separated by dots)");
  }
  try {
    const key = keysOf(keys, claims);
    await (typeof key === "function" ? compactVerify(token, key) : compactVerify(token, key));
  } catch (error) {
    if (error instanceof TokenInputError) throw error;
    const where =
      keys.kind === "local"
        ? "the local environment's key"
        : keys.kind === "jwks-file"
          ? keys.file
          : keys.url;
    throw new TokenInputError(
      `the token's signature does not verify against ${where} (${(error as Error).message})`,
    );
  }
  return { claims, form: { ...(alg ? { alg } : {}), length: token.length } };
}

/** Reads a claim set from a JSON file, evaluated as if signed ("what if"). */
export function readClaimsFile(file: string): ReadToken {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new TokenInputError(
      `--claims ${file} is not a readable JSON file (${(error as Error).message.split("\n")[0]})`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TokenInputError(`--claims ${file} must hold one JSON object of claims`);
  return { claims: value as Claims, form: {} };
}
