import type { ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyDocument } from "../../src/model/aws-trust.ts";
import {
  artifactViolations,
  awsTrustViolations,
  azureCredentialViolations,
  gcpMemberViolations,
  gcpProviderViolations,
  type Violation,
} from "../../src/model/invariants.ts";
import { AWS_ROLE_TAG_KEYS } from "../../src/model/tenant-labels.ts";
import { type PreviewResource, stackTrust, TYPES } from "./stack-artifacts.ts";

/**
 * The project's invariants as Pulumi policies, for real previews:
 * `pulumi preview --policy-pack policy`. Per-resource checks through validateResource, tenant
 * isolation through validateStack; values unknown at preview are reported by an advisory
 * policy as not checkable (the offline plan is the review artifact for those).
 */

const report = (violations: readonly Violation[], reportViolation: ReportViolation, urn?: string) => {
  for (const v of violations) reportViolation(`[${v.invariant}] ${v.subject}: ${v.message}`, urn);
};

export const awsRoleTrust: ResourceValidationPolicy = {
  name: "m2m-aws-role-trust",
  description:
    "An m2m role trusts one exact subject, an exact audience and the tenant's session tag; never :oaud.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const tags = (args.props.tags ?? {}) as Record<string, string>;
    if (
      args.type !== TYPES.role ||
      !tags[AWS_ROLE_TAG_KEYS.tenantId] ||
      typeof args.props.assumeRolePolicy !== "string"
    )
      return;
    const policy = JSON.parse(args.props.assumeRolePolicy) as PolicyDocument;
    report(awsTrustViolations(`role ${args.name}`, policy), reportViolation);
  },
};

export const gcpProviderCondition: ResourceValidationPolicy = {
  name: "m2m-gcp-provider-condition",
  description: "Every workload identity pool provider has an attribute condition.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.poolProvider) return;
    report(
      gcpProviderViolations(`provider ${args.name}`, args.props as { attributeCondition?: string }),
      reportViolation,
    );
  },
};

export const gcpNoPoolWideBinding: ResourceValidationPolicy = {
  name: "m2m-gcp-no-pool-wide-binding",
  description: "No IAM binding grants a whole workload identity pool (principalSet://.../*) or everyone.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!(TYPES.gcpMembers as readonly string[]).includes(args.type) || typeof args.props.member !== "string")
      return;
    report(gcpMemberViolations(`member of ${args.name}`, args.props.member), reportViolation);
  },
};

export const azureCredentialExact: ResourceValidationPolicy = {
  name: "m2m-azure-federated-credential-exact",
  description:
    "Federated credentials match issuer (with its slash), {client_id}@clients and api://AzureADTokenExchange exactly.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const { issuer, subject, audiences } = args.props;
    if (args.type !== TYPES.federatedCredential || typeof issuer !== "string" || typeof subject !== "string")
      return;
    report(
      azureCredentialViolations(`credential ${args.name}`, {
        issuer,
        subject,
        audiences: (audiences ?? []) as string[],
      }),
      reportViolation,
    );
  },
};

export const tenantIsolation: StackValidationPolicy = {
  name: "m2m-tenant-isolation",
  description:
    "For every pair of workloads of different tenants, neither's token satisfies the other's trust, in every cloud.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const { artifacts } = stackTrust(args.resources as readonly PreviewResource[]);
    report(
      artifactViolations(artifacts).filter((v) =>
        ["tenant-isolation", "cloud-audience", "own-token"].includes(v.invariant),
      ),
      reportViolation,
    );
  },
};

export const notCheckableAtPreview: StackValidationPolicy = {
  name: "m2m-not-checkable-at-preview",
  description:
    "Trust whose values are unknown until `pulumi up` cannot be checked here: review the offline plan.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const urn of stackTrust(args.resources as readonly PreviewResource[]).notCheckable) {
      reportViolation(
        "not checkable at preview: values are unknown until the update; check the offline plan (m2m plan)",
        urn,
      );
    }
  },
};

/** Every policy of the pack. */
export const m2mPolicies = [
  awsRoleTrust,
  gcpProviderCondition,
  gcpNoPoolWideBinding,
  azureCredentialExact,
  tenantIsolation,
  notCheckableAtPreview,
];
