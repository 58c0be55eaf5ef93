import type { Violation } from "../../src/model/trust/invariants.ts";
import { awsEscalationViolations } from "./aws-escalation.ts";
import { awsResourcePolicyViolations } from "./aws-resource-policies.ts";
import { awsTenantReachViolations } from "./aws-tenant-reach.ts";
import { azureEscalationViolations } from "./azure-escalation.ts";
import { gcpEscalationViolations } from "./gcp-escalation.ts";
import type { PreviewResource } from "./preview-value.ts";
import type { StackTrust, Unchecked } from "./stack-artifacts.ts";

/**
 * Who may act as another tenant, in every cloud: a tenant's identity that may rewrite, pass or
 * re-grant another tenant's, whatever shape the grant takes, or reach another tenant's resources
 * through its own policies or a resource-based policy of the stack.
 */
export function escalationViolations(
  resources: readonly PreviewResource[],
  trust: StackTrust,
): { readonly violations: Violation[]; readonly unchecked: Unchecked[] } {
  const aws = awsEscalationViolations(resources, trust);
  const awsReach = awsTenantReachViolations(resources, trust);
  const awsResource = awsResourcePolicyViolations(resources, trust, awsReach);
  const azure = azureEscalationViolations(resources, trust);
  return {
    violations: [
      ...aws.violations,
      ...awsReach.violations,
      ...awsResource.violations,
      ...gcpEscalationViolations(resources, trust),
      ...azure.violations,
    ],
    unchecked: [...aws.unchecked, ...awsResource.unchecked, ...azure.unchecked],
  };
}
