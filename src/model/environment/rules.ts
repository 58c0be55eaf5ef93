/**
 * Rules that relate fields to each other. Each returns every violation it finds, with its path
 * and the fix; parseEnvironment reports them all at once, with the schema's, running each rule
 * on whatever parts of the value it reads had their shape (salvage.ts).
 */

import { AWS_TENANT_RULES } from "../trust/aws/aws-tenant-rules.ts";
import { AZURE_TENANT_RULES } from "../trust/azure/azure-tenant-rules.ts";
import { GCP_TENANT_RULES } from "../trust/gcp/gcp-tenant-rules.ts";
import { API_RULES } from "./api-rules.ts";
import { BINDINGS_RULE } from "./binding-rules.ts";
import { CLOUD_RULES } from "./cloud-rules.ts";
import { KEY_RULES } from "./key-rules.ts";
import type { Rule } from "./rule.ts";
import { COMPOSED_NAMES_RULE, TENANTS_RULE } from "./tenant-rules.ts";

/** Every cross-field rule, in the order their findings are reported, with the parts it reads. */
export const RULES: readonly Rule[] = [
  ...API_RULES,
  TENANTS_RULE,
  ...KEY_RULES,
  COMPOSED_NAMES_RULE,
  BINDINGS_RULE,
  ...CLOUD_RULES,
  ...AWS_TENANT_RULES,
  ...AZURE_TENANT_RULES,
  ...GCP_TENANT_RULES,
];
