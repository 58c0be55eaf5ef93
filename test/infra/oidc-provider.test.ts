import { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AwsOidcProvider } from "../../infra/aws/oidc-provider.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import {
  awsOidcProviderArn,
  awsPartition,
  confirmedOidcProviderArn,
} from "../../src/model/trust/aws/aws-trust.ts";
import { environmentWithClouds } from "../fixtures/environment.ts";
import { resolved } from "../support/mocked-stack.ts";

const env = parseEnvironment(environmentWithClouds(["aws"]), "test");

/** The fixture's AWS environment with its AWS API on the rfc9068 dialect. */
function rfc9068Environment() {
  const raw = environmentWithClouds(["aws"]) as ReturnType<typeof environmentWithClouds> & {
    auth0: { plan: string };
    apis: { cloud?: string; tokenDialect?: string }[];
  };
  raw.auth0.plan = "enterprise";
  const api = raw.apis.find((a) => a.cloud === "aws");
  if (api) api.tokenDialect = "rfc9068_profile";
  return parseEnvironment(raw, "test");
}

/**
 * The inputs the OIDC provider of `environment` is registered with, its workloads' client ids
 * never resolving (as if no Auth0 client had been created yet); undefined when it is not
 * registered while they wait.
 */
async function registeredWhileClientsWait(environment: typeof env) {
  let inputs: Record<string, unknown> | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type !== "aws:iam/openIdConnectProvider:OpenIdConnectProvider") {
          return { id: `${args.name}-id`, state: args.inputs };
        }
        inputs = args.inputs;
        return { id: `${args.name}-id`, state: { ...args.inputs, arn: awsOidcProviderArn(environment) } };
      },
      call: (args) => args.inputs,
    },
    "m2m",
    "test",
    false,
  );
  const provider = new Provider("aws-test", { region: "eu-west-1" });
  const pending = pulumi.output(new Promise<string>(() => {}));
  const clientIds = Object.fromEntries(
    environment.tenants.flatMap((t) => t.workloads.map((w) => [`${t.id}/${w.name}`, pending])),
  );
  new AwsOidcProvider("auth0", { env: environment, clientIds, provider });
  await new Promise((resolve) => setTimeout(resolve, 100));
  return inputs;
}

/** Mocks in which IAM names the provider `arn`. */
async function providerNamed(arn: string) {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: {
          ...args.inputs,
          ...(args.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" ? { arn } : {}),
        },
      }),
      call: (args) => args.inputs,
    },
    "m2m",
    "test",
    false,
  );
  const provider = new Provider("aws-test", { region: "eu-west-1" });
  const clientIds = Object.fromEntries(
    env.tenants.flatMap((t) => t.workloads.map((w) => [`${t.id}/${w.name}`, `${t.id}${w.name}`])),
  );
  return new AwsOidcProvider("auth0", { env, clientIds, provider });
}

describe("the OIDC provider's ARN", () => {
  it("GIVEN an environment WHEN its provider ARN is computed THEN it is the account, partition and issuer with its trailing slash", () => {
    expect(awsOidcProviderArn(env)).toBe("arn:aws:iam::123456789012:oidc-provider/acme-test.eu.auth0.com/");
    expect([awsPartition("eu-west-1"), awsPartition("cn-north-1"), awsPartition("us-gov-west-1")]).toEqual([
      "aws",
      "aws-cn",
      "aws-us-gov",
    ]);
  });

  it("GIVEN IAM names the provider as computed WHEN the component resolves THEN its ARN is that one", async () => {
    const oidc = await providerNamed(awsOidcProviderArn(env));
    await expect(resolved(oidc.arn)).resolves.toBe(awsOidcProviderArn(env));
  });

  it("GIVEN IAM names the provider otherwise WHEN the ARN is confirmed THEN the update fails naming both ARNs", () => {
    expect(() =>
      confirmedOidcProviderArn(env, "arn:aws:iam::123456789012:oidc-provider/acme-test.eu.auth0.com"),
    ).toThrow(
      /IAM named the OIDC provider arn:aws:iam::123456789012:oidc-provider\/acme-test\.eu\.auth0\.com, but the roles trust arn:aws:iam::123456789012:oidc-provider\/acme-test\.eu\.auth0\.com\//,
    );
  });
});

describe("the OIDC provider's client ID list", () => {
  it("GIVEN the AWS API on the rfc9068 dialect WHEN no Auth0 client exists yet THEN the provider is registered at once, listing only the API identifier", async () => {
    const rfc9068 = rfc9068Environment();
    const inputs = await registeredWhileClientsWait(rfc9068);
    expect(inputs).toEqual({
      url: rfc9068.issuer,
      clientIdLists: [rfc9068.apis.find((a) => a.cloud === "aws")?.identifier],
    });
  });

  it("GIVEN the default dialect, whose tokens carry azp WHEN no Auth0 client exists yet THEN the provider waits for its workloads' client ids", async () => {
    await expect(registeredWhileClientsWait(env)).resolves.toBeUndefined();
  });
});
