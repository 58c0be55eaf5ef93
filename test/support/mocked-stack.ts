import * as pulumi from "@pulumi/pulumi";
import { installMockEngine } from "../../src/plan/mocked-program.ts";
import { readStackFile } from "../../src/stack/stack-file.ts";

/** One resource the program registered, as the Pulumi engine would receive it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The inputs with the outputs the mocks computed: what a policy sees once values are known. */
  readonly state: Record<string, unknown>;
  /** The provider reference (`urn::id`) the resource was registered with, if any. */
  readonly provider: string | undefined;
  /** The parent's URN, "" for none. */
  readonly parent: string;
}

/** The fake Management API credentials every mocked stack is configured with. */
export const MOCK_CREDENTIALS = { clientId: "mgmt-client-id", clientSecret: "mgmt-client-SECRET-value" };

/** What the mocks make up for outputs that Auth0 and the clouds compute. */
export function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  account: string,
): Record<string, unknown> {
  switch (type) {
    case "auth0:index/client:Client":
      return { clientId: `${name}-client-id` };
    case "auth0:index/clientCredentials:ClientCredentials":
      return { clientSecret: `${name}-SECRET` };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return { arn: `arn:aws:iam::${account}:oidc-provider/${String(inputs.url).replace("https://", "")}` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${account}:role/${String(inputs.name)}` };
    case "gcp:serviceaccount/account:Account": {
      // As GCP returns them: the resource name carries the email, and a numeric unique id.
      const email = `${String(inputs.accountId)}@${String(inputs.project)}.iam.gserviceaccount.com`;
      return {
        email,
        name: `projects/${String(inputs.project)}/serviceAccounts/${email}`,
        uniqueId: BigInt(`0x${Buffer.from(String(inputs.accountId)).toString("hex")}`).toString(),
      };
    }
    case "azure-native:managedidentity:UserAssignedIdentity":
      return {
        name: inputs.resourceName,
        clientId: `${name}-identity-client-id`,
        principalId: `${name}-principal-id`,
      };
    default:
      return {};
  }
}

/** The account an AWS provider is restricted to, as IAM would see it; a default without one. */
export function awsAccountOf(providerInputs: Record<string, unknown> | undefined): string {
  return String(JSON.parse(String(providerInputs?.allowedAccountIds ?? '["111111111111"]'))[0]);
}

/**
 * Installs the mock engine (src/plan/mocked-program.ts) for `stack` with the given config, making
 * up the outputs above, and returns the list it fills as the program registers resources. Call
 * before running the program.
 */
export async function mockStack(
  stack: string,
  config: Record<string, string>,
  secretKeys: string[] = [],
): Promise<RegisteredResource[]> {
  const resources: RegisteredResource[] = [];
  await installMockEngine({
    project: "m2m",
    stack,
    config,
    secretKeys,
    madeUp: (type, name, inputs, awsProvider) => computedState(type, name, inputs, awsAccountOf(awsProvider)),
    onRegistration: ({ type, name, inputs, provider, parent }, state) =>
      resources.push({ type, name, inputs, state, provider, parent }),
  });
  return resources;
}

/** The config of a stack: its environment (raw) and the mock Management API credentials. */
export function stackConfig(environment: unknown): Record<string, string> {
  return {
    "m2m:environment": JSON.stringify(environment),
    "m2m:auth0ClientId": MOCK_CREDENTIALS.clientId,
    "m2m:auth0ClientSecret": MOCK_CREDENTIALS.clientSecret,
  };
}

/** The raw `m2m:environment` of a committed stack file. */
export function committedEnvironment(stack: string): unknown {
  return readStackFile(process.cwd(), stack).config["m2m:environment"];
}

/** The value of an Output, once resolved. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Waits until every registration the program started has reached the mocks. */
export async function settled(): Promise<void> {
  // disconnect() drains the SDK's queue of outstanding RPCs; the next setMocks reconnects.
  await pulumi.runtime.disconnect();
}
