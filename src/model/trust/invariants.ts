import { awsTrustViolations } from "./aws/aws-trust-invariants.ts";
import { azureCredentialViolations } from "./azure/azure-trust-invariants.ts";
import { gcpMemberViolations, gcpProviderViolations } from "./gcp/gcp-trust-invariants.ts";
import type { Violation } from "./invariant.ts";
import { isolationViolations } from "./isolation.ts";
import type { TrustArtifacts } from "./trust-artifacts.ts";

// The invariants live beside what they check; their old names stay importable from here.
export { awsTrustSubjects, awsTrustViolations, trustLetsProviderIn } from "./aws/aws-trust-invariants.ts";
export { azureCredentialViolations } from "./azure/azure-trust-invariants.ts";
export { gcpMemberViolations, gcpProviderViolations } from "./gcp/gcp-trust-invariants.ts";
export type { Violation } from "./invariant.ts";
export { isolationViolations, isolationViolationsAllPairs } from "./isolation.ts";

/** Every invariant over an environment's artifacts: per resource, then isolation. */
export function artifactViolations(artifacts: TrustArtifacts, issuer?: string): Violation[] {
  return [
    ...(artifacts.aws?.roles ?? []).flatMap((r) =>
      awsTrustViolations(
        `aws role of ${r.tenantId}/${r.workload}`,
        r.trustPolicy,
        artifacts.aws?.provider.arn,
        {
          tenantId: r.tenantId,
          clientId: artifacts.workloads.find((w) => w.tenantId === r.tenantId && w.workload === r.workload)
            ?.clientId,
        },
      ),
    ),
    ...(artifacts.gcp ? gcpProviderViolations("gcp pool provider", artifacts.gcp.provider) : []),
    ...(artifacts.gcp?.bindings ?? []).flatMap((b) => gcpMemberViolations(`gcp ${b.resource}`, b.member)),
    ...(artifacts.azure?.credentials ?? []).flatMap((c) =>
      azureCredentialViolations(`azure credential of ${c.tenantId}/${c.workload}`, c, issuer),
    ),
    ...isolationViolations(artifacts),
  ];
}
