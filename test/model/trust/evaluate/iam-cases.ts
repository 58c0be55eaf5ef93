// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${...} in plain strings
/**
 * IAM evaluation cases, each taken from the IAM User Guide with the result it documents. One
 * table serves the evaluator's tests and, later, any check built on the evaluator.
 * Sources:
 * - OPS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - MULTI: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * - LOGIC: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 * - VARS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * - ELEMENTS: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 * - EVAL: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

type Keys = Record<string, string | readonly string[]>;

/** One documented case: a condition block against request keys, and whether it holds. */
export interface ConditionCase {
  readonly source: string;
  readonly what: string;
  readonly condition: Record<string, Record<string, string | boolean | number | readonly string[]>>;
  readonly request: Keys;
  readonly holds: boolean;
}

export const CONDITION_CASES: readonly ConditionCase[] = [
  {
    source: "OPS",
    what: "StringEquals matches exactly",
    condition: { StringEquals: { "aws:PrincipalTag/job": "iamuser-admin" } },
    request: { "aws:PrincipalTag/job": "iamuser-admin" },
    holds: true,
  },
  {
    source: "OPS",
    what: "StringEquals values are case-sensitive",
    condition: { StringEquals: { "aws:PrincipalTag/job": "IAMUSER-ADMIN" } },
    request: { "aws:PrincipalTag/job": "iamuser-admin" },
    holds: false,
  },
  {
    source: "OPS",
    what: "condition key names are case-insensitive",
    condition: { StringEquals: { "ACME.AUTH0.COM/:SUB": "c1@clients" } },
    request: { "acme.auth0.com/:sub": "c1@clients" },
    holds: true,
  },
  {
    source: "OPS",
    what: "StringEqualsIgnoreCase ignores case",
    condition: { StringEqualsIgnoreCase: { "aws:PrincipalTag/job": "IAMUSER-ADMIN" } },
    request: { "aws:PrincipalTag/job": "iamuser-admin" },
    holds: true,
  },
  {
    source: "OPS",
    what: "StringNotEqualsIgnoreCase refuses a case variant",
    condition: { StringNotEqualsIgnoreCase: { "aws:PrincipalTag/job": "ADMIN" } },
    request: { "aws:PrincipalTag/job": "admin" },
    holds: false,
  },
  {
    source: "OPS",
    what: "StringLike with * spans characters",
    condition: { StringLike: { "s3:prefix": "home/${aws:username}/*" } },
    request: { "s3:prefix": "home/alice/docs", "aws:username": "alice" },
    holds: true,
  },
  {
    source: "OPS",
    what: "StringLike with ? is one character",
    condition: { StringLike: { "aws:PrincipalTag/team": "t?" } },
    request: { "aws:PrincipalTag/team": "t12" },
    holds: false,
  },
  {
    source: "OPS",
    what: "StringNotLike holds when no pattern matches",
    condition: { StringNotLike: { "aws:PrincipalTag/team": ["a*", "b*"] } },
    request: { "aws:PrincipalTag/team": "c1" },
    holds: true,
  },
  {
    source: "LOGIC",
    what: "a negated operator with several values is a NOR",
    condition: { StringNotEquals: { "aws:PrincipalTag/team": ["a", "b"] } },
    request: { "aws:PrincipalTag/team": "b" },
    holds: false,
  },
  {
    source: "OPS",
    what: "a negated operator on a missing key holds",
    condition: { StringNotEquals: { "aws:PrincipalTag/team": "a" } },
    request: {},
    holds: true,
  },
  {
    source: "OPS",
    what: "a positive operator on a missing key fails",
    condition: { StringEquals: { "aws:PrincipalTag/team": "a" } },
    request: {},
    holds: false,
  },
  {
    source: "OPS",
    what: "ArnNotLike on a missing key holds",
    condition: { ArnNotLike: { "aws:SourceArn": "arn:aws:sns:*:123456789012:*" } },
    request: {},
    holds: true,
  },
  {
    source: "OPS",
    what: "IfExists holds on a missing key",
    condition: { StringEqualsIfExists: { "ec2:InstanceType": "t2.micro" } },
    request: {},
    holds: true,
  },
  {
    source: "OPS",
    what: "IfExists tests the value when the key is there",
    condition: { StringEqualsIfExists: { "ec2:InstanceType": "t2.micro" } },
    request: { "ec2:InstanceType": "m5.large" },
    holds: false,
  },
  {
    source: "OPS",
    what: "Null true holds when the key is absent",
    condition: { Null: { "aws:TokenIssueTime": "true" } },
    request: {},
    holds: true,
  },
  {
    source: "OPS",
    what: "Null false holds when the key is present",
    condition: { Null: { "aws:TokenIssueTime": "false" } },
    request: { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" },
    holds: true,
  },
  {
    source: "OPS",
    what: "Null true fails when the key is present",
    condition: { Null: { "aws:TokenIssueTime": "true" } },
    request: { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" },
    holds: false,
  },
  {
    source: "OPS",
    what: "Bool compares true and false",
    condition: { Bool: { "aws:SecureTransport": "false" } },
    request: { "aws:SecureTransport": "true" },
    holds: false,
  },
  {
    source: "OPS",
    what: "Bool accepts a JSON boolean value",
    condition: { Bool: { "aws:MultiFactorAuthPresent": true } },
    request: { "aws:MultiFactorAuthPresent": "true" },
    holds: true,
  },
  {
    source: "OPS",
    what: "Bool on a missing key fails",
    condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    request: {},
    holds: false,
  },
  {
    source: "OPS",
    what: "BoolIfExists on a missing key holds",
    condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } },
    request: {},
    holds: true,
  },
  {
    source: "OPS",
    what: "NumericLessThanEquals",
    condition: { NumericLessThanEquals: { "s3:max-keys": "10" } },
    request: { "s3:max-keys": "10" },
    holds: true,
  },
  {
    source: "OPS",
    what: "NumericLessThan",
    condition: { NumericLessThan: { "s3:max-keys": 10 } },
    request: { "s3:max-keys": "11" },
    holds: false,
  },
  {
    source: "OPS",
    what: "NumericNotEquals",
    condition: { NumericNotEquals: { "s3:max-keys": ["1", "2"] } },
    request: { "s3:max-keys": "3" },
    holds: true,
  },
  {
    source: "OPS",
    what: "NumericGreaterThanEquals",
    condition: { NumericGreaterThanEquals: { "s3:max-keys": "5" } },
    request: { "s3:max-keys": "4" },
    holds: false,
  },
  {
    source: "OPS",
    what: "DateLessThan compares ISO 8601 dates",
    condition: { DateLessThan: { "aws:CurrentTime": "2026-06-30T00:00:00Z" } },
    request: { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
    holds: true,
  },
  {
    source: "OPS",
    what: "DateGreaterThan compares epoch seconds too",
    condition: { DateGreaterThan: { "aws:EpochTime": "1700000000" } },
    request: { "aws:EpochTime": "1600000000" },
    holds: false,
  },
  {
    source: "OPS",
    what: "DateNotEquals",
    condition: { DateNotEquals: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } },
    request: { "aws:CurrentTime": "2026-01-01T00:00:00Z" },
    holds: false,
  },
  {
    source: "OPS",
    what: "IpAddress matches a CIDR",
    condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    request: { "aws:SourceIp": "203.0.113.7" },
    holds: true,
  },
  {
    source: "OPS",
    what: "IpAddress outside the CIDR",
    condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"] } },
    request: { "aws:SourceIp": "198.51.100.1" },
    holds: false,
  },
  {
    source: "OPS",
    what: "IpAddress matches IPv6",
    condition: { IpAddress: { "aws:SourceIp": "2001:db8::/32" } },
    request: { "aws:SourceIp": "2001:db8:0:1::5" },
    holds: true,
  },
  {
    source: "OPS",
    what: "NotIpAddress holds outside the CIDR",
    condition: { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    request: { "aws:SourceIp": "198.51.100.1" },
    holds: true,
  },
  {
    source: "OPS",
    what: "ArnLike matches each part with wildcards",
    condition: { ArnLike: { "aws:SourceArn": "arn:aws:sns:*:123456789012:*" } },
    request: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:topic" },
    holds: true,
  },
  {
    source: "OPS",
    what: "ArnEquals: a wildcard does not reach across parts",
    condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:*:123456789012" } },
    request: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:topic" },
    holds: false,
  },
  {
    source: "OPS",
    what: "ArnNotEquals holds for another account",
    condition: { ArnNotEquals: { "aws:SourceArn": "arn:aws:sns:*:123456789012:*" } },
    request: { "aws:SourceArn": "arn:aws:sns:eu-west-1:999999999999:topic" },
    holds: true,
  },
  {
    source: "MULTI",
    what: "ForAllValues holds when every request value is listed",
    condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["tenant_id", "workload"] } },
    request: { "aws:TagKeys": ["tenant_id"] },
    holds: true,
  },
  {
    source: "MULTI",
    what: "ForAllValues fails when one request value is not listed",
    condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["tenant_id"] } },
    request: { "aws:TagKeys": ["tenant_id", "admin"] },
    holds: false,
  },
  {
    source: "MULTI",
    what: "ForAllValues holds on a missing key",
    condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["tenant_id"] } },
    request: {},
    holds: true,
  },
  {
    source: "MULTI",
    what: "ForAnyValue holds when one request value is listed",
    condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["tenant_id"] } },
    request: { "aws:TagKeys": ["x", "tenant_id"] },
    holds: true,
  },
  {
    source: "MULTI",
    what: "ForAnyValue fails on a missing key",
    condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["tenant_id"] } },
    request: {},
    holds: false,
  },
  {
    source: "MULTI",
    what: "ForAllValues:StringNotEquals holds when no request value is listed",
    condition: { "ForAllValues:StringNotEquals": { "aws:TagKeys": ["admin"] } },
    request: { "aws:TagKeys": ["tenant_id", "workload"] },
    holds: true,
  },
  {
    source: "MULTI",
    what: "ForAnyValue:StringNotLike holds when one value matches no pattern",
    condition: { "ForAnyValue:StringNotLike": { "aws:TagKeys": ["tenant*"] } },
    request: { "aws:TagKeys": ["tenant_id", "admin"] },
    holds: true,
  },
  {
    source: "MULTI",
    what: "operator names are case-insensitive, qualifiers too",
    condition: { "forallvalues:stringequals": { "aws:TagKeys": ["a"] } },
    request: { "aws:TagKeys": ["b"] },
    holds: false,
  },
  {
    source: "LOGIC",
    what: "operators of one block all apply (AND)",
    condition: { StringEquals: { "aws:PrincipalTag/a": "1" }, StringLike: { "aws:PrincipalTag/b": "x*" } },
    request: { "aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "y" },
    holds: false,
  },
  {
    source: "LOGIC",
    what: "keys of one operator all apply (AND)",
    condition: { StringEquals: { "aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2" } },
    request: { "aws:PrincipalTag/a": "1" },
    holds: false,
  },
  {
    source: "LOGIC",
    what: "values of one key are alternatives (OR)",
    condition: { StringEquals: { "aws:PrincipalTag/a": ["1", "2"] } },
    request: { "aws:PrincipalTag/a": "2" },
    holds: true,
  },
  {
    source: "VARS",
    what: "a policy variable takes the request's value",
    condition: { StringEquals: { "aws:ResourceTag/tenant_id": "${aws:PrincipalTag/tenant_id}" } },
    request: { "aws:ResourceTag/tenant_id": "globex", "aws:PrincipalTag/tenant_id": "globex" },
    holds: true,
  },
  {
    source: "VARS",
    what: "a variable for another tenant does not match",
    condition: { StringEquals: { "aws:ResourceTag/tenant_id": "${aws:PrincipalTag/tenant_id}" } },
    request: { "aws:ResourceTag/tenant_id": "initech", "aws:PrincipalTag/tenant_id": "globex" },
    holds: false,
  },
  {
    source: "VARS",
    what: "a variable with no value matches nothing",
    condition: { StringEquals: { "aws:ResourceTag/tenant_id": "${aws:PrincipalTag/tenant_id}" } },
    request: { "aws:ResourceTag/tenant_id": "" },
    holds: false,
  },
  {
    source: "VARS",
    what: "a variable's default stands in for a missing key",
    condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team, 'none'}" } },
    request: { "aws:ResourceTag/team": "none" },
    holds: true,
  },
  {
    source: "VARS",
    what: "${*} is a literal asterisk, not a wildcard",
    condition: { StringLike: { "s3:prefix": "a${*}" } },
    request: { "s3:prefix": "abc" },
    holds: false,
  },
  {
    source: "VARS",
    what: "${*} matches a literal asterisk",
    condition: { StringLike: { "s3:prefix": "a${*}" } },
    request: { "s3:prefix": "a*" },
    holds: true,
  },
  {
    source: "MULTI",
    what: "Null with both values holds either way (values are alternatives)",
    condition: { Null: { "aws:TokenIssueTime": ["true", "false"] } },
    request: { "aws:TokenIssueTime": "2024-01-01T00:00:00Z" },
    holds: true,
  },
  {
    source: "VARS",
    what: "a variable naming no key (constructor) has no value",
    condition: { StringEquals: { "aws:PrincipalTag/a": "${constructor}" } },
    request: { "aws:PrincipalTag/a": "function Object() { [native code] }" },
    holds: false,
  },
];

