import { AWS_TAG_KEYS } from "../../src/model/aws-session-tags.ts";
import { requestContext } from "../../src/model/evaluate/iam-condition.ts";
import { evaluatePolicy, parsePolicy } from "../../src/model/evaluate/iam-policy.ts";
import { serviceAccountKey } from "../../src/model/gcp-service-account.ts";
import type { Violation } from "../../src/model/invariants.ts";
import { AWS_ROLE_TAG_KEYS } from "../../src/model/tenant-labels.ts";
import { type PreviewResource, recordProp, stringListProp, stringProp, UNKNOWN } from "./preview-value.ts";
import { byClass, gcpMembers, type StackTrust, type Unchecked, unchecked } from "./stack-artifacts.ts";

/**
 * Who may change another tenant's cloud identity: a tenant's identity that may rewrite the
 * trust or permissions of another tenant's role, pass it, or add credentials to its identity,
 * acts as that tenant. These paths run through resources the program does not generate
 * (inline and attached policies, service-account IAM, role assignments), so the pack reads them
 * from every shape they can take.
 */

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

interface TenantRole {
  readonly r: PreviewResource;
  readonly tenantId: string;
  readonly workload: string;
  readonly name: string;
  readonly arn: string;
}

/** The identity policies attached to each role, by role name; unknown ones are recorded. */
function rolePolicies(of: ReturnType<typeof byClass>, roles: readonly TenantRole[], notKnown: Unchecked[]) {
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
  const managed = new Map<string, PreviewResource>();
  for (const p of of("aws-managed-policy")) {
    const arn = stringProp(p, "arn");
    if (typeof arn === "string") managed.set(arn, p);
    managed.set(`urn:${p.urn}`, p);
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
      const doc = stringProp(resource, "policy");
      if (doc === UNKNOWN)
        notKnown.push(unchecked(resource, ["policy"], `the policy attached to role ${role}`));
      else add(role, doc);
    } else if (typeof policyArn === "string" && AWS_MANAGED[policyArn]) {
      add(role, AWS_MANAGED[policyArn]);
    } else if (typeof policyArn === "string") {
      notKnown.push({
        urn: r.urn,
        expected: true,
        what: `the content of ${policyArn} (an AWS managed policy) on role ${role}, not known offline`,
      });
    } else {
      notKnown.push(unchecked(r, [key], `the policy attached to role ${role}`));
    }
  };
  for (const t of roles) {
    const inline = t.r.props.inlinePolicies;
    for (const p of Array.isArray(inline) ? inline : []) add(t.name, (p as { policy?: unknown }).policy);
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
  return documents;
}

