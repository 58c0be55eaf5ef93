/**
 * The issuer bench's signing floor, in its own process like the servers: RS256 tokens signed
 * with jose with CONCURRENCY signatures always in flight (jose signs through WebCrypto, on
 * libuv's thread pool), as the servers get CONCURRENCY requests at once from autocannon. A
 * one-at-a-time loop would leave the pool's other threads idle and flatter every server beside
 * it. Runs for the milliseconds given as argv[2] after a warm-up; prints `RESULT <json>`: tokens
 * per second and the CPU milliseconds (all threads) each cost.
 */
import { generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { SignJWT } from "jose";

const CONCURRENCY = Number(process.argv[3] ?? 50);
const durationMs = Number(process.argv[2] ?? 5_000);
const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const claims = {
  iss: "http://127.0.0.1/",
  sub: "wvQbnlC3Lc9kE5RPazQOGkYQvDUkWD7j@clients",
  aud: "https://orders.api.acme.example",
  azp: "wvQbnlC3Lc9kE5RPazQOGkYQvDUkWD7j",
  scope: "orders:read orders:write",
  gty: "client-credentials",
  "https://claims.acme.example/tenant_id": "globex",
  "https://claims.acme.example/workload": "billing",
};

const sign = (iat: number) =>
  new SignJWT({ ...claims, iat, exp: iat + 86_400 })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "bench" })
    .sign(key);

/** Signs with `CONCURRENCY` signatures in flight until `until` returns true; the tokens signed. */
async function signConcurrently(until: () => boolean): Promise<number> {
  let signed = 0;
  const lane = async () => {
    while (!until()) {
      await sign(Math.floor(Date.now() / 1000));
      signed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return signed;
}

let warm = 0;
await signConcurrently(() => warm++ >= 500);
const start = performance.now();
const cpuBefore = process.cpuUsage();
const signed = await signConcurrently(() => performance.now() - start >= durationMs);
const elapsedS = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `RESULT ${JSON.stringify({ perSecond: signed / elapsedS, cpuMsPerToken: (cpu.user + cpu.system) / 1000 / signed })}`,
);
