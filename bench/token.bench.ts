/**
 * What the token source saves Auth0: token requests per 10,000 getToken calls spread over three
 * simulated token lifetimes (1 hour each; 50 callers at once at each of 200 moments), against
 * the physical minimum (each token serves its lifetime less its 5-minute refresh window), beside
 * Auth0's authentication client (`@auth0/auth0-auth-js`) called directly, which makes one request
 * per call. Both run against the local environment over https (its real token endpoint, through
 * Auth0's client), with the same 50 calls in flight, in one run; the source's requests are real,
 * only its clock is simulated (each token's times are moved onto it). 3 rounds alternating, median
 * (min–max) of the wall time. Target: the source's requests equal the minimum (ratio 1.0).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { AuthClient } from "@auth0/auth0-auth-js";
import { Agent, fetch as undiciFetch } from "undici";
import { startLocalEnvironment } from "../src/issuer/local-environment.ts";
import { tokenRequester } from "../src/token/token-request.ts";
import { createTokenSource } from "../src/token/token-source.ts";
import { median, summary } from "./median.ts";

const CALLS = 10_000;
const IN_FLIGHT = 50;
const LIFETIME_S = 3_600;
const LIFETIMES = 3;
const ROUNDS = 3;
const AUDIENCE = "https://aws.m2m.acme.example";

export async function benchToken(): Promise<boolean> {
  const projectDir = mkdtempSync(path.join(tmpdir(), "m2m-token-bench-"));
  writeFileSync(path.join(projectDir, "Pulumi.dev.yaml"), readFileSync("Pulumi.dev.yaml"));
  const local = await startLocalEnvironment({ projectDir, stack: "dev", port: 0, https: true });
  try {
    const client = [...local.tenant.clients.values()].find((c) => c.key === "globex/billing-sync");
    if (!client?.clientSecret) throw new Error("globex/billing-sync has no secret in the local environment");
    const agent = new Agent({ connect: { ca: local.certificate ?? "" } });
    const requests = { count: 0 };
    // Trusts the local certificate and counts what reaches the token endpoint.
    const counted = (async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname === "/oauth/token") requests.count++;
      return undiciFetch(request.url, {
        method: request.method,
        headers: [...request.headers],
        ...(request.method === "POST" ? { body: await request.text() } : {}),
        dispatcher: agent,
      });
    }) as unknown as typeof fetch;
    const credential = { method: "client_secret_post", clientSecret: client.clientSecret } as const;
    const domain = new URL(local.issuer).host;
    const spanMs = LIFETIMES * LIFETIME_S * 1000;
    const minimum = Math.ceil(spanMs / 1000 / (LIFETIME_S - 300));

    /** 10,000 calls, IN_FLIGHT at a time; `at(i)` sets the clock before the i-th batch. */
    const drive = async (call: () => Promise<unknown>, at: (i: number) => void) => {
      for (let i = 0; i < CALLS; i += IN_FLIGHT) {
        at(i);
        await Promise.all(Array.from({ length: IN_FLIGHT }, call));
      }
    };

    const runSource = async (round: number) => {
      // Each round starts well after the last one's tokens expired, so it begins with none.
      const base = Date.now() + round * 10 * spanMs;
      let nowMs = base;
      const real = tokenRequester({
        issuer: local.issuer,
        clientId: client.clientId,
        credential,
        audience: AUDIENCE,
        fetch: counted,
      });
      const source = createTokenSource({
        issuer: local.issuer,
        clientId: client.clientId,
        credential,
        audience: AUDIENCE,
        clock: () => nowMs,
        requester: async (signal) => {
          const token = await real(signal);
          const issuedAt = nowMs / 1000;
          return { ...token, issuedAt, expiresAt: issuedAt + (token.expiresAt - token.issuedAt) };
        },
      });
      requests.count = 0;
      const start = performance.now();
      await drive(
        () => source.getToken(),
        (i) => {
          nowMs = base + Math.floor((i * spanMs) / CALLS);
        },
      );
      return { ms: performance.now() - start, requests: requests.count };
    };

    const runDirect = async () => {
      const auth = new AuthClient({
        domain,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        customFetch: counted,
      });
      requests.count = 0;
      const start = performance.now();
      await drive(
        () => auth.getTokenByClientCredentials({ audience: AUDIENCE }),
        () => {},
      );
      return { ms: performance.now() - start, requests: requests.count };
    };

    const source: { ms: number; requests: number }[] = [];
    const direct: { ms: number; requests: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      source.push(await runSource(round));
      direct.push(await runDirect());
    }
    const sourceRequests = median(source.map((r) => r.requests));
    const directRequests = median(direct.map((r) => r.requests));
    const ratio = sourceRequests / minimum;
    const met = source.every((r) => r.requests === minimum);
    const ms = (x: number) => x.toFixed(0);
    console.log(
      [
        "",
        `Token source: ${CALLS.toLocaleString("en")} getToken calls (${IN_FLIGHT} in flight) over ${LIFETIMES} simulated ${LIFETIME_S} s lifetimes, ${ROUNDS} rounds alternating`,
        `  physical minimum of token requests:      ${minimum}`,
        `  token source:                            ${sourceRequests} requests per ${CALLS.toLocaleString("en")} calls (every round: ${source.map((r) => r.requests).join(", ")}), ${summary(
          source.map((r) => r.ms),
          ms,
        )} ms`,
        `  Auth0's authentication client directly:  ${directRequests.toLocaleString("en")} requests per ${CALLS.toLocaleString("en")} calls, ${summary(
          direct.map((r) => r.ms),
          ms,
        )} ms`,
        `  source / minimum: ${ratio.toFixed(2)} (target 1.0: ${met ? "met" : "NOT met"}); direct / minimum: ${(directRequests / minimum).toFixed(0)}; direct time / source time: ${(median(direct.map((r) => r.ms)) / median(source.map((r) => r.ms))).toFixed(1)}`,
      ].join("\n"),
    );
    await agent.close();
    return met;
  } finally {
    await local.close();
  }
}
