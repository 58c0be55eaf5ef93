/**
 * Who may change another tenant's AWS identity: a tenant's role whose policies (inline, attached,
 * customer or AWS managed) allow rewriting, re-tagging or passing another tenant's role, changing
 * the OIDC provider, or rewriting a policy on an m2m role, acts as that tenant. The policies are
 * evaluated with what IAM would know of the caller and the target; any other condition key may
 * hold either way, so an Allow conditioned on it counts and a Deny conditioned on it does not.
 */

import { AWS_TAG_KEYS } from "../../src/model/contract/aws-session-tags.ts";
import { AWS_ROLE_TAG_KEYS } from "../../src/model/environment/tenant-labels.ts";
import { requestContext } from "../../src/model/trust/evaluate/iam-condition.ts";
import {
  deniesActionEverywhere,
  evaluatePolicy,
  mayAllowAction,
  parsePolicy,
} from "../../src/model/trust/evaluate/iam-policy.ts";
import type { Violation } from "../../src/model/trust/invariants.ts";
import { type PreviewResource, recordProp, stringListProp, stringProp, UNKNOWN } from "./preview-value.ts";
import { byClass, type StackTrust, type Unchecked, unchecked } from "./stack-artifacts.ts";

/** IAM actions on a role that make its holder able to act as the role's tenant. */
const ROLE_ESCALATION = [
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:PassRole",
];

/** IAM actions on a customer managed policy attached to a tenant role that rewrite what it grants. */
const POLICY_ESCALATION = [
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:DeletePolicyVersion",
];

/** IAM actions on the OIDC provider that change which tokens it accepts. */
const PROVIDER_ESCALATION = [
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:DeleteOpenIDConnectProvider",
  "iam:TagOpenIDConnectProvider",
];

/**
 * AWS managed policies whose content decides escalation, as published (a dated snapshot):
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMFullAccess.html
 * Any other AWS managed policy's content is not known offline.
 */
const AWS_MANAGED: Readonly<Record<string, unknown>> = {
  "arn:aws:iam::aws:policy/AdministratorAccess": {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
  },
  "arn:aws:iam::aws:policy/IAMFullAccess": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "iam:*",
          "organizations:DescribeAccount",
          "organizations:DescribeOrganization",
          "organizations:DescribeOrganizationalUnit",
          "organizations:DescribePolicy",
          "organizations:ListChildren",
          "organizations:ListParents",
          "organizations:ListPoliciesForTarget",
          "organizations:ListRoots",
          "organizations:ListPolicies",
          "organizations:ListTargetsForPolicy",
        ],
        Resource: "*",
      },
    ],
  },
};

export interface TenantRole {
  readonly r: PreviewResource;
  readonly tenantId: string;
  readonly workload: string;
  readonly name: string;
  readonly arn: string;
}

