/**
 * The issuer bench's floor server: node:http and jose, nothing else. Same route shape as the
 * local issuer (POST /oauth/token, form body) and the same token (RS256, an Auth0
 * client-credentials claim set with the two tenant claims, header kid), but no client
 * authentication, grant check or Action: what serving a signed token costs on this machine.
 * Prints `READY <json>` once listening.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import { SignJWT } from "jose";

const ISSUER = "http://127.0.0.1/";
const NAMESPACE = "https://claims.acme.example/";
const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;

const server = createServer((request, response) => {
  if (request.method !== "POST" || request.url !== "/oauth/token") {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const clientId = form.get("client_id") ?? "";
    if (form.get("grant_type") !== "client_credentials" || clientId === "") {
      response.writeHead(400, { "content-type": "application/json" }).end('{"error":"invalid_request"}');
      return;
    }
    const iat = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      iss: ISSUER,
      sub: `${clientId}@clients`,
      aud: form.get("audience") ?? "",
      iat,
      exp: iat + 86_400,
      azp: clientId,
      scope: "orders:read orders:write",
      gty: "client-credentials",
      [`${NAMESPACE}tenant_id`]: "globex",
      [`${NAMESPACE}workload`]: "billing",
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "bench" })
      .sign(key);
    response
      .writeHead(200, { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache" })
      .end(
        JSON.stringify({
          access_token: token,
          scope: "orders:read orders:write",
          expires_in: 86_400,
          token_type: "Bearer",
        }),
      );
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}/oauth/token` })}`);
});
