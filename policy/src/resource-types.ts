// The resource types the pack understands, matched case-insensitively by provider, module and
// kind, with API versions stripped: `azure-native:managedidentity/v20230131:FederatedIdentityCredential`
// is a federated credential like `azure-native:managedidentity:FederatedIdentityCredential`, and
// `gcp:bigquery/datasetIamMember:DatasetIamMember` is a GCP IAM member like any other. A type
// whose name suggests it carries access and that the pack does not understand is a violation,
// not a pass.

/** A type token, lower-cased, its module's version removed. */
export interface TypeToken {
  readonly provider: string;
  readonly module: string;
  readonly kind: string;
}

/** Splits `provider:module[/sub]:Kind` (azure-native versions `module/v20230131` dropped). */
export function typeToken(type: string): TypeToken {
  const [provider = "", module = "", kind = ""] = type.toLowerCase().split(":");
  return { provider, module: module.replace(/\/v\d{8}(preview)?$/, ""), kind };
}

/** What a resource means for tenant isolation. */
export type AccessClass =
  | "auth0-client"
  | "aws-oidc-provider"
  | "aws-role"
  | "aws-role-policy"
  | "aws-role-policy-attachment"
  | "aws-policy-attachment"
  | "aws-role-policies-exclusive"
  | "aws-managed-policy"
  | "gcp-pool"
  | "gcp-pool-provider"
  | "gcp-service-account"
  | "gcp-iam"
  | "gcp-embedded-access"
  | "azure-identity"
  | "azure-federated-credential"
  | "azure-role-assignment";

const EXACT: Readonly<Record<string, AccessClass>> = {
  "auth0:index:client": "auth0-client",
  "aws:iam:openidconnectprovider": "aws-oidc-provider",
  "aws:iam:role": "aws-role",
  "aws:iam:rolepolicy": "aws-role-policy",
  "aws:iam:rolepolicyattachment": "aws-role-policy-attachment",
  "aws:iam:rolepolicyattachmentsexclusive": "aws-role-policy-attachment",
  "aws:iam:policyattachment": "aws-policy-attachment",
  "aws:iam:rolepoliciesexclusive": "aws-role-policies-exclusive",
  "aws:iam:policy": "aws-managed-policy",
  "gcp:iam:workloadidentitypool": "gcp-pool",
  "gcp:iam:workloadidentitypoolprovider": "gcp-pool-provider",
  "gcp:serviceaccount:account": "gcp-service-account",
  // Access written inside a resource rather than as an IAM member: BigQuery's dataset access
  // entries and Cloud Storage's legacy ACLs.
  "gcp:bigquery:dataset": "gcp-embedded-access",
  "gcp:bigquery:datasetaccess": "gcp-embedded-access",
  "gcp:storage:bucketaccesscontrol": "gcp-embedded-access",
  "gcp:storage:defaultobjectaccesscontrol": "gcp-embedded-access",
  "gcp:storage:objectaccesscontrol": "gcp-embedded-access",
  "azure-native:managedidentity:userassignedidentity": "azure-identity",
  "azure-native:managedidentity:federatedidentitycredential": "azure-federated-credential",
  "azure-native:authorization:roleassignment": "azure-role-assignment",
  "azure:authorization:userassignedidentity": "azure-identity",
  "azure:armmsi:federatedidentitycredential": "azure-federated-credential",
  "azure:authorization:assignment": "azure-role-assignment",
};

/** The class of a type, or undefined when the pack does not know it. */
export function accessClass(type: string): AccessClass | undefined {
  const t = typeToken(type);
  // Pulumi writes a module as `module/kind` (aws:iam/role:Role): the kind is the part after the slash.
  const module = t.module.split("/")[0] ?? "";
  const exact = EXACT[`${t.provider}:${module}:${t.kind}`];
  if (exact) return exact;
  // Every service's IAM member, binding and policy: one shape, whatever the service.
  if (t.provider === "gcp" && /iam(member|binding|policy)$/.test(t.kind)) return "gcp-iam";
  return undefined;
}

/**
 * Providers whose every access-carrying type must be understood: the clouds' own providers, the
 * native ones beside them, and Entra ID (application federated credentials).
 */
const GUARDED_PROVIDERS = new Set([
  "aws",
  "aws-native",
  "gcp",
  "google-native",
  "azure-native",
  "azure",
  "azuread",
]);

/**
 * Types whose names suggest access but which grant none to an identity: they block or scale.
 * Each is listed by its normalised token, so an addition is a reviewed decision.
 */
export const GRANT_NOTHING: ReadonlySet<string> = new Set([
  "aws:s3:bucketpublicaccessblock",
  "aws:s3:accountpublicaccessblock",
  "aws:ec2:keypair",
  "aws:appautoscaling:policy",
  "aws:autoscaling:policy",
]);

/**
 * Text in a type's module or kind that says it may grant access, matched anywhere in the name
 * (`groupMembership`, `verifiedpermissions` count), except `acl`, which must be a word of the
 * camel-cased name (`bucketACL`), not a run of letters (`oracledatabase`).
 */
const SUGGESTS_ACCESS =
  /iam|policy|policies|permission|roleassignment|access|grant|member|binding|key|credential/;

/** The words of a type's module and kind, as written (`iAMMember` gives iam, member). */
function words(type: string): string[] {
  const [, module = "", kind = ""] = type.split(":");
  return `${module} ${kind}`
    .replace(/\/v\d{8}(preview)?/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Property names that hold access inside a resource of another kind (a queue's `policy`). */
const ACCESS_PROPS =
  /^(policy|policies|inlinePolicies|accessPolicy|accessPolicies|accesses|acls?|members?|iamMember|bindings?|grants?|permissions?|entity)$/i;

/** The props of a resource that carry access by their name, with a value. */
export function accessProps(props: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(props)
    .filter(
      ([k, v]) =>
        ACCESS_PROPS.test(k) &&
        v !== undefined &&
        v !== null &&
        v !== "" &&
        // A canned private ACL grants no one.
        !(/^acl$/i.test(k) && v === "private") &&
        !(Array.isArray(v) && v.length === 0),
    )
    .map(([k]) => k);
}

/** `provider:module:kind`, lower-cased, versions and sub-modules dropped: how GRANT_NOTHING lists types. */
export function normalisedType(type: string): string {
  const t = typeToken(type);
  return `${t.provider}:${t.module.split("/")[0]}:${t.kind}`;
}

/** Whether a type belongs to a cloud provider whose access the pack guards. */
export function guardedProvider(type: string): boolean {
  return GUARDED_PROVIDERS.has(typeToken(type).provider);
}

/** Whether a type of a cloud provider looks like it carries access (by its module or kind). */
export function suggestsAccess(type: string): boolean {
  const t = typeToken(type);
  if (!guardedProvider(type) || GRANT_NOTHING.has(`${t.provider}:${t.module.split("/")[0]}:${t.kind}`))
    return false;
  return (
    SUGGESTS_ACCESS.test(`${t.module}:${t.kind}`) || words(type).some((w) => w === "acl" || w === "acls")
  );
}
