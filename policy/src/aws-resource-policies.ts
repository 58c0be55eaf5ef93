/**
 * The resource-based policies of the stack (S3 bucket, SQS queue, SNS topic, KMS key policies
 * and grants, Secrets Manager secret, Lambda permission, ECR repository), evaluated with the one
 * IAM evaluator for every tenant role and for anyone (`*`). A resource-based policy alone lets
 * a principal of the account in, so it must not name another tenant's role on a tenant's
 * resource, nor open a tenant's resource to any principal, nor give two tenants one resource
 * outside a shared entry with a partition. Tenants' boundaries deny those requests too; the
 * policy is refused all the same, because it says the opposite of the model and a boundary can
 * be changed outside the stack:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * Resource policies outside the stack are not seen (a stated limit).
 */

import { candidateActions, roleSessionKeys } from "../../src/model/trust/aws/aws-reach.ts";
import { requestContext } from "../../src/model/trust/evaluate/iam-condition.ts";
import { arnMatches } from "../../src/model/trust/evaluate/iam-pattern.ts";
import { evaluatePolicy, type IamPolicy, parsePolicy } from "../../src/model/trust/evaluate/iam-policy.ts";
import type { Violation } from "../../src/model/trust/invariants.ts";
import { awsAccountOf, type TenantRole, tenantRoles } from "./aws-escalation.ts";
import type { TenantResourcePatterns } from "./aws-tenant-reach.ts";
import {
  type PreviewResource,
  plain,
  stringListProp,
  stringProp,
  UNKNOWN,
  type Unknown,
} from "./preview-value.ts";
import { normalisedType } from "./resource-types.ts";
import { byClass, type StackTrust, type Unchecked, unchecked } from "./stack-artifacts.ts";

/** What a resource-based policy guards and says, as read from the preview. */
interface GuardedPolicy {
  readonly r: PreviewResource;
  /** The guarded resource's ARNs (the bucket and its objects); `*` where a part is not known. */
  readonly arns: readonly string[];
  /** The document: as written, or composed from a grant's or permission's props. */
  readonly document: unknown;
}

type Place = { readonly partition: string; readonly account: string };

/** What a reader finds: the guarded ARNs and the document, each possibly unknown at preview. */
type Read = { readonly arns: readonly string[] | Unknown; readonly document: unknown };

/** An ARN of `service` with its region from the resource (any, `*`, when it has none). */
const regional = (r: PreviewResource, at: Place, service: string, resource: string) => {
  const region = stringProp(r, "region");
  return `arn:${at.partition}:${service}:${typeof region === "string" ? region : "*"}:${at.account}:${resource}`;
};

