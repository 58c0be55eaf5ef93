import { CLIENT_METADATA_KEYS } from "../../src/model/contract/claims.ts";
import { clientIdOf } from "../../src/model/contract/subject.ts";
import { TOKEN_DIALECTS, type TokenDialect } from "../../src/model/contract/token-dialect.ts";
import {
  AWS_ROLE_TAG_KEYS,
  AZURE_IDENTITY_TAG_KEYS,
  tenantOfGcpServiceAccount,
} from "../../src/model/environment/tenant-labels.ts";
import { gcpProviderResourceName, parseGcpFederatedMember } from "../../src/model/trust/gcp/gcp-principal.ts";
import { serviceAccountKey } from "../../src/model/trust/gcp/gcp-service-account.ts";
import { GCP_ATTRIBUTES } from "../../src/model/trust/gcp/gcp-trust.ts";
import { trustLetsProviderIn } from "../../src/model/trust/invariants.ts";
import type { TrustArtifacts } from "../../src/model/trust/trust-artifacts.ts";
import {
  holdsUnknown,
  type PreviewResource,
  recordProp,
  stringListProp,
  stringProp,
  UNKNOWN,
} from "./preview-value.ts";
import { type AccessClass, accessClass } from "./resource-types.ts";

/** A workload's or tenant's piece, labelled with whose it is. */
export interface Owner {
  readonly tenantId: string;
  readonly workload: string;
}

/** A resource whose access-carrying values are unknown at preview, and whether that is acceptable. */
export interface Unchecked {
  readonly urn: string;
  /** Unknown only because of Auth0 clients or the OIDC provider (known at `pulumi up`): advisory. */
  readonly expected: boolean;
  readonly what: string;
}

/** The trust read from a preview, the ownership the pack derived, and what it could not read. */
export interface StackTrust {
  /**
   * The trust, one set per AWS OIDC provider and GCP pool provider (a stack may hold several):
   * every set carries every workload and the Azure credentials, so each is checked whole.
   */
  readonly sets: readonly TrustArtifacts[];
  /** The tokens' issuer, as the m2m AWS or GCP provider names it: what Azure credentials must match. */
  readonly issuer: string | undefined;
  /** The identifiers of the stack's Auth0 APIs. */
  readonly apis: readonly string[];
  readonly unchecked: readonly Unchecked[];
  /** Workloads by client id (from the Auth0 clients' metadata). */
  readonly workloads: ReadonlyMap<string, Owner>;
  /** Tenants by normalised service-account key (email, unique id). */
  readonly serviceAccountTenants: ReadonlyMap<string, string>;
  /** Azure identities' tenants, by URN and by principal id. */
  readonly identityTenants: ReadonlyMap<string, string>;
  /** The client id of a tenant's workload, when its client is in the stack. */
  readonly clientOf: (tenantId: string, workload: string) => string | undefined;
}

/** Resources grouped by the class the pack gives their type. */
export function byClass(resources: readonly PreviewResource[]): (c: AccessClass) => PreviewResource[] {
  const groups = new Map<AccessClass, PreviewResource[]>();
  for (const r of resources) {
    const c = accessClass(r.type);
    if (c) groups.set(c, [...(groups.get(c) ?? []), r]);
  }
  return (c) => groups.get(c) ?? [];
}

/**
 * An unknown is expected when every resource the props depend on is an Auth0 client or the OIDC
 * provider: their ids come at `pulumi up`, and the offline plan shows the trust they will carry.
 */
export function unchecked(r: PreviewResource, props: readonly string[], what: string): Unchecked {
  const fromIdSources = (type: string) =>
    ["auth0-client", "aws-oidc-provider"].includes(accessClass(type) ?? "");
  const sources = props.flatMap((p) => r.dependsOn[p] ?? []);
  // A client's own id, or the provider's own ARN, is the source itself.
  const expected =
    fromIdSources(r.type) || (sources.length > 0 && sources.every((d) => fromIdSources(d.type)));
  return { urn: r.urn, expected, what };
}

/** The claim an attribute is mapped from (`assertion['<claim>']`), or "" when it is not. */
function claimRead(mapping: Readonly<Record<string, string>>, attribute: string): string {
  return /^assertion\['([^']+)'\]$/.exec(mapping[attribute] ?? "")?.[1] ?? "";
}

