/**
 * The project's invariants as Pulumi policies, for real previews:
 * `pulumi preview --policy-pack policy`. Every property is read through one guarded accessor
 * (preview-value.ts), so a value unknown at preview makes only its resource not checkable:
 * advisory when it comes only from Auth0 clients or the OIDC provider (known at `pulumi up`,
 * shown by the offline plan), a mandatory violation when access rests on anything else.
 */

import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { AWS_ROLE_TAG_KEYS } from "../../src/model/environment/tenant-labels.ts";
import { hasIamWildcard } from "../../src/model/trust/evaluate/iam-pattern.ts";
import {
  awsTrustViolations,
  azureCredentialViolations,
  gcpMemberViolations,
  gcpProviderViolations,
  isolationViolations,
  trustLetsProviderIn,
  type Violation,
} from "../../src/model/trust/invariants.ts";
import { isResourcePolicyType } from "./aws-resource-policies.ts";
import { escalationViolations } from "./identity-escalation.ts";
import {
  holdsUnknown,
  type PreviewResource,
  previewResource,
  recordProp,
  stringListProp,
  stringProp,
  UNKNOWN,
} from "./preview-value.ts";
import { accessClass, accessProps, guardedProvider, suggestsAccess } from "./resource-types.ts";
import { byClass, gcpMembers, stackTrust, type Unchecked } from "./stack-artifacts.ts";

const report = (violations: readonly Violation[], reportViolation: ReportViolation, urn?: string) => {
  for (const v of violations) reportViolation(`[${v.invariant}] ${v.subject}: ${v.message}`, urn);
};

const resourceOf = (args: ResourceValidationArgs) => previewResource(args);
const stackOf = (resources: readonly PolicyResource[]) => resources.map((r) => previewResource(r));

export const awsRoleTrust: StackValidationPolicy = {
  name: "m2m-aws-role-trust",
  description:
    "A role that lets an m2m OIDC provider in (tagged with a tenant or not) trusts one exact subject of its own workload, an exact audience and its tenant's session tag, and no other principal; never :oaud.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const resources = stackOf(args.resources);
    const trust = stackTrust(resources);
    const providers = trust.sets.flatMap((set) => (set.aws ? [set.aws.provider.arn] : []));
    for (const r of byClass(resources)("aws-role")) {
      const value = r.props.assumeRolePolicy;
      const tags = recordProp(r, "tags");
      if (value === undefined || holdsUnknown(value) || tags === UNKNOWN) continue;
      let document: unknown = value;
      if (typeof value === "string") {
        try {
          document = JSON.parse(value);
        } catch {
          // Left as text: the invariants report it as malformed.
        }
      }
      const tenantId = tags[AWS_ROLE_TAG_KEYS.tenantId];
      const workload = tags[AWS_ROLE_TAG_KEYS.workload];
      const providerArn = providers.find((arn) => trustLetsProviderIn(document, arn));
      if (tenantId === undefined && providerArn === undefined) continue;
      const owner =
        tenantId === undefined
          ? undefined
          : { tenantId, clientId: workload === undefined ? undefined : trust.clientOf(tenantId, workload) };
      report(
        awsTrustViolations(`role ${r.name}`, document, providerArn ?? providers[0], owner),
        reportViolation,
        r.urn,
      );
    }
  },
};

/** The issuer and audiences a pool provider takes, when known. */
function providerOidc(r: PreviewResource): { issuerUri?: string; allowedAudiences?: string[] } {
  const oidc = r.props.oidc as { issuerUri?: unknown; allowedAudiences?: unknown } | undefined;
  const audiences = Array.isArray(oidc?.allowedAudiences)
    ? oidc.allowedAudiences.filter((a): a is string => typeof a === "string")
    : [];
  return {
    ...(typeof oidc?.issuerUri === "string" ? { issuerUri: oidc.issuerUri } : {}),
    ...(audiences.length > 0 ? { allowedAudiences: audiences } : {}),
  };
}