/** The prop as a JSON document (written as a string or as an object), UNKNOWN, or undefined. */
function documentProp(r: PreviewResource, key: string): unknown {
  const value = r.props[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (value === UNKNOWN || stringProp(r, key) === UNKNOWN) return UNKNOWN;
  if (typeof value !== "string") return plain(value);
  try {
    return JSON.parse(value);
  } catch {
    return { malformed: value };
  }
}

/** The name an ARN-or-name prop gives, and the ARN when it is one. */
const named = (value: string) => (value.startsWith("arn:") ? value : undefined);

/** A principal as Lambda and KMS take it: `*`, a service, an account, or an ARN. */
function principalElement(principal: string, at: Place): unknown {
  if (principal === "*") return "*";
  if (/\.amazonaws\.com(\.cn)?$/.test(principal)) return { Service: principal };
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${at.partition}:iam::${principal}:root` };
  return { AWS: principal };
}

/** How each resource-policy type is read: what it guards and what it says. */
const READERS: Readonly<Record<string, (r: PreviewResource, at: Place) => Read>> = {
  "aws:s3:bucketpolicy": (r, at) => s3(r, at),
  "aws:s3:bucket": (r, at) => s3(r, at),
  "aws:s3:bucketv2": (r, at) => s3(r, at),
  "aws:sqs:queuepolicy": (r, at) => {
    const url = stringProp(r, "queueUrl");
    const match =
      typeof url === "string" ? /^https:\/\/sqs\.([^.]+)\.[^/]+\/(\d+)\/([^/]+)$/.exec(url) : null;
    return {
      arns: match ? [`arn:${at.partition}:sqs:${match[1]}:${match[2]}:${match[3]}`] : UNKNOWN,
      document: documentProp(r, "policy"),
    };
  },
  "aws:sqs:queue": (r, at) => byName(r, (name) => regional(r, at, "sqs", name)),
  "aws:sns:topicpolicy": (r) => {
    const arn = stringProp(r, "arn");
    return { arns: typeof arn === "string" ? [arn] : UNKNOWN, document: documentProp(r, "policy") };
  },
  "aws:sns:topic": (r, at) => byName(r, (name) => regional(r, at, "sns", name)),
  "aws:kms:keypolicy": (r, at) => {
    const key = stringProp(r, "keyId");
    return {
      arns: typeof key === "string" ? [named(key) ?? regional(r, at, "kms", `key/${key}`)] : UNKNOWN,
      document: documentProp(r, "policy"),
    };
  },
  "aws:kms:key": (r) => {
    const arn = stringProp(r, "arn");
    return { arns: typeof arn === "string" ? [arn] : UNKNOWN, document: documentProp(r, "policy") };
  },
  "aws:kms:grant": (r, at) => {
    const key = stringProp(r, "keyId");
    const grantee = stringProp(r, "granteePrincipal");
    const operations = stringListProp(r, "operations");
    const known = typeof grantee === "string" && operations !== UNKNOWN;
    return {
      arns: typeof key === "string" ? [named(key) ?? regional(r, at, "kms", `key/${key}`)] : UNKNOWN,
      document: known
        ? {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "Grant",
                Effect: "Allow",
                Principal: principalElement(grantee, at),
                Action: (operations ?? []).map((o) => `kms:${o}`),
                Resource: "*",
              },
            ],
          }
        : UNKNOWN,
    };
  },
  "aws:secretsmanager:secretpolicy": (r) => {
    const arn = stringProp(r, "secretArn");
    return { arns: typeof arn === "string" ? [arn] : UNKNOWN, document: documentProp(r, "policy") };
  },
  // Secrets Manager appends six random characters to a secret's name in its ARN.
  "aws:secretsmanager:secret": (r, at) =>
    byName(r, (name) => regional(r, at, "secretsmanager", `secret:${name}-probe`)),
  "aws:ecr:repositorypolicy": (r, at) => {
    const repository = stringProp(r, "repository");
    return {
      arns:
        typeof repository === "string"
          ? [named(repository) ?? regional(r, at, "ecr", `repository/${repository}`)]
          : UNKNOWN,
      document: documentProp(r, "policy"),
    };
  },
  "aws:lambda:permission": (r, at) => {
    const fn = stringProp(r, "function");
    const [principal, action, sourceArn, sourceAccount, org] = [
      "principal",
      "action",
      "sourceArn",
      "sourceAccount",
      "principalOrgId",
    ].map((k) => stringProp(r, k));
    const values = [principal, action, sourceArn, sourceAccount, org];
    const condition = {
      ...(typeof sourceArn === "string" ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
      ...(typeof sourceAccount === "string" ? { StringEquals: { "aws:SourceAccount": sourceAccount } } : {}),
      ...(typeof org === "string" ? { StringEquals: { "aws:PrincipalOrgID": org } } : {}),
    };
    return {
      arns: typeof fn === "string" ? [named(fn) ?? regional(r, at, "lambda", `function:${fn}`)] : UNKNOWN,
      document:
        values.includes(UNKNOWN) || typeof principal !== "string" || typeof action !== "string"
          ? UNKNOWN
          : {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "Permission",
                  Effect: "Allow",
                  Principal: principalElement(principal, at),
                  Action: action,
                  Resource: "*",
                  ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
                },
              ],
            },
    };
  },
};

/** A bucket guards itself and its objects. */
function s3(r: PreviewResource, at: Place): Read {
  const bucket = stringProp(r, "bucket");
  const arn = typeof bucket === "string" ? `arn:${at.partition}:s3:::${bucket}` : undefined;
  return { arns: arn ? [arn, `${arn}/probe`] : UNKNOWN, document: documentProp(r, "policy") };
}

/** A resource carrying its own policy, named by its `name`. */
function byName(r: PreviewResource, arn: (name: string) => string): Read {
  const name = stringProp(r, "name");
  return { arns: typeof name === "string" ? [arn(name)] : UNKNOWN, document: documentProp(r, "policy") };
}

/** Whether a type carries a resource-based policy the pack evaluates. */
export function isResourcePolicyType(type: string): boolean {
  return normalisedType(type) in READERS;
}

/** An ARN with an unknown region (`*`) made comparable with `pattern`: it takes the pattern's region. */
function aligned(pattern: string, arn: string): string {
  const parts = arn.split(":");
  if (parts[3] !== "*") return arn;
  parts[3] = pattern.split(":")[3] ?? "*";
  return parts.join(":");
}

const matchesAny = (patterns: readonly string[], arn: string) =>
  patterns.some((p) => arnMatches(p, aligned(p, arn)));

/** The tenant whose own resources include `arn`, if any. */
function ownerOf(arn: string, patterns: TenantResourcePatterns): string | undefined {
  for (const [tenant, own] of patterns.owned) if (matchesAny(own, arn)) return tenant;
  return undefined;
}

/** One target a policy is tried on: a guarded ARN, or a tenant's partition inside a shared bucket. */
interface Target {
  readonly arn: string;
  readonly owner: string | undefined;
}

/** A guarded resource's targets: itself, and inside a shared bucket each tenant's prefix. */
function targetsOf(arns: readonly string[], patterns: TenantResourcePatterns): Target[] {
  const targets: Target[] = arns.map((arn) => ({ arn, owner: ownerOf(arn, patterns) }));
  for (const arn of arns.filter(
    (a) => a.endsWith("/probe") && a.startsWith("arn:") && a.includes(":s3:::"),
  )) {
    const bucket = arn.slice(0, -"/probe".length);
    for (const [tenant, shared] of patterns.shared)
      if (shared.includes(`${bucket}/${tenant}/*`))
        targets.push({ arn: `${bucket}/${tenant}/probe`, owner: tenant });
  }
  return targets;
}

/** The principal ids a policy may name a role by: its ARN, or one of its sessions. */
function roleIds(role: TenantRole, policy: IamPolicy): string[] {
  const session = role.arn.replace(/:iam::(\d*):role\/(?:.*\/)?/, ":sts::$1:assumed-role/");
  const named = policy.statements.flatMap((s) =>
    s.principal && s.principal !== "*" ? (s.principal.AWS ?? []) : [],
  );
  return [role.arn, ...named.filter((id) => id.startsWith(`${session}/`))];
}

/** Whether any statement may name a principal that is not written out (`*`, a NotPrincipal). */
const namesAnyone = (policy: IamPolicy) =>
  policy.statements.some(
    (s) =>
      s.effect === "Allow" &&
      (s.principal === "*" || s.principal?.AWS?.includes("*") || s.notPrincipal !== undefined),
  );

/** The actions by which `policy` lets `role` act on `arn`. */
function actionsFor(policy: IamPolicy, role: TenantRole, arn: string, account: string): string[] {
  const service = arn.split(":")[2] ?? "";
  const context = requestContext({ ...roleSessionKeys(role), "aws:PrincipalAccount": account });
  const ids = roleIds(role, policy);
  return candidateActions([policy], service).filter((action) =>
    ids.some(
      (id) =>
        evaluatePolicy(policy, {
          action,
          resource: arn,
          principal: { kind: "AWS", id },
          context,
          unknownKeys: "may-hold",
        }).decision === "allow",
    ),
  );
}

/** Whether the policy lets in a principal of another account with no keys (public). */
function openToAnyone(policy: IamPolicy, arn: string): boolean {
  const service = arn.split(":")[2] ?? "";
  return candidateActions([policy], service).some(
    (action) =>
      evaluatePolicy(policy, {
        action,
        resource: arn,
        principal: { kind: "AWS", id: "arn:aws:iam::000000000000:role/anyone" },
        context: requestContext({}),
      }).decision === "allow",
  );
}

/** The tenants of `tenants` whose shared entries all name `arn`. */
const sharedBy = (patterns: TenantResourcePatterns, tenants: readonly string[], arn: string) =>
  tenants.every((t) => matchesAny(patterns.shared.get(t) ?? [], arn));

export function awsResourcePolicyViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
  patterns: TenantResourcePatterns,
): { readonly violations: Violation[]; readonly unchecked: Unchecked[] } {
  const violations: Violation[] = [];
  const notKnown: Unchecked[] = [];
  const guarded = resources.filter((r) => READERS[normalisedType(r.type)] !== undefined);
  if (guarded.length === 0) return { violations, unchecked: notKnown };
  const roles = tenantRoles(byClass(resources), trust);
  const account = awsAccountOf(trust);
  const partition = (trust.sets.find((s) => s.aws)?.aws?.provider.arn ?? "arn:aws").split(":")[1] ?? "aws";
  const found = (r: PreviewResource, message: string) =>
    violations.push({ invariant: "tenant-reach", subject: `aws ${r.name} (${r.type})`, message });
  const policies: GuardedPolicy[] = [];
  for (const r of guarded) {
    const read = READERS[normalisedType(r.type)]?.(r, { partition, account });
    if (!read || read.document === undefined) continue;
    if (read.document === UNKNOWN || read.arns === UNKNOWN) {
      notKnown.push(
        unchecked(
          r,
          Object.keys(r.props),
          `the resource-based policy of ${r.name}, or the resource it guards,`,
        ),
      );
      continue;
    }
    policies.push({ r, arns: read.arns, document: read.document });
  }
  // Who reaches each target, across every policy on it (a key's policy and its grants).
  const reachers = new Map<string, { target: Target; tenants: Set<string>; at: PreviewResource[] }>();
  for (const { r, arns, document } of policies) {
    const policy = parsePolicy(document, "resource");
    if (policy.findings.length > 0) {
      found(r, `its policy is not one IAM would evaluate as written: ${policy.findings.join("; ")}`);
      continue;
    }
    // Only the roles a policy can name are tried, unless it names anyone.
    const ids = new Set(
      policy.statements.flatMap((s) => (s.principal && s.principal !== "*" ? (s.principal.AWS ?? []) : [])),
    );
    const candidates = namesAnyone(policy)
      ? roles
      : roles.filter((role) => roleIds(role, policy).some((id) => ids.has(id)) || ids.has(role.arn));
    for (const target of targetsOf(arns, patterns)) {
      if (target.owner !== undefined && openToAnyone(policy, target.arn))
        found(
          r,
          `its policy opens ${target.arn} of ${target.owner} to any principal: name only ${target.owner}'s roles, or add a condition that only they meet`,
        );
      for (const role of candidates) {
        const actions = actionsFor(policy, role, target.arn, account);
        if (actions.length === 0) continue;
        if (target.owner !== undefined && target.owner !== role.tenantId)
          found(
            r,
            `its policy lets the role of ${role.tenantId}/${role.workload} reach ${target.arn} of ${target.owner} (${actions.join(", ")}): a resource-based policy may name only its own tenant's roles`,
          );
        const entry = reachers.get(target.arn) ?? { target, tenants: new Set<string>(), at: [] };
        entry.tenants.add(role.tenantId);
        if (!entry.at.includes(r)) entry.at.push(r);
        reachers.set(target.arn, entry);
      }
    }
  }
  for (const { target, tenants, at } of reachers.values()) {
    const who = [...tenants].sort();
    if (target.owner !== undefined || who.length < 2 || sharedBy(patterns, who, target.arn)) continue;
    for (const r of at)
      found(
        r,
        `${target.arn} belongs to no tenant and its policies let ${who.join(", ")} reach it: declare it under clouds.aws.shared with a partition, or give each tenant its own`,
      );
  }
  return { violations, unchecked: notKnown };
}
