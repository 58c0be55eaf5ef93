/**
 * The cloud targets of an environment with its client ids, as `m2m verify` tries a token on
 * them: every AWS role, every GCP binding of a workload's subject principal, every Azure
 * federated credential, each with what it reaches when it lets the token in. Built once per
 * environment; a token's candidates are looked up by its subject (the trust the model derives
 * names one subject per role, binding and credential), and a piece of trust that names no single
 * subject is tried with every token.
 */

import type { Environment } from "../model/environment/environment.ts";
import { azureCredentialName, azureIdentityName, workloadKey } from "../model/environment/names.ts";
import { awsPermissionsBoundary } from "../model/trust/aws/aws-boundary.ts";
import { awsOneWorkloadReach } from "../model/trust/aws/aws-reach.ts";
import { awsRoleArn } from "../model/trust/aws/aws-role.ts";
import { awsOidcProviderArn } from "../model/trust/aws/aws-trust.ts";
import { azureWorkloadReach } from "../model/trust/azure/azure-reach.ts";
import { evaluateAws } from "../model/trust/evaluate/aws.ts";
import { evaluateAzure } from "../model/trust/evaluate/azure.ts";
import { evaluateGcp } from "../model/trust/evaluate/gcp.ts";
import type { Claims, Verdict } from "../model/trust/evaluate/verdict.ts";
import { parseGcpFederatedMember } from "../model/trust/gcp/gcp-principal.ts";
import { gcpWorkloadReach } from "../model/trust/gcp/gcp-reach.ts";
import { awsTrustSubjects } from "../model/trust/invariants.ts";
import { type ReachEntry, reachBound } from "../model/trust/reach.ts";
import { environmentArtifacts } from "../model/trust/trust-artifacts.ts";

export type Cloud = "aws" | "gcp" | "azure";

/** One piece of trust a token may be tried on. */
export interface Target {
  readonly cloud: Cloud;
  readonly tenantId: string;
  readonly workload: string;
  /** What it is, as a user names it: `role arn:aws:iam::...`, `bucket acme-dev-x_exports`, ... */
  readonly target: string;
  /**
   * What the workload reaches in this cloud once let in (its role's, principal's or identity's
   * access); one starting with AT_MOST is an upper bound (what it may reach at most).
   */
  readonly reaches: readonly string[];
  /** The cloud's verdicts for the claims: one per AWS audience reading, one otherwise. */
  readonly evaluate: (claims: Claims, nowS: number) => { readonly [reading: string]: Verdict };
}

/** The targets of an environment, and the look-up of a token's candidates among them. */
export interface Targets {
  readonly all: readonly Target[];
  /** The targets that can let in a token of this subject: those naming it, and those naming none. */
  readonly candidates: (subject: string) => readonly Target[];
  /** The targets of one workload. */
  readonly of: (tenantId: string, workload: string) => readonly Target[];
  /** The workload a client id belongs to. */
  readonly workloadOf: (
    clientId: string,
  ) => { readonly tenantId: string; readonly workload: string } | undefined;
}

/** A reach entry as verify lists it: `resource: access`, `at most ...` when only an upper bound is known. */
const reachLine = (r: ReachEntry) =>
  `${reachBound(r)}${r.resource}: ${r.access}${r.shared ? ` (shared entry ${r.shared})` : ""}`;

/**
 * What each workload reaches, by cloud, worked out only when a verdict first needs it: a token
 * lets itself into few targets, and an AWS role's reach is evaluated (its policies intersected
 * with its boundary), so it is computed per workload, once; GCP's and Azure's for every workload
 * at the first need.
 */