/** An access entry written inside a resource (BigQuery `accesses`, a Cloud Storage ACL) as IAM members. */
function embeddedMembers(entry: Readonly<Record<string, unknown>>): string[] {
  const members: string[] = [];
  const text = (k: string) => (typeof entry[k] === "string" ? (entry[k] as string) : undefined);
  const email = (value: string) => (serviceAccountKey(value) ? `serviceAccount:${value}` : `user:${value}`);
  if (text("iamMember")) members.push(text("iamMember") as string);
  if (text("userByEmail")) members.push(email(text("userByEmail") as string));
  if (text("groupByEmail")) members.push(`group:${text("groupByEmail")}`);
  const special = text("specialGroup") ?? "";
  if (/^allAuthenticatedUsers$/i.test(special)) members.push("allAuthenticatedUsers");
  const entity = text("entity") ?? "";
  if (/^all(Authenticated)?Users$/i.test(entity)) members.push(entity);
  else if (entity.startsWith("user-")) members.push(email(entity.slice("user-".length)));
  return members;
}

/** The members a GCP IAM or embedded-access resource grants, UNKNOWN if any is unknown. */
export function gcpMembers(r: PreviewResource): readonly string[] | typeof UNKNOWN {
  if (accessClass(r.type) === "gcp-embedded-access") {
    if (holdsUnknown(r.props)) return UNKNOWN;
    const entries = Array.isArray(r.props.accesses) ? r.props.accesses : [r.props];
    return entries.flatMap((e) =>
      e !== null && typeof e === "object" ? embeddedMembers(e as Record<string, unknown>) : [],
    );
  }
  const member = stringProp(r, "member");
  const members = stringListProp(r, "members");
  const policyData = stringProp(r, "policyData");
  if (member === UNKNOWN || members === UNKNOWN || policyData === UNKNOWN) return UNKNOWN;
  const fromPolicy = (() => {
    if (policyData === undefined) return [];
    try {
      const bindings = (JSON.parse(policyData) as { bindings?: { members?: unknown }[] }).bindings ?? [];
      return bindings.flatMap((b) => (Array.isArray(b.members) ? b.members.map(String) : []));
    } catch {
      return ["(unreadable policyData)"];
    }
  })();
  return [...(member ? [member] : []), ...(members ?? []), ...fromPolicy];
}

/**
 * Reads the cloud trust of a stack from its resources, attributing each piece to its tenant
 * through the Auth0 clients (client id -> tenant and workload in client metadata), the tenant
 * labels the program writes, and the resources a value depends on.
 */