/** Cross-tenant escalation through identity-side grants, in every cloud. */
export function escalationViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
): { readonly violations: Violation[]; readonly unchecked: Unchecked[] } {
  const of = byClass(resources);
  const violations: Violation[] = [];
  const notKnown: Unchecked[] = [];
  const found = (subject: string, message: string) =>
    violations.push({ invariant: "tenant-isolation", subject, message });

  const provider = trust.artifacts.aws?.provider;
  const [, partition = "aws", , , account = ""] = (provider?.arn ?? "").split(":");
  const roles: TenantRole[] = of("aws-role").flatMap((r) => {
    const tags = recordProp(r, "tags");
    const name = stringProp(r, "name");
    const tenantId = tags === UNKNOWN ? undefined : tags[AWS_ROLE_TAG_KEYS.tenantId];
    if (!tenantId || typeof name !== "string") return [];
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
  if (roles.length > 0) {
    const documents = rolePolicies(of, roles, notKnown);
    for (const a of roles) {
      const context = requestContext({
        [`aws:PrincipalTag/${AWS_TAG_KEYS.tenantId}`]: a.tenantId,
        [`aws:PrincipalTag/${AWS_TAG_KEYS.workload}`]: a.workload,
      });
      const policies = (documents.get(a.name) ?? []).map((d) => parsePolicy(d, "identity"));
      for (const p of policies)
        for (const f of p.findings)
          violations.push({
            invariant: "malformed-policy",
            subject: `aws role of ${a.tenantId}/${a.workload}`,
            message: `IAM refuses a policy attached to it: ${f}`,
          });
      const allowed = (action: string, resource: string) => {
        const results = policies.map((p) => evaluatePolicy(p, { action, resource, context }).decision);
        return !results.includes("explicit-deny") && results.includes("allow");
      };
      const targets = [
        ...roles.map((b) => ({
          arn: b.arn,
          actions: ROLE_ESCALATION,
          who: `role of ${b.tenantId}/${b.workload}`,
        })),
        ...(provider
          ? [{ arn: provider.arn, actions: PROVIDER_ESCALATION, who: "the m2m OIDC provider" }]
          : []),
      ];
      for (const target of targets) {
        const actions = target.actions.filter((action) => allowed(action, target.arn));
        if (actions.length > 0)
          found(
            `aws role of ${a.tenantId}/${a.workload}`,
            `may ${actions.join(", ")} on ${target.who}: it could act as any tenant whose token that trust admits`,
          );
      }
    }
  }

  // A tenant's service account granted on another tenant's service account impersonates it.
  for (const r of of("gcp-iam").filter((x) => x.type.toLowerCase().startsWith("gcp:serviceaccount/"))) {
    const id = stringProp(r, "serviceAccountId");
    const target =
      typeof id === "string"
        ? trust.serviceAccountTenants.get(serviceAccountKey(id) ?? "")
        : (r.dependsOn.serviceAccountId ?? [])
            .map((d) => trust.serviceAccountTenants.get(`urn:${d.urn}`))
            .find(Boolean);
    const members = gcpMembers(r);
    if (!target || members === UNKNOWN) continue;
    for (const member of members) {
      const holder = trust.serviceAccountTenants.get(serviceAccountKey(member) ?? "");
      if (holder && holder !== target)
        found(
          `gcp ${r.name} on the service account of ${target}`,
          `${member}, the service account of ${holder}, is granted on it`,
        );
    }
  }

  // A role assignment to a tenant's identity at a scope that holds another tenant's identity.
  const identities = of("azure-identity").flatMap((r) => {
    const tags = recordProp(r, "tags");
    const tenant = tags === UNKNOWN ? undefined : trust.identityTenants.get(`urn:${r.urn}`);
    const group = stringProp(r, "resourceGroupName");
    const name = stringProp(r, "resourceName") ?? stringProp(r, "name");
    return tenant && typeof group === "string" && typeof name === "string"
      ? [
          {
            tenant,
            path: [
              "resourcegroups",
              group,
              "providers",
              "microsoft.managedidentity",
              "userassignedidentities",
              name,
            ].map((s) => s.toLowerCase()),
          },
        ]
      : [];
  });
  for (const r of of("azure-role-assignment")) {
    const principal = stringProp(r, "principalId");
    const holder =
      typeof principal === "string"
        ? trust.identityTenants.get(principal.toLowerCase())
        : (r.dependsOn.principalId ?? []).map((d) => trust.identityTenants.get(`urn:${d.urn}`)).find(Boolean);
    const scope = stringProp(r, "scope");
    if (!holder) continue;
    if (typeof scope !== "string") {
      notKnown.push(unchecked(r, ["scope"], "the scope of a role assignment to a tenant identity"));
      continue;
    }
    const segments = scope.toLowerCase().split("/").filter(Boolean);
    // Above a subscription (management groups, the root) every identity is in scope.
    const rest = segments[0] === "subscriptions" ? segments.slice(2) : undefined;
    for (const other of identities.filter((i) => i.tenant !== holder)) {
      const covers = rest === undefined || rest.every((s, i) => other.path[i] === s);
      if (covers)
        found(
          `azure ${r.name} for ${holder}`,
          `its scope ${scope} holds the identity of ${other.tenant}, whose federated credentials decide whose tokens act as it`,
        );
    }
  }
  return { violations, unchecked: notKnown };
}