function lazyReach(env: Environment): (cloud: Cloud, tenantId: string, workload: string) => string[] {
  const computed = new Map<string, string[]>();
  const boundaries = new Map<string, unknown>();
  let others: Map<string, string[]> | undefined;
  return (cloud, tenantId, workload) => {
    const key = `${cloud} ${workloadKey(tenantId, workload)}`;
    if (cloud !== "aws") {
      if (!others) {
        others = new Map();
        for (const r of [...gcpWorkloadReach(env), ...azureWorkloadReach(env)]) {
          const k = `${r.cloud} ${workloadKey(r.tenantId, r.workload)}`;
          others.set(k, [...(others.get(k) ?? []), reachLine(r)]);
        }
      }
      return others.get(key) ?? [];
    }
    const known = computed.get(key);
    if (known) return known;
    const config = env.tenants.find((t) => t.id === tenantId)?.workloads.find((w) => w.name === workload);
    if (!config) return [];
    const boundary = boundaries.get(tenantId) ?? awsPermissionsBoundary(env, env.name, tenantId);
    boundaries.set(tenantId, boundary);
    const lines = awsOneWorkloadReach(env, tenantId, config, boundary).map(reachLine);
    computed.set(key, lines);
    return lines;
  };
}

export function environmentTargets(env: Environment, clientIds: Readonly<Record<string, string>>): Targets {
  const artifacts = environmentArtifacts(
    env,
    clientIds,
    env.clouds.aws ? awsOidcProviderArn(env) : undefined,
  );
  const reachOf = lazyReach(env);

  const all: Target[] = [];
  const bySubject = new Map<string, Target[]>();
  const unindexed: Target[] = [];
  const add = (target: Target, subjects: ReadonlySet<string> | undefined) => {
    all.push(target);
    if (subjects === undefined) unindexed.push(target);
    else for (const s of subjects) bySubject.set(s, [...(bySubject.get(s) ?? []), target]);
  };

  const { aws, gcp, azure } = artifacts;
  if (aws)
    for (const role of aws.roles) {
      const arn = awsRoleArn(env, role.tenantId, role.workload);
      const trust = { provider: aws.provider, trustPolicy: role.trustPolicy };
      add(
        {
          cloud: "aws",
          tenantId: role.tenantId,
          workload: role.workload,
          target: `role ${arn}`,
          get reaches() {
            return reachOf("aws", role.tenantId, role.workload);
          },
          evaluate: (claims, nowS) => ({
            azp: evaluateAws(claims, trust, { reading: "azp", nowS }),
            aud: evaluateAws(claims, trust, { reading: "aud", nowS }),
          }),
        },
        awsTrustSubjects(role.trustPolicy, aws.provider.arn),
      );
    }
  if (gcp) {
    // A subject principal names the token's `sub` only where google.subject is mapped from it.
    const subjectIsSub = gcp.provider.attributeMapping["google.subject"] === "assertion.sub";
    for (const binding of gcp.bindings) {
      const federated = parseGcpFederatedMember(binding.member);
      add(
        {
          cloud: "gcp",
          tenantId: binding.tenantId,
          workload: binding.workload,
          target: binding.resource,
          get reaches() {
            return reachOf("gcp", binding.tenantId, binding.workload);
          },
          evaluate: (claims) => ({ gcp: evaluateGcp(claims, { ...gcp, members: [binding.member] }) }),
        },
        federated?.kind === "subject" && subjectIsSub ? new Set([federated.subject]) : undefined,
      );
    }
  }
  if (azure)
    for (const credential of azure.credentials) {
      add(
        {
          cloud: "azure",
          tenantId: credential.tenantId,
          workload: credential.workload,
          target: `identity ${azureIdentityName(env.name, credential.tenantId).value}, credential ${azureCredentialName(credential.workload).value}`,
          get reaches() {
            return reachOf("azure", credential.tenantId, credential.workload);
          },
          evaluate: (claims) => ({ azure: evaluateAzure(claims, credential) }),
        },
        // Entra ID matches the subject exactly.
        new Set([credential.subject]),
      );
    }

  const byWorkload = new Map<string, Target[]>();
  for (const t of all) {
    const key = workloadKey(t.tenantId, t.workload);
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), t]);
  }
  const byClient = new Map(
    artifacts.workloads.map((w) => [w.clientId, { tenantId: w.tenantId, workload: w.workload }]),
  );
  return {
    all,
    candidates: (subject) => [...(bySubject.get(subject) ?? []), ...unindexed],
    of: (tenantId, workload) => byWorkload.get(workloadKey(tenantId, workload)) ?? [],
    workloadOf: (clientId) => byClient.get(clientId),
  };
}