/** One documented case of a whole policy: statements against a request, and IAM's decision. */
export interface PolicyCase {
  readonly source: string;
  readonly what: string;
  readonly kind: "identity" | "resource";
  readonly policy: unknown;
  readonly request: {
    readonly action: string;
    readonly resource?: string;
    readonly principal?: { readonly kind: "AWS" | "Federated" | "Service"; readonly id: string };
    readonly keys?: Keys;
  };
  readonly decision: "allow" | "explicit-deny" | "implicit-deny";
  /** A finding the policy must produce (a malformed part). */
  readonly finding?: RegExp;
}

const V = "2012-10-17";
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/acme.auth0.com/";
const ROLE = "arn:aws:iam::123456789012:role/m2m-dev-globex-billing";

export const POLICY_CASES: readonly PolicyCase[] = [
  {
    source: "ELEMENTS",
    what: "Action as a string",
    kind: "identity",
    policy: { Version: V, Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" } },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "actions compare case-insensitively",
    kind: "identity",
    policy: { Version: V, Statement: [{ Effect: "Allow", Action: ["S3:get*"], Resource: "*" }] },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "resources compare case-sensitively",
    kind: "identity",
    policy: { Version: V, Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::B/*" }] },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
    decision: "implicit-deny",
  },
  {
    source: "ELEMENTS",
    what: "NotAction allows every other action",
    kind: "identity",
    policy: { Version: V, Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] },
    request: { action: "sts:AssumeRole", resource: ROLE },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "NotAction excludes the listed actions",
    kind: "identity",
    policy: { Version: V, Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] },
    request: { action: "iam:UpdateAssumeRolePolicy", resource: ROLE },
    decision: "implicit-deny",
  },
  {
    source: "ELEMENTS",
    what: "NotResource applies to every other resource",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Deny", Action: "*", NotResource: "arn:aws:s3:::acme-dev-globex*" },
        { Effect: "Allow", Action: "s3:*", Resource: "*" },
      ],
    },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::acme-dev-initech/k" },
    decision: "explicit-deny",
  },
  {
    source: "ELEMENTS",
    what: "NotResource does not apply to the listed resources",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Deny", Action: "*", NotResource: "arn:aws:s3:::acme-dev-globex*" },
        { Effect: "Allow", Action: "s3:*", Resource: "*" },
      ],
    },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::acme-dev-globex/k" },
    decision: "allow",
  },
  {
    source: "EVAL",
    what: "an explicit Deny wins over an Allow",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Deny", Action: "iam:*", Resource: "*" },
      ],
    },
    request: { action: "iam:PassRole", resource: ROLE },
    decision: "explicit-deny",
  },
  {
    source: "EVAL",
    what: "with no statement applying, the request is implicitly denied",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*" }],
    },
    request: { action: "s3:PutObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
  },
  {
    source: "VARS",
    what: "a variable in Resource confines to the principal's tenant",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: "arn:aws:s3:::acme-dev-${aws:PrincipalTag/tenant_id}/*",
        },
      ],
    },
    request: {
      action: "s3:GetObject",
      resource: "arn:aws:s3:::acme-dev-initech/k",
      keys: { "aws:PrincipalTag/tenant_id": "globex" },
    },
    decision: "implicit-deny",
  },
  {
    source: "VARS",
    what: "a variable in Resource allows the principal's own tenant",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: "arn:aws:s3:::acme-dev-${aws:PrincipalTag/tenant_id}/*",
        },
      ],
    },
    request: {
      action: "s3:GetObject",
      resource: "arn:aws:s3:::acme-dev-globex/k",
      keys: { "aws:PrincipalTag/tenant_id": "globex" },
    },
    decision: "allow",
  },
  {
    source: "VARS",
    what: "variables are literal text under version 2008-10-17",
    kind: "identity",
    policy: {
      Version: "2008-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:*",
          Resource: "arn:aws:s3:::acme-dev-${aws:PrincipalTag/tenant_id}/*",
        },
      ],
    },
    request: {
      action: "s3:GetObject",
      resource: "arn:aws:s3:::acme-dev-globex/k",
      keys: { "aws:PrincipalTag/tenant_id": "globex" },
    },
    decision: "implicit-deny",
  },
  {
    source: "ELEMENTS",
    what: "Principal.Federated as a string",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" },
      ],
    },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "Principal.Federated as an array",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: ["arn:aws:iam::1:oidc-provider/x/", PROVIDER] },
          Action: ["sts:AssumeRoleWithWebIdentity"],
        },
      ],
    },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "a Principal of another provider does not apply",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/x/" }, Action: "sts:*" },
      ],
    },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "implicit-deny",
  },
  {
    source: "ELEMENTS",
    what: "Principal * lets anyone in",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" }],
    },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "NotPrincipal with Deny denies everyone else",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "sts:*" },
        { Effect: "Deny", NotPrincipal: { Federated: PROVIDER }, Action: "sts:*" },
      ],
    },
    request: {
      action: "sts:AssumeRoleWithWebIdentity",
      principal: { kind: "Federated", id: "arn:aws:iam::1:oidc-provider/other/" },
    },
    decision: "explicit-deny",
  },
  {
    source: "ELEMENTS",
    what: "NotPrincipal does not deny the principal it names",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "sts:*" },
        { Effect: "Deny", NotPrincipal: { Federated: PROVIDER }, Action: "sts:*" },
      ],
    },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "allow",
  },
  {
    source: "ELEMENTS",
    what: "a wildcard inside a principal is refused",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        { Effect: "Allow", Principal: { Federated: "arn:aws:iam::*:oidc-provider/*" }, Action: "sts:*" },
      ],
    },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "implicit-deny",
    finding: /Principal\.Federated: .* has a wildcard/,
  },
  {
    source: "ELEMENTS",
    what: "a statement with neither Action nor NotAction is refused",
    kind: "resource",
    policy: { Version: V, Statement: [{ Effect: "Allow", Principal: "*" }] },
    request: { action: "sts:AssumeRoleWithWebIdentity", principal: { kind: "Federated", id: PROVIDER } },
    decision: "implicit-deny",
    finding: /Statement\[0\]: needs Action or NotAction/,
  },
  {
    source: "ELEMENTS",
    what: "an Effect other than Allow or Deny is refused",
    kind: "identity",
    policy: { Version: V, Statement: [{ Effect: "allow", Action: "*", Resource: "*" }] },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
    finding: /Statement\[0\]\.Effect/,
  },
  {
    source: "ELEMENTS",
    what: "an unknown condition operator is refused",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { StringMaybe: { "aws:PrincipalTag/a": "1" } },
        },
      ],
    },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
    finding: /unknown operator StringMaybe/,
  },
  {
    source: "ELEMENTS",
    what: "an identity policy with a Principal is refused",
    kind: "identity",
    policy: { Version: V, Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
    finding: /names no Principal/,
  },
  {
    source: "ELEMENTS",
    what: "a Statement that is not a list or object is refused",
    kind: "identity",
    policy: { Version: V, Statement: "Allow everything" },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
    finding: /a statement must be an object/,
  },
  {
    source: "ELEMENTS",
    what: "text that is not JSON is refused",
    kind: "identity",
    policy: "{not json",
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
    finding: /not valid JSON/,
  },
  {
    source: "ELEMENTS",
    what: "a statement with both Principal and NotPrincipal is refused",
    kind: "resource",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          NotPrincipal: { AWS: "arn:aws:iam::1:root" },
          Action: "sts:AssumeRole",
        },
      ],
    },
    request: { action: "sts:AssumeRole", principal: { kind: "AWS", id: "arn:aws:iam::2:root" } },
    decision: "implicit-deny",
    finding: /has both Principal and NotPrincipal/,
  },
  {
    source: "OPS",
    what: "an operator named like an object property (constructor) is refused",
    kind: "identity",
    policy: {
      Version: V,
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { constructor: { "aws:PrincipalTag/a": "1" } },
        },
      ],
    },
    request: { action: "s3:GetObject", resource: "arn:aws:s3:::a/k" },
    decision: "implicit-deny",
    finding: /unknown operator constructor/,
  },
];
