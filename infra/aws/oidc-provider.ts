import * as iam from "@pulumi/aws/iam";
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import {
  awsOidcProvider,
  awsTokensCarryAzp,
  confirmedOidcProviderArn,
} from "../../src/model/trust/aws/aws-trust.ts";
import { optionsFor } from "../options.ts";

/** Arguments of an AwsOidcProvider. */
export interface AwsOidcProviderArgs {
  readonly env: Environment;
  /** Client id of every workload, keyed `tenant/workload`. */
  readonly clientIds: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly provider: Provider;
}

/**
 * The IAM OIDC identity provider for the environment's issuer: URL exactly the issuer, client
 * ID list from the model (the AWS API and, unless rfc9068, the AWS workloads' client ids), no
 * thumbprints.
 */
export class AwsOidcProvider extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AwsOidcProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("m2m:aws:OidcProvider", name, {}, opts);
    const provider = new iam.OpenIdConnectProvider(
      name,
      oidcProviderInputs(args),
      optionsFor("awsOidcProvider", args.env, { parent: this, provider: args.provider }),
    );
    // The roles trust the computed ARN (known at preview); a different real one fails the update.
    this.arn = provider.arn.apply((arn) => confirmedOidcProviderArn(args.env, arn));
    this.registerOutputs({});
  }
}

/**
 * The provider's URL and client ID list. Under the rfc9068 dialect the list holds only the AWS
 * API identifier, so it is a plain value and the provider waits for no Auth0 client; otherwise it
 * lists every AWS workload's client id and waits for them all.
 */
function oidcProviderInputs(args: AwsOidcProviderArgs): iam.OpenIdConnectProviderArgs {
  if (!awsTokensCarryAzp(args.env)) {
    const spec = awsOidcProvider(args.env, {});
    return { url: spec.url, clientIdLists: [...spec.clientIdList] };
  }
  const spec = pulumi.output(args.clientIds).apply((ids) => awsOidcProvider(args.env, ids));
  return { url: spec.url, clientIdLists: spec.clientIdList.apply((l) => [...l]) };
}
