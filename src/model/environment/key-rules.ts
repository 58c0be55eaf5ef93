/**
 * Rules for private_key_jwt public keys. Keys are compared by fingerprint (publicKeyFingerprint),
 * never by PEM text, so line breaks, PKCS#1 versus SPKI or a certificate around the key cannot
 * hide that two entries are one key.
 */

import type { EnvironmentIssue } from "./errors.ts";
import { publicKeyFingerprint, publicKeyProblem } from "./public-key.ts";
import type { Rule, RuleCheck } from "./rule.ts";

/** Where a key was first seen. */
interface KeyOwner {
  readonly tenantId: string;
  readonly workload: string;
  readonly path: string;
}

/**
 * Every key is a usable RSA public key, named once per workload and listed once per workload
 * (the second slot is for rotation); and no key is registered for workloads of two tenants,
 * since whoever holds its private key could then get tokens as either tenant. Workloads of one
 * tenant may share a key: tenant isolation holds.
 */
const publicKeys: RuleCheck = (config) => {
  const issues: EnvironmentIssue[] = [];
  const owners = new Map<string, KeyOwner>();
  config.tenants.forEach((tenant, t) => {
    tenant.workloads.forEach((workload, w) => {
      if (workload.authentication.method !== "private_key_jwt") return;
      const at = `tenants[${t}].workloads[${w}].authentication.keys`;
      const names = new Set<string>();
      const inWorkload = new Set<string>();
      workload.authentication.keys.forEach((key, k) => {
        const path = `${at}[${k}]`;
        if (names.has(key.name)) {
          issues.push({
            path: `${path}.name`,
            message: `key name "${key.name}" is used twice: name each key`,
          });
        }
        names.add(key.name);
        const problem = publicKeyProblem(key.pem);
        if (problem) {
          issues.push({ path: `${path}.pem`, message: problem });
          return;
        }
        const fingerprint = publicKeyFingerprint(key.pem) ?? "";
        if (inWorkload.has(fingerprint)) {
          issues.push({
            path: `${path}.pem`,
            message:
              "the same public key is listed twice: the second slot is for the next key during rotation",
          });
          return;
        }
        inWorkload.add(fingerprint);
        const owner = owners.get(fingerprint);
        if (owner && owner.tenantId !== tenant.id) {
          issues.push({
            path: `${path}.pem`,
            message: `this public key is also registered for tenant "${owner.tenantId}" workload "${owner.workload}" at ${owner.path}: whoever holds its private key could get tokens as both tenants. Give each tenant's workloads their own key pair`,
          });
        }
        if (!owner)
          owners.set(fingerprint, { tenantId: tenant.id, workload: workload.name, path: `${path}.pem` });
      });
    });
  });
  return issues;
};

/** Every key rule, in the order their findings are reported. */
export const KEY_RULES: readonly Rule[] = [{ check: publicKeys, reads: ["tenants"] }];