/** The identity policies attached to each role, by role name; unknown ones are recorded. */
export function rolePolicies(
  of: ReturnType<typeof byClass>,
  roles: readonly TenantRole[],
  notKnown: Unchecked[],
) {
  const documents = new Map<string, unknown[]>();
  const add = (role: string, doc: unknown) => documents.set(role, [...(documents.get(role) ?? []), doc]);
  const roleName = (value: string) => value.replace(/^arn:[^:]+:iam::\d*:role\/(.*\/)?/, "");
  const roleOf = (r: PreviewResource, key: string): readonly string[] => {
    const v = stringListProp(r, key);
    if (v === UNKNOWN) {
      const urns = new Set((r.dependsOn[key] ?? []).map((d) => d.urn));
      return roles.filter((t) => urns.has(t.r.urn)).map((t) => t.name);
    }
    return (v ?? []).map(roleName);
  };
  const attachedPolicies = new Set<string>();
  const managed = new Map<string, PreviewResource>();
  for (const p of of("aws-managed-policy")) {
    const arn = stringProp(p, "arn");
    const name = stringProp(p, "name");
    if (typeof arn === "string") managed.set(arn, p);
    if (typeof name === "string") managed.set(`name:${name}`, p);
    managed.set(`urn:${p.urn}`, p);
  }
  // A role's boundary, by the ARN it names (known at preview: the program composes it) or the
  // policy it depends on; its content only when the policy is in the stack.
  const boundaries = new Map<
    string,
    { readonly policy: PreviewResource | undefined; readonly arn: string }
  >();
  for (const t of roles) {
    const arn = stringProp(t.r, "permissionsBoundary");
    if (arn === undefined) continue;
    const policy =
      typeof arn === "string"
        ? (managed.get(arn) ?? managed.get(`name:${arn.replace(/^arn:[^:]+:iam::\d*:policy\/(.*\/)?/, "")}`))
        : (t.r.dependsOn.permissionsBoundary ?? []).map((d) => managed.get(`urn:${d.urn}`)).find(Boolean);
    boundaries.set(t.name, { policy, arn: typeof arn === "string" ? arn : "(unknown)" });
  }
  const attach = (
    r: PreviewResource,
    role: string,
    policyArn: string | typeof UNKNOWN | undefined,
    key: string,
  ) => {
    const resource =
      typeof policyArn === "string"
        ? managed.get(policyArn)
        : (r.dependsOn[key] ?? []).map((d) => managed.get(`urn:${d.urn}`)).find((p) => p !== undefined);
    if (resource) {
      const arn = stringProp(resource, "arn");
      if (typeof arn === "string") attachedPolicies.add(arn);
      const doc = stringProp(resource, "policy");
      if (doc === UNKNOWN)
        notKnown.push(unchecked(resource, ["policy"], `the policy attached to role ${role}`));
      else add(role, doc);
    } else if (typeof policyArn === "string" && AWS_MANAGED[policyArn]) {
      add(role, AWS_MANAGED[policyArn]);
    } else if (typeof policyArn === "string") {
      // Only AWS's own managed policies are expected to be unknown offline; a customer managed
      // policy outside this stack could hold anything, and nothing here shows what.
      const awsManaged = /^arn:aws[a-z-]*:iam::aws:policy\//.test(policyArn);
      notKnown.push({
        urn: r.urn,
        expected: awsManaged,
        what: awsManaged
          ? `the content of ${policyArn} (an AWS managed policy) on role ${role}, not known offline`
          : `the content of ${policyArn} (a customer managed policy outside this stack) on role ${role}`,
      });
    } else {
      notKnown.push(unchecked(r, [key], `the policy attached to role ${role}`));
    }
  };
  for (const t of roles) {
    for (const key of ["inlinePolicies", "managedPolicyArns"])
      if (t.r.props[key] === UNKNOWN) notKnown.push(unchecked(t.r, [key], `the ${key} of role ${t.name}`));
    const inline = t.r.props.inlinePolicies;
    for (const p of Array.isArray(inline) ? inline : []) {
      const doc = p !== null && typeof p === "object" ? (p as { policy?: unknown }).policy : undefined;
      if (doc === UNKNOWN)
        notKnown.push(unchecked(t.r, ["inlinePolicies"], `an inline policy of role ${t.name}`));
      else if (doc !== undefined) add(t.name, doc);
    }
    for (const arn of [stringListProp(t.r, "managedPolicyArns")].flatMap((v) => (Array.isArray(v) ? v : [])))
      attach(t.r, t.name, arn, "managedPolicyArns");
  }
  for (const r of of("aws-role-policy")) {
    const doc = stringProp(r, "policy");
    for (const role of roleOf(r, "role")) {
      if (doc === UNKNOWN) notKnown.push(unchecked(r, ["policy"], `the inline policy of role ${role}`));
      else add(role, doc);
    }
  }
  for (const r of of("aws-role-policy-attachment")) {
    const arns = stringListProp(r, r.props.policyArns !== undefined ? "policyArns" : "policyArn");
    const key = r.props.policyArns !== undefined ? "policyArns" : "policyArn";
    for (const role of [...roleOf(r, "role"), ...roleOf(r, "roleName")]) {
      if (arns === UNKNOWN) attach(r, role, UNKNOWN, key);
      else for (const arn of arns ?? []) attach(r, role, arn, key);
    }
  }
  for (const r of of("aws-policy-attachment")) {
    const arn = stringProp(r, "policyArn");
    for (const role of roleOf(r, "roles")) attach(r, role, arn, "policyArn");
  }
  return { documents, attachedPolicies, boundaries };
}

/** The account of the stack's m2m OIDC provider, and its partition. */
export function awsAccountOf(trust: StackTrust): string {
  return (trust.sets.find((set) => set.aws)?.aws?.provider.arn ?? "").split(":")[4] ?? "";
}

/** Every role tagged with a tenant, its ARN (known or composed as IAM will name it). */
export function tenantRoles(
  of: ReturnType<typeof byClass>,
  trust: StackTrust,
  notKnown: Unchecked[] = [],
): TenantRole[] {
  const [, partition = "aws"] = (trust.sets.find((set) => set.aws)?.aws?.provider.arn ?? "").split(":");
  const account = awsAccountOf(trust);
  return of("aws-role").flatMap((r) => {
    const tags = recordProp(r, "tags");
    const name = stringProp(r, "name");
    const tenantId = tags === UNKNOWN ? undefined : tags[AWS_ROLE_TAG_KEYS.tenantId];
    if (!tenantId) return [];
    if (typeof name !== "string") {
      // A tenant's role whose name is not known (a name prefix, a computed name): its policies
      // cannot be tied to it, so it is not checkable.
      notKnown.push(unchecked(r, ["name"], `the name of tenant ${tenantId}'s role`));
      return [];
    }
    const known = stringProp(r, "arn");
    const path = stringProp(r, "path");
    const arn =
      typeof known === "string"
        ? known
        : `arn:${partition}:iam::${account}:role${typeof path === "string" ? path : "/"}${name}`;
    return [
      {
        r,
        tenantId,
        workload: tags === UNKNOWN ? name : (tags[AWS_ROLE_TAG_KEYS.workload] ?? name),
        name,
        arn,
      },
    ];
  });
}

