import type { PolicyDocument } from "../../src/model/aws-trust.ts";
import { CLIENT_SUBJECT_SUFFIX, clientIdOf } from "../../src/model/subject.ts";
import {
  AWS_ROLE_TAG_KEYS,
  AZURE_IDENTITY_TAG_KEYS,
  tenantOfGcpServiceAccount,
} from "../../src/model/tenant-labels.ts";
import type { TrustArtifacts } from "../../src/model/trust-artifacts.ts";

/** What a policy sees of one resource in a preview. */
export interface PreviewResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

/** Resource types the policies read. */
export const TYPES = {
  client: "auth0:index/client:Client",
  oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  role: "aws:iam/role:Role",
  poolProvider: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
  gcpMembers: [
    "gcp:projects/iAMMember:IAMMember",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:serviceaccount/iAMMember:IAMMember",
  ],
  federatedCredential: "azure-native:managedidentity:FederatedIdentityCredential",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  serviceAccount: "gcp:serviceaccount/account:Account",
  serviceAccountMember: "gcp:serviceaccount/iAMMember:IAMMember",
} as const;

/** The trust read from a preview, and what could not be read because it is still unknown. */
export interface StackTrust {
  readonly artifacts: TrustArtifacts;
  /** Resources whose values are unknown until `pulumi up`: check them in the offline plan. */
  readonly notCheckable: readonly string[];
}

/** The claim an attribute is mapped from (`assertion['<claim>']`), or "" when it is not. */
function claimRead(mapping: Readonly<Record<string, string>>, attribute: string): string {
  return /^assertion\['([^']+)'\]$/.exec(mapping[attribute] ?? "")?.[1] ?? "";
}

const MEMBER_SUBJECT =
  /^principal:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\/subject\/(.+)$/;

/**
 * Reads the cloud trust of a stack from its resources, attributing each piece to its tenant
 * through the Auth0 clients (client id -> tenant_id and workload in client metadata).
 */