export const gcpProviderCondition: ResourceValidationPolicy = {
  name: "m2m-gcp-provider-condition",
  description: "Every workload identity pool provider has an attribute condition.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const r = resourceOf(args);
    if (accessClass(r.type) !== "gcp-pool-provider") return;
    const condition = stringProp(r, "attributeCondition");
    const mapping = recordProp(r, "attributeMapping");
    if (condition === UNKNOWN || mapping === UNKNOWN) return;
    report(
      gcpProviderViolations(`provider ${args.name}`, {
        attributeCondition: condition,
        attributeMapping: mapping,
        ...providerOidc(r),
      }),
      reportViolation,
    );
  },
};

export const gcpNoPoolWideBinding: ResourceValidationPolicy = {
  name: "m2m-gcp-no-pool-wide-binding",
  description:
    "No IAM member, binding or policy of any GCP service grants a principalSet, a wildcard or everyone.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const r = resourceOf(args);
    if (accessClass(r.type) !== "gcp-iam" && accessClass(r.type) !== "gcp-embedded-access") return;
    const members = gcpMembers(r);
    if (members === UNKNOWN) return;
    for (const member of members)
      report(gcpMemberViolations(`member of ${args.name}`, member), reportViolation);
  },
};

export const azureCredentialExact: ResourceValidationPolicy = {
  name: "m2m-azure-federated-credential-exact",
  description:
    "Federated credentials (any API version, either provider) match issuer (with its slash), {client_id}@clients and api://AzureADTokenExchange exactly.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const r = resourceOf(args);
    if (accessClass(r.type) !== "azure-federated-credential") return;
    const issuer = stringProp(r, "issuer");
    const subject = stringProp(r, "subject");
    const audiences = stringListProp(r, r.props.audiences !== undefined ? "audiences" : "audience");
    if (typeof issuer !== "string" || typeof subject !== "string" || audiences === UNKNOWN) return;
    report(
      azureCredentialViolations(`credential ${args.name}`, { issuer, subject, audiences: audiences ?? [] }),
      reportViolation,
    );
  },
};

export const accessTypesUnderstood: ResourceValidationPolicy = {
  name: "m2m-access-types-understood",
  description:
    "Every AWS, GCP or Azure resource that may grant access, by its type or by a property such as a queue's policy, is one the pack checks: deny by default.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (accessClass(args.type) !== undefined) return;
    const r = resourceOf(args);
    // A resource-based policy is evaluated by m2m-tenant-isolation; its other access props are not.
    const evaluated = isResourcePolicyType(args.type);
    const suggests = suggestsAccess(args.type) && !evaluated;
    const props = suggests ? [] : accessProps(r.props).filter((p) => !(evaluated && p === "policy"));
    if (!suggests && (props.length === 0 || !guardedProvider(args.type))) return;
    reportViolation(
      `[access-type-unknown] ${args.name}: ${args.type}${props.length > 0 ? ` holds access in ${props.join(", ")} and` : ""} may grant access and this pack cannot check it for tenant isolation; manage it in a stack that holds no m2m identities`,
    );
  },
};

export const gcpProviderAudience: StackValidationPolicy = {
  name: "m2m-gcp-provider-audience",
  description: "A workload identity pool provider allows exactly one audience: an Auth0 API of the stack.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const resources = stackOf(args.resources);
    const trust = stackTrust(resources);
    const identifiers = new Set<unknown>(trust.apis);
    const m2mPools = new Set(
      trust.sets.flatMap((set) => (set.gcp ? [set.gcp.poolResource.split("/").at(-1)] : [])),
    );
    for (const r of byClass(resources)("gcp-pool-provider")) {
      const oidc = r.props.oidc as { allowedAudiences?: unknown } | undefined;
      const audiences = [oidc?.allowedAudiences ?? []].flat();
      if (audiences.includes(UNKNOWN)) continue;
      // Only providers of pools that hold m2m bindings, or that take an Auth0 API, are m2m's.
      const pool = stringProp(r, "workloadIdentityPoolId");
      const m2m =
        (typeof pool === "string" && m2mPools.has(pool)) ||
        audiences.some((a) => identifiers.has(a as string));
      if (!m2m) continue;
      const [only] = audiences;
      if (
        audiences.length !== 1 ||
        typeof only !== "string" ||
        hasIamWildcard(only) ||
        !identifiers.has(only)
      ) {
        reportViolation(
          `[gcp-audience] provider ${r.name}: allowedAudiences must be exactly the GCP API's identifier (an Auth0 API of this stack), not [${audiences.map(String).join(", ")}]; empty would accept any token minted for the provider's resource name`,
          r.urn,
        );
      }
    }
  },
};