/** Cross-tenant escalation through identity-side grants, in every cloud. */
export function awsEscalationViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
): { readonly violations: Violation[]; readonly unchecked: Unchecked[] } {
  const of = byClass(resources);
  const violations: Violation[] = [];
  const notKnown: Unchecked[] = [];
  const found = (subject: string, message: string) =>
    violations.push({ invariant: "tenant-isolation", subject, message });

  const provider = trust.sets.find((set) => set.aws)?.aws?.provider;
  const account = awsAccountOf(trust);
  const roles = tenantRoles(of, trust, notKnown);
  if (roles.length > 0) {
    const { documents, attachedPolicies, boundaries } = rolePolicies(of, roles, notKnown);
    const tagsOf = (r: PreviewResource) => {
      const tags = recordProp(r, "tags");
      return tags === UNKNOWN ? {} : tags;
    };
    // What a role could escalate through, the same for every role.
    const targets = [
      ...roles.map((b) => ({
        arn: b.arn,
        actions: ROLE_ESCALATION,
        who: `role of ${b.tenantId}/${b.workload}`,
        tags: tagsOf(b.r),
      })),
      ...(provider
        ? [{ arn: provider.arn, actions: PROVIDER_ESCALATION, who: "the m2m OIDC provider", tags: {} }]
        : []),
      ...[...attachedPolicies].map((arn) => ({
        arn,
        actions: POLICY_ESCALATION,
        who: `${arn}, a policy on an m2m role`,
        tags: {},
      })),
    ];
    for (const a of roles) {
      // What IAM would know of the caller; any other key may hold either way (may-hold), so an
      // Allow conditioned on it counts and a Deny conditioned on it does not.
      const principal = {
        "aws:PrincipalAccount": account,
        "aws:PrincipalArn": a.arn,
        ...Object.fromEntries(Object.entries(tagsOf(a.r)).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
        [`aws:PrincipalTag/${AWS_TAG_KEYS.tenantId}`]: a.tenantId,
        [`aws:PrincipalTag/${AWS_TAG_KEYS.workload}`]: a.workload,
      };
      const policies = (documents.get(a.name) ?? []).map((d) => parsePolicy(d, "identity"));
      for (const p of policies)
        for (const f of p.findings)
          violations.push({
            invariant: "malformed-policy",
            subject: `aws role of ${a.tenantId}/${a.workload}`,
            message: `IAM refuses a policy attached to it: ${f}`,
          });
      // The boundary, when its content is in the stack, confines whatever the policies allow.
      const boundaryDoc = boundaries.get(a.name)?.policy
        ? stringProp(boundaries.get(a.name)?.policy as PreviewResource, "policy")
        : undefined;
      const boundary = typeof boundaryDoc === "string" ? parsePolicy(boundaryDoc, "identity") : undefined;
      const allowed = (action: string, resource: string, resourceTags: Readonly<Record<string, string>>) => {
        const context = requestContext({
          ...principal,
          "aws:ResourceAccount": account,
          ...Object.fromEntries(Object.entries(resourceTags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
        });
        const decide = (set: readonly ReturnType<typeof parsePolicy>[]) => {
          const results = set.map(
            (p) => evaluatePolicy(p, { action, resource, context, unknownKeys: "may-hold" }).decision,
          );
          return !results.includes("explicit-deny") && results.includes("allow");
        };
        return decide(policies) && (boundary === undefined || decide([boundary]));
      };
      // Actions the role can never be allowed (no Allow covers them, or a Deny refuses them on
      // every resource) need no target: with the generated boundary that is every one of them, so
      // the check stays linear in roles.
      const possible = new Set(
        [...ROLE_ESCALATION, ...PROVIDER_ESCALATION, ...POLICY_ESCALATION].filter(
          (action) =>
            policies.some((p) => mayAllowAction(p, action)) &&
            (boundary === undefined || mayAllowAction(boundary, action)) &&
            ![...policies, ...(boundary ? [boundary] : [])].some((p) => deniesActionEverywhere(p, action)),
        ),
      );
      for (const target of possible.size === 0 ? [] : targets) {
        const actions = target.actions.filter(
          (action) => possible.has(action) && allowed(action, target.arn, target.tags),
        );
        if (actions.length > 0)
          found(
            `aws role of ${a.tenantId}/${a.workload}`,
            `may ${actions.join(", ")} on ${target.who}: it could act as any tenant whose token that trust admits`,
          );
      }
    }
  }

  return { violations, unchecked: notKnown };
}
