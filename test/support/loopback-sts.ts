import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One AssumeRoleWithWebIdentity as the loopback STS received it. */
export interface RecordedAssumeRole {
  readonly Action?: string;
  readonly RoleArn?: string;
  readonly RoleSessionName?: string;
  readonly WebIdentityToken?: string;
  readonly authorization?: string;
}

/**
 * A loopback AWS STS endpoint (query protocol) that records each AssumeRoleWithWebIdentity and
 * answers with credentials that expire `lifetimeS` seconds later.
 */
export async function loopbackSts(lifetimeS = 3600) {
  const requests: RecordedAssumeRole[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const form = new URLSearchParams(body);
      const recorded = {
        ...Object.fromEntries(form),
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      };
      requests.push(recorded);
      const n = requests.length;
      const expiration = new Date(Date.now() + lifetimeS * 1000).toISOString();
      response.writeHead(200, { "content-type": "text/xml" });
      response.end(`<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIALOOPBACK${n}</AccessKeyId>
      <SecretAccessKey>loopback-secret-${n}</SecretAccessKey>
      <SessionToken>loopback-session-${n}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>subject</SubjectFromWebIdentityToken>
    <AssumedRoleUser>
      <Arn>${form.get("RoleArn")}/${form.get("RoleSessionName")}</Arn>
      <AssumedRoleId>AROALOOPBACK:${form.get("RoleSessionName")}</AssumedRoleId>
    </AssumedRoleUser>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>loopback-${n}</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}/`, requests, close: () => server.close() };
}