export function stackTrust(resources: readonly PreviewResource[]): StackTrust {
  const of = byClass(resources);
  const notKnown: Unchecked[] = [];
  const workloads = new Map<string, Owner>();
  for (const r of of("auth0-client")) {
    const clientId = stringProp(r, "clientId");
    const metadata = recordProp(r, "clientMetadata");
    if (clientId === UNKNOWN || metadata === UNKNOWN) {
      notKnown.push(unchecked(r, ["clientId"], "its client id"));
      continue;
    }
    const tenantId = metadata[CLIENT_METADATA_KEYS.tenantId];
    const workload = metadata[CLIENT_METADATA_KEYS.workload];
    if (clientId && tenantId && workload) workloads.set(clientId, { tenantId, workload });
  }
  const ownerOf = (subject: string) => workloads.get(clientIdOf(subject) ?? "");
  const probes = [...workloads].map(([clientId, owner]) => ({ ...owner, clientId }));
  const clients = new Map(probes.map((w) => [`${w.tenantId}/${w.workload}`, w.clientId]));
  const clientOf = (tenantId: string, workload: string) => clients.get(`${tenantId}/${workload}`);

  // A trust policy may be JSON text or, as @pulumi/aws also takes it, a document object.
  const trustOf = (r: PreviewResource): unknown => {
    const value = r.props.assumeRolePolicy;
    if (holdsUnknown(value)) return UNKNOWN;
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  const servers = resources.filter((r) => r.type === "auth0:index/resourceServer:ResourceServer");
  const apis = servers
    .map((r) => stringProp(r, "identifier"))
    .filter((a): a is string => typeof a === "string");
  // Each API's token dialect decides the probe tokens' claims (azp, or client_id under rfc9068).
  const dialects: Record<string, TokenDialect> = {};
  for (const r of servers) {
    const identifier = stringProp(r, "identifier");
    const dialect = stringProp(r, "tokenDialect");
    if (typeof identifier === "string" && TOKEN_DIALECTS.includes(dialect as TokenDialect))
      dialects[identifier] = dialect as TokenDialect;
  }
  const tenantTrust = of("aws-role")
    .filter((r) => {
      const tags = recordProp(r, "tags");
      return tags !== UNKNOWN && tags[AWS_ROLE_TAG_KEYS.tenantId] !== undefined;
    })
    .map((r) => JSON.stringify(trustOf(r) ?? ""));
  const awsSets: NonNullable<TrustArtifacts["aws"]>[] = [];
  for (const oidc of of("aws-oidc-provider")) {
    const url = stringProp(oidc, "url");
    const clientIdList = stringListProp(oidc, "clientIdLists");
    const known = stringProp(oidc, "arn");
    // An m2m provider lists an Auth0 API of the stack, or a tenant's role trusts it; another
    // (GitHub Actions, say) is none of this pack's business.
    const m2m =
      (Array.isArray(clientIdList) && clientIdList.some((c) => apis.includes(c))) ||
      (typeof known === "string" && tenantTrust.some((t) => t.includes(`"${known}"`))) ||
      clientIdList === UNKNOWN;
    if (!m2m) continue;
    let arn = stringProp(oidc, "arn");
    if (arn === UNKNOWN && typeof url === "string") {
      // A new provider's ARN is unknown, but the program writes it into the trust it computes.
      const suffix = `:oidc-provider/${url.replace(/^https:\/\//, "")}`;
      const named = of("aws-role")
        .map((r) => JSON.stringify(trustOf(r) ?? ""))
        .flatMap((t) => [...t.matchAll(/"(arn:[^"]+?)"/g)].map((m) => m[1] ?? ""))
        .find((a) => a.endsWith(suffix));
      arn = named ?? UNKNOWN;
    }
    if (typeof url !== "string" || !Array.isArray(clientIdList) || typeof arn !== "string") {
      notKnown.push(
        unchecked(oidc, ["url", "clientIdLists"], "the OIDC provider's URL, client ID list or ARN"),
      );
      continue;
    }
    const providerArn = arn;
    const roles = of("aws-role").flatMap((r) => {
      const tags = recordProp(r, "tags");
      const trustPolicy = trustOf(r);
      if (trustPolicy === UNKNOWN || tags === UNKNOWN) {
        notKnown.push(unchecked(r, ["assumeRolePolicy", "tags"], "its trust policy"));
        return [];
      }
      const tenantId = tags[AWS_ROLE_TAG_KEYS.tenantId];
      if (!tenantId && !trustLetsProviderIn(trustPolicy, providerArn)) return [];
      return [
        {
          tenantId: tenantId ?? `(untagged role ${r.name})`,
          workload: tags[AWS_ROLE_TAG_KEYS.workload] ?? r.name,
          trustPolicy,
        },
      ];
    });
    awsSets.push({ provider: { url, clientIdList, arn: providerArn }, roles });
  }

  // Service accounts by every name they go by, and the tenants of those the program made.
  const serviceAccountTenants = new Map<string, string>();
  for (const r of of("gcp-service-account")) {
    const tenant = tenantOfGcpServiceAccount(String(stringProp(r, "description") ?? ""));
    if (!tenant) continue;
    for (const key of ["email", "name", "uniqueId"].map((k) => stringProp(r, k))) {
      const normal = typeof key === "string" ? serviceAccountKey(key) : undefined;
      if (normal) serviceAccountTenants.set(normal, tenant);
    }
    serviceAccountTenants.set(`urn:${r.urn}`, tenant);
  }
  const tenantOfAccount = (r: PreviewResource): string | undefined => {
    const id = stringProp(r, "serviceAccountId");
    if (typeof id === "string") return serviceAccountTenants.get(serviceAccountKey(id) ?? "");
    // Unknown at preview: the account it depends on says whose it is.
    return (r.dependsOn.serviceAccountId ?? [])
      .map((d) => serviceAccountTenants.get(`urn:${d.urn}`))
      .find((t) => t !== undefined);
  };

  // Bindings of every GCP IAM resource, attributed once; each pool provider then reads those of its pool.
  const bindings: (NonNullable<TrustArtifacts["gcp"]>["bindings"][number] & { readonly pool?: string })[] =
    [];
  for (const r of [...of("gcp-iam"), ...of("gcp-embedded-access")]) {
    const members = gcpMembers(r);
    if (members === UNKNOWN) {
      notKnown.push(unchecked(r, ["member", "members", "policyData"], "the members it grants"));
      continue;
    }
    const accountTenant = r.type.toLowerCase().startsWith("gcp:serviceaccount/")
      ? tenantOfAccount(r)
      : undefined;
    for (const member of members) {
      const federated = parseGcpFederatedMember(member);
      const named = federated?.kind === "subject" ? ownerOf(federated.subject) : undefined;
      // A binding on a tenant's service account belongs to that tenant, whoever it names.
      const owner = accountTenant
        ? { tenantId: accountTenant, workload: `service account of ${accountTenant}` }
        : named;
      if (owner) bindings.push({ ...owner, member, resource: r.name, pool: federated?.poolResource });
    }
  }
  const gcpSets: NonNullable<TrustArtifacts["gcp"]>[] = [];
  for (const pool of of("gcp-pool-provider")) {
    const oidcProps = pool.props.oidc as { issuerUri?: unknown; allowedAudiences?: unknown } | undefined;
    const mapping = recordProp(pool, "attributeMapping");
    const condition = stringProp(pool, "attributeCondition");
    const poolId = stringProp(pool, "workloadIdentityPoolId");
    const providerId = stringProp(pool, "workloadIdentityPoolProviderId");
    if (
      holdsUnknown(oidcProps) ||
      typeof oidcProps?.issuerUri !== "string" ||
      mapping === UNKNOWN ||
      condition === UNKNOWN ||
      poolId === UNKNOWN ||
      providerId === UNKNOWN
    ) {
      notKnown.push(
        unchecked(
          pool,
          ["oidc", "attributeMapping", "attributeCondition"],
          "the provider's issuer, mapping or condition",
        ),
      );
      continue;
    }
    // The pool's resource name holds its project number, which only its members show.
    const poolResource = bindings
      .map((b) => b.pool)
      .find((p): p is string => p?.endsWith(`/workloadIdentityPools/${String(poolId ?? "")}`) === true);
    if (!poolResource) continue;
    const allowed = Array.isArray(oidcProps.allowedAudiences) ? oidcProps.allowedAudiences.map(String) : [];
    gcpSets.push({
      provider: {
        issuerUri: oidcProps.issuerUri,
        allowedAudiences: allowed,
        attributeMapping: mapping,
        attributeCondition: typeof condition === "string" ? condition : "",
      },
      poolResource,
      providerAudience: gcpProviderResourceName(poolResource, String(providerId ?? "")),
      claims: {
        tenantId: claimRead(mapping, GCP_ATTRIBUTES.tenantId),
        workload: claimRead(mapping, GCP_ATTRIBUTES.workload),
      },
      // Bindings of other pools name principals this provider cannot produce.
      bindings: bindings
        .filter((b) => b.pool === undefined || b.pool === poolResource)
        .map(({ pool: _, ...b }) => b),
    });
  }

  // An identity's tenant, by URN, name and principal id; a credential belongs to its identity's tenant.
  const identityTenants = new Map<string, string>();
  for (const r of of("azure-identity")) {
    const tags = recordProp(r, "tags");
    const tenant = tags === UNKNOWN ? undefined : tags[AZURE_IDENTITY_TAG_KEYS.tenantId];
    if (!tenant) continue;
    identityTenants.set(`urn:${r.urn}`, tenant);
    for (const key of ["resourceName", "name", "principalId", "id"]) {
      const v = stringProp(r, key);
      if (typeof v === "string") identityTenants.set(v.toLowerCase(), tenant);
    }
  }
  const credentials = of("azure-federated-credential").flatMap((r) => {
    const issuer = stringProp(r, "issuer");
    const subject = stringProp(r, "subject");
    // azure-native names the identity `resourceName` and the list `audiences`; the classic
    // provider `parentId` and `audience`.
    const audiences = stringListProp(r, r.props.audiences !== undefined ? "audiences" : "audience");
    const parent = stringProp(r, r.props.resourceName !== undefined ? "resourceName" : "parentId");
    const parentDeps = r.dependsOn.resourceName ?? r.dependsOn.parentId ?? [];
    const tenantId =
      (typeof parent === "string"
        ? (identityTenants.get(parent.toLowerCase()) ??
          identityTenants.get(parent.split("/").at(-1)?.toLowerCase() ?? ""))
        : undefined) ??
      parentDeps.map((d) => identityTenants.get(`urn:${d.urn}`)).find((t) => t !== undefined);
    if (typeof issuer !== "string" || typeof subject !== "string" || !Array.isArray(audiences)) {
      notKnown.push(
        unchecked(r, ["issuer", "subject", "audiences", "audience"], "its issuer, subject or audiences"),
      );
      return [];
    }
    const name = stringProp(r, "federatedIdentityCredentialResourceName") ?? stringProp(r, "name");
    const workload = typeof name === "string" ? name : r.name;
    return [
      { tenantId: tenantId ?? `(identity of no tenant: ${r.name})`, workload, issuer, subject, audiences },
    ];
  });
  const azure = credentials.length > 0 ? { credentials } : undefined;
  const count = Math.max(awsSets.length, gcpSets.length, 1);
  const sets: TrustArtifacts[] = Array.from({ length: count }, (_, i) => ({
    workloads: probes,
    apis,
    dialects,
    ...(awsSets[i] ? { aws: awsSets[i] } : {}),
    ...(gcpSets[i] ? { gcp: gcpSets[i] } : {}),
    ...(i === 0 && azure ? { azure } : {}),
  }));
  const issuer = awsSets[0]?.provider.url ?? gcpSets[0]?.provider.issuerUri;
  return {
    sets,
    issuer,
    apis,
    unchecked: notKnown,
    workloads,
    serviceAccountTenants,
    identityTenants,
    clientOf,
  };
}