export const tenantIsolation: StackValidationPolicy = {
  name: "m2m-tenant-isolation",
  description:
    "No workload's token gets another tenant's cloud identity, in any cloud and through any provider, and no tenant's identity may rewrite, pass or add credentials to another's.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const resources = stackOf(args.resources);
    const trust = stackTrust(resources);
    const violations = [
      ...trust.sets.flatMap((set) => isolationViolations(set)),
      // Every provider and credential trusts the one issuer: another would mint any subject.
      ...trust.sets.flatMap((set) =>
        set.aws && trust.issuer !== undefined && set.aws.provider.url !== trust.issuer
          ? [
              {
                invariant: "tenant-isolation" as const,
                subject: `aws provider ${set.aws.provider.arn}`,
                message: `it is an m2m provider (it lists an Auth0 API, or a tenant's role trusts it) for ${set.aws.provider.url}, not the m2m issuer ${trust.issuer}`,
              },
            ]
          : [],
      ),
      ...trust.sets.flatMap((set) =>
        set.gcp && trust.issuer !== undefined && set.gcp.provider.issuerUri !== trust.issuer
          ? [
              {
                invariant: "tenant-isolation" as const,
                subject: `gcp provider of ${set.gcp.poolResource}`,
                message: `it trusts ${set.gcp.provider.issuerUri}, not the m2m issuer ${trust.issuer}, in a pool whose bindings name m2m workloads`,
              },
            ]
          : [],
      ),
      ...(trust.sets[0]?.azure?.credentials ?? []).flatMap((c) =>
        trust.issuer !== undefined && c.issuer !== trust.issuer && !c.tenantId.startsWith("(")
          ? [
              {
                invariant: "tenant-isolation" as const,
                subject: `azure credential of ${c.tenantId}/${c.workload}`,
                message: `it trusts ${c.issuer}, not the m2m issuer ${trust.issuer}`,
              },
            ]
          : [],
      ),
      ...escalationViolations(resources, trust).violations,
    ];
    const seen = new Set<string>();
    report(
      violations.filter((v) => {
        const key = `${v.invariant} ${v.subject} ${v.message}`;
        return !seen.has(key) && seen.add(key) !== undefined;
      }),
      reportViolation,
    );
  },
};

/** Everything a preview could not check, from the trust and from the identity-side grants. */
function uncheckedOf(resources: readonly PreviewResource[]): Unchecked[] {
  const trust = stackTrust(resources);
  return [...trust.unchecked, ...escalationViolations(resources, trust).unchecked];
}

export const unknownAccess: StackValidationPolicy = {
  name: "m2m-unknown-access",
  description:
    "Access whose value is unknown at preview for any reason but new Auth0 clients or the OIDC provider cannot be checked, so it is refused.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const u of uncheckedOf(stackOf(args.resources)).filter((x) => !x.expected)) {
      reportViolation(
        `[unknown-access] ${u.what} is unknown at preview and does not come from an Auth0 client or the OIDC provider: write it so it is known at preview`,
        u.urn,
      );
    }
  },
};

export const notCheckableAtPreview: StackValidationPolicy = {
  name: "m2m-not-checkable-at-preview",
  description:
    "Trust whose values come from new Auth0 clients or the OIDC provider is known only at `pulumi up`; it is reported here, not refused.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const u of uncheckedOf(stackOf(args.resources)).filter((x) => x.expected)) {
      reportViolation(`not checkable at preview: ${u.what}; values are known at the update`, u.urn);
    }
  },
};

/** Every policy of the pack. */
export const m2mPolicies = [
  awsRoleTrust,
  gcpProviderCondition,
  gcpNoPoolWideBinding,
  azureCredentialExact,
  accessTypesUnderstood,
  gcpProviderAudience,
  tenantIsolation,
  unknownAccess,
  notCheckableAtPreview,
];
