import { readFileSync } from "node:fs";
import https from "node:https";

/**
 * A `fetch` that sends what the ManagementClient addresses to `https://{domain}` (the v7 client
 * fixes its base URL and token URL to that origin) to the local environment's `issuer` origin
 * instead, trusting its self-signed certificate when it serves HTTPS.
 */
export function localFetch(domain: string, issuer: string, certificatePath?: string): typeof fetch {
  const from = `https://${domain}`;
  const to = new URL(issuer).origin;
  const send = certificatePath ? httpsWithCa(readFileSync(certificatePath)) : fetch;
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    // The tenant's own endpoints (its token endpoint, at the local issuer) go there as they are.
    if (url.startsWith(`${to}/`)) return send(url, init);
    if (!url.startsWith(from))
      throw new Error(`the local Management API client only calls ${from}, not ${url}`);
    return send(`${to}${url.slice(from.length)}`, init);
  };
}

/** Node's fetch cannot be given a CA; node:https can. Enough of fetch for the ManagementClient. */
function httpsWithCa(ca: Buffer): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const request = https.request(
        String(input),
        { method: init?.method ?? "GET", headers, ca, ...(init?.signal ? { signal: init.signal } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const out = new Headers();
            for (const [key, value] of Object.entries(response.headers))
              for (const v of [value ?? []].flat()) out.append(key, String(v));
            const status = response.statusCode ?? 500;
            resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, headers: out }));
          });
        },
      );
      request.on("error", reject);
      if (typeof init?.body === "string") request.write(init.body);
      request.end();
    });
}
