import { createPrivateKey, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { ANALYTICS_KEY, clientOf } from "../fixtures/local-project.ts";

/**
 * A private_key_jwt client assertion of the fixture's initech/analytics workload for `local`:
 * a minute long, a fresh jti, signed RS256 with ANALYTICS_KEY. `overrides` replace claims (an
 * undefined one is left out); `privateKey` signs instead, to play another key.
 */
export async function analyticsAssertion(
  local: LocalEnvironment,
  overrides: Record<string, unknown> = {},
  privateKey = ANALYTICS_KEY.privateKey,
): Promise<string> {
  const clientId = clientOf(local, "initech/analytics").clientId;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: local.issuer,
    iat: now,
    exp: now + 60,
    jti: randomUUID(),
    ...overrides,
  })
    .setProtectedHeader({ alg: "RS256" })
    .sign(createPrivateKey(privateKey));
}
