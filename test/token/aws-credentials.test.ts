import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalEnvironment } from "../../src/issuer/local-environment.ts";
import { fromM2mToken } from "../../src/token/aws-credentials.ts";
import { createTokenSource } from "../../src/token/index.ts";
import { clientOf, startFixture } from "../fixtures/local-project.ts";
import { loopbackSts } from "../support/loopback-sts.ts";

const AWS_API = "https://aws.m2m.acme.example";
const ROLE = "arn:aws:iam::111111111111:role/m2m-local-globex-billing";

describe("fromM2mToken, the AWS SDK v3 credential provider", () => {
  let local: LocalEnvironment;

  beforeAll(async () => {
    local = await startFixture();
  });
  afterAll(async () => {
    await local.close();
  });

  function source() {
    const client = clientOf(local, "globex/billing");
    return {
      client,
      tokenSource: createTokenSource({
        issuer: local.issuer,
        clientId: client.clientId,
        credential: { method: "client_secret_post", clientSecret: client.clientSecret ?? "" },
        audience: AWS_API,
      }),
    };
  }

  it("GIVEN the STS client pointed at a loopback endpoint WHEN credentials are asked for three times THEN STS receives one unsigned AssumeRoleWithWebIdentity with the workload's token, role and session name", async () => {
    const sts = await loopbackSts();
    const { client, tokenSource } = source();
    const provider = fromM2mToken({
      tokenSource,
      roleArn: ROLE,
      roleSessionName: "globex-billing",
      clientConfig: { region: "eu-west-1", endpoint: sts.endpoint },
    });
    const first = await provider();
    await provider();
    await provider();
    sts.close();
    tokenSource.close();
    expect(sts.requests).toHaveLength(1);
    const [request] = sts.requests;
    expect(request).toMatchObject({
      Action: "AssumeRoleWithWebIdentity",
      RoleArn: ROLE,
      RoleSessionName: "globex-billing",
    });
    expect(request?.authorization).toBeUndefined();
    const claims = decodeJwt(request?.WebIdentityToken ?? "");
    expect(claims).toMatchObject({ sub: `${client.clientId}@clients`, aud: AWS_API, iss: local.issuer });
    expect(claims["https://aws.amazon.com/tags"]).toMatchObject({
      principal_tags: { tenant_id: ["globex"] },
    });
    expect(first).toMatchObject({ accessKeyId: "ASIALOOPBACK1", sessionToken: "loopback-session-1" });
    expect(first.expiration).toBeInstanceOf(Date);
  });

  it("GIVEN role credentials that expire within 5 minutes WHEN asked again THEN they are renewed with another AssumeRoleWithWebIdentity", async () => {
    const sts = await loopbackSts(120);
    const { tokenSource } = source();
    const provider = fromM2mToken({
      tokenSource,
      roleArn: ROLE,
      roleSessionName: "globex-billing",
      clientConfig: { region: "eu-west-1", endpoint: sts.endpoint },
    });
    const first = await provider();
    const second = await provider();
    sts.close();
    tokenSource.close();
    expect(sts.requests).toHaveLength(2);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
  });
});