export function stackTrust(resources: readonly PreviewResource[]): StackTrust {
  const notCheckable: string[] = [];
  const owners = new Map<string, { tenantId: string; workload: string }>();
  for (const r of resources.filter((r) => r.type === TYPES.client)) {
    const metadata = (r.props.clientMetadata ?? {}) as Record<string, string>;
    if (typeof r.props.clientId !== "string") notCheckable.push(r.urn);
    else if (metadata.tenant_id && metadata.workload) {
      owners.set(r.props.clientId, { tenantId: metadata.tenant_id, workload: metadata.workload });
    }
  }
  const ownerOf = (subject: string) => owners.get(clientIdOf(subject) ?? "");
  const artifacts: { -readonly [K in keyof TrustArtifacts]: TrustArtifacts[K] } = {};

  const oidc = resources.find((r) => r.type === TYPES.oidcProvider);
  if (oidc) {
    const { url, clientIdLists, arn } = oidc.props;
    if (typeof url !== "string" || !Array.isArray(clientIdLists) || typeof arn !== "string")
      notCheckable.push(oidc.urn);
    else {
      // Every role that lets the m2m provider in is checked, tagged with its tenant or not.
      const roles = resources.flatMap((r) => {
        if (r.type !== TYPES.role) return [];
        const tags = (r.props.tags ?? {}) as Record<string, string>;
        if (typeof r.props.assumeRolePolicy !== "string") {
          if (tags[AWS_ROLE_TAG_KEYS.tenantId]) notCheckable.push(r.urn);
          return [];
        }
        const trustPolicy = JSON.parse(r.props.assumeRolePolicy) as PolicyDocument;
        const federated = trustPolicy.Statement.map((st) => st.Principal?.Federated).filter(
          (f): f is string => f !== undefined,
        );
        if (!tags[AWS_ROLE_TAG_KEYS.tenantId] && !federated.some((f) => f === arn || /[*?]/.test(f)))
          return [];
        return [
          {
            tenantId: tags[AWS_ROLE_TAG_KEYS.tenantId] ?? `(untagged role ${r.name})`,
            workload: tags[AWS_ROLE_TAG_KEYS.workload] ?? r.name,
            trustPolicy,
          },
        ];
      });
      artifacts.aws = { provider: { url, clientIdList: clientIdLists as string[], arn }, roles };
    }
  }

  const pool = resources.find((r) => r.type === TYPES.poolProvider);
  if (pool) {
    const oidcProps = (pool.props.oidc ?? {}) as { issuerUri?: string; allowedAudiences?: string[] };
    const bindings: NonNullable<TrustArtifacts["gcp"]>["bindings"][number][] = [];
    let poolResource: string | undefined;
    const POOL_OF =
      /^principal(?:Set)?:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\//;
    // A binding on a tenant's service account belongs to that tenant, whoever it names; any
    // other binding belongs to the workload whose subject it names.
    const accountTenants = new Map(
      resources
        .filter((r) => r.type === TYPES.serviceAccount)
        .flatMap((r) => {
          const tenant = tenantOfGcpServiceAccount(String(r.props.description ?? ""));
          return tenant && typeof r.props.name === "string" ? [[r.props.name, tenant] as const] : [];
        }),
    );
    for (const r of resources.filter((r) => (TYPES.gcpMembers as readonly string[]).includes(r.type))) {
      if (typeof r.props.member !== "string") {
        notCheckable.push(r.urn);
        continue;
      }
      const match = MEMBER_SUBJECT.exec(r.props.member);
      poolResource ??= POOL_OF.exec(r.props.member)?.[1];
      const named = match ? ownerOf(match[2] ?? "") : undefined;
      const accountTenant =
        r.type === TYPES.serviceAccountMember
          ? accountTenants.get(String(r.props.serviceAccountId ?? ""))
          : undefined;
      const owner = accountTenant
        ? { tenantId: accountTenant, workload: `service account of ${accountTenant}` }
        : named;
      if (owner) bindings.push({ ...owner, member: r.props.member, resource: r.name });
    }
    if (typeof oidcProps.issuerUri !== "string") notCheckable.push(pool.urn);
    else if (poolResource) {
      artifacts.gcp = {
        provider: {
          issuerUri: oidcProps.issuerUri,
          allowedAudiences: oidcProps.allowedAudiences ?? [],
          attributeMapping: (pool.props.attributeMapping ?? {}) as Record<string, string>,
          attributeCondition: String(pool.props.attributeCondition ?? ""),
        },
        poolResource,
        providerAudience: `//iam.googleapis.com/${poolResource}/providers/${String(pool.props.workloadIdentityPoolProviderId ?? "")}`,
        claims: {
          tenantId: claimRead(
            (pool.props.attributeMapping ?? {}) as Record<string, string>,
            "attribute.tenant_id",
          ),
          workload: claimRead(
            (pool.props.attributeMapping ?? {}) as Record<string, string>,
            "attribute.workload",
          ),
        },
        workloads: [...owners].map(([clientId, owner]) => ({
          ...owner,
          subject: `${clientId}${CLIENT_SUBJECT_SUFFIX}`,
        })),
        bindings,
      };
    }
  }

  // A credential belongs to the tenant of the identity it is on, whoever it names.
  const identityTenants = new Map(
    resources
      .filter((r) => r.type === TYPES.identity)
      .map((r) => [
        String(r.props.resourceName ?? r.props.name),
        ((r.props.tags ?? {}) as Record<string, string>)[AZURE_IDENTITY_TAG_KEYS.tenantId],
      ]),
  );
  const credentials = resources.flatMap((r) => {
    if (r.type !== TYPES.federatedCredential) return [];
    const { issuer, subject, audiences } = r.props;
    const tenantId = identityTenants.get(String(r.props.resourceName));
    if (typeof issuer !== "string" || typeof subject !== "string" || !Array.isArray(audiences) || !tenantId) {
      notCheckable.push(r.urn);
      return [];
    }
    const workload = String(r.props.federatedIdentityCredentialResourceName ?? r.name);
    return [{ tenantId, workload, issuer, subject, audiences: audiences as string[] }];
  });
  if (credentials.length > 0) artifacts.azure = { credentials };
  return { artifacts, notCheckable };
}
