import { createPublicKey, createSecretKey } from "node:crypto";
import {
  type CompactVerifyGetKey,
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
} from "jose";
import type { Claims } from "../model/trust/evaluate/verdict.ts";
import { parseJsonText, readJsonFile } from "./json-file.ts";
import type { TokenForm } from "./token-rules.ts";

/** A token or claim set `m2m verify` cannot read, or whose signature does not hold: exit 2. */
export class TokenInputError extends Error {}

/**
 * The issuer's keys could not be had (the JWKS URL unreachable, answering other than 200, or not
 * with a JWKS): nothing is known of the token's signature. Exit 2, as input verify cannot use,
 * never reported as a bad signature.
 */
export class KeysUnavailableError extends TokenInputError {
  override readonly name = "KeysUnavailableError";
}

/** How long a JWKS URL has to answer. */
const JWKS_TIMEOUT_MS = 10_000;

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

/** A parsed JSON value that is a JWKS: an object with a `keys` list of objects. */
function isJwks(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray(keys) &&
    keys.every((k) => typeof k === "object" && k !== null && !Array.isArray(k))
  );
}

const NOT_JWKS = 'not a JWKS (expected an object with a "keys" list of keys)';

/** Why a fetch failed, as its cause says it (ECONNREFUSED, ENOTFOUND, a timeout...). */
function fetchFailure(error: unknown): string {
  if ((error as Error).name === "TimeoutError") return `no answer within ${JWKS_TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.message ? `${cause.code}: ${cause.message}` : cause.code;
  return cause?.message ?? (error as Error).message;
}

/**
 * The JWKS at `url`. Throws KeysUnavailableError saying why it could not be had: the request
 * failed, the answer was not 200, or not a JWKS (where it stops being JSON, never its text).
 */
export async function fetchJwks(url: string): Promise<JSONWebKeySet> {
  const cannot = (reason: string) =>
    new KeysUnavailableError(`cannot fetch the issuer's keys from ${url}: ${reason}`);
  let text: string;
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(JWKS_TIMEOUT_MS),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw cannot(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    }
    text = await response.text();
  } catch (error) {
    if (error instanceof KeysUnavailableError) throw error;
    throw cannot(fetchFailure(error));
  }
  const value = parseJsonText(text, (reason) => cannot(`the answer is ${reason}`));
  if (!isJwks(value)) throw cannot(`the answer is ${NOT_JWKS}`);
  return value;
}

async function keysOf(source: KeySource, claims: Claims): Promise<CompactVerifyGetKey> {
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
      const jwks = readJsonFile("--jwks", source.file, (m) => new TokenInputError(m));
      if (!isJwks(jwks)) throw new TokenInputError(`--jwks ${source.file} is ${NOT_JWKS}`);
      return createLocalJWKSet(jwks);
    }
    case "jwks-url":
      return createLocalJWKSet(await fetchJwks(source.url));
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
  // Outside the signature check: keys that cannot be had say nothing of the signature.
  const key = await keysOf(keys, claims);
  try {
    await compactVerify(token, key);
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
  const value = readJsonFile("--claims", file, (m) => new TokenInputError(m));
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new TokenInputError(`--claims ${file} must hold one JSON object of claims`);
  return { claims: value as Claims, form: {} };
}
