import * as iam from "@pulumi/aws/iam";
import type { Provider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../src/model/environment/environment.ts";
import { awsOidcProvider, confirmedOidcProviderArn } from "../../src/model/trust/aws/aws-trust.ts";
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
    const spec = pulumi.output(args.clientIds).apply((ids) => awsOidcProvider(args.env, ids));
    const provider = new iam.OpenIdConnectProvider(
      name,
      { url: spec.url, clientIdLists: spec.clientIdList.apply((l) => [...l]) },
      optionsFor("awsOidcProvider", args.env, { parent: this, provider: args.provider }),
    );
    // The roles trust the computed ARN (known at preview); a different real one fails the update.
    this.arn = provider.arn.apply((arn) => confirmedOidcProviderArn(args.env, arn));
    this.registerOutputs({ arn: this.arn });
  }
}
