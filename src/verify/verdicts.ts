/**
 * Would AWS, GCP and Azure accept this token, and what would it reach? The token's workload is
 * found by its `sub` (and checked against `azp` or `client_id`), never by its tenant claims,
 * which are what is being tested. Its own targets are its workload's in the clouds whose API the
 * token is for; every other target that lets it in is a breach.
 */

import { clientIdOf } from "../model/contract/subject.ts";
import { cloudApi } from "../model/environment/clouds.ts";
import type { Environment } from "../model/environment/environment.ts";
import { audiences, type Claims } from "../model/trust/evaluate/verdict.ts";
import type { Cloud, Target, Targets } from "./targets.ts";
import { type TokenForm, tokenRuleFailures } from "./token-rules.ts";

/** One target's verdict. */
export interface VerifyEntry {
  readonly tenant: string;
  readonly workload: string;
  readonly target: string;
  /** The token's workload's, in a cloud whose API the token is for. */
  readonly own: boolean;
  /** Let in (for AWS: under either audience reading). */
  readonly allowed: boolean;
  /** AWS only: STS may match `azp` or `aud` (UNCONFIRMED which), so both are shown. */
  readonly allowedByReading?: { readonly azp: boolean; readonly aud: boolean };
  /** Why not (each failed check, with the reading when they differ); empty when allowed. */
  readonly reasons: readonly string[];
  /** What it reaches once let in (`at most ...` when only an upper bound is known); empty when refused. */
  readonly reaches: readonly string[];
}

/** The whole answer for one token. */
export interface VerifyReport {
  readonly version: 1;
  /** The workload whose client id is the token's `sub`, if any. */
  readonly workload?: { readonly tenant: string; readonly workload: string };
  /** What is worth saying about the token or the inputs: no workload, ids are placeholders... */
  readonly notes: readonly string[];
  readonly aws: readonly VerifyEntry[];
  readonly gcp: readonly VerifyEntry[];
  readonly azure: readonly VerifyEntry[];
}

export interface VerifyOptions {
  /** Now, in seconds since the epoch. */
  readonly nowS: number;
  /** Against the local environment: AWS's https-without-port rule for the provider URL is not applied. */
  readonly local?: boolean;
  /** Try every target, not only the candidates looked up by subject (the oracle and the bench's floor). */
  readonly scan?: boolean;
}

/** Why AWS could not even hold a provider for this issuer (its URL must be https without a port). */
function providerUrlProblem(issuer: string): string | undefined {
  return /^https:\/\/[^/:]+(\/|$)/.test(issuer)
    ? undefined
    : `provider: IAM takes only an https URL without a port, not ${issuer}`;
}

function entryOf(
  env: Environment,
  target: Target,
  claims: Claims,
  form: TokenForm,
  own: boolean,
  options: VerifyOptions,
): VerifyEntry {
  const verdicts = target.evaluate(claims, options.nowS);
  const early = tokenRuleFailures(target.cloud, claims, form, options.nowS);
  if (target.cloud === "aws" && !options.local) {
    const problem = providerUrlProblem(env.issuer);
    if (problem) early.push(problem);
  }
  const readings = Object.entries(verdicts).map(([reading, v]) => ({
    reading,
    allowed: v.accepted && early.length === 0,
    failed: v.checks.filter((c) => !c.passed).map((c) => `${c.check}: ${c.detail}`),
  }));
  const allowed = readings.some((r) => r.allowed);
  // A failure under one reading only is said with that reading.
  const everywhere = (f: string) => readings.every((r) => r.failed.includes(f));
  const reasons = [
    ...early,
    ...new Set(
      readings.flatMap((r) =>
        r.failed.map((f) => (readings.length > 1 && !everywhere(f) ? `${f} (reading ${r.reading})` : f)),
      ),
    ),
  ];
  return {
    tenant: target.tenantId,
    workload: target.workload,
    target: target.target,
    own,
    allowed,
    ...(target.cloud === "aws"
      ? {
          allowedByReading: {
            azp: readings.find((r) => r.reading === "azp")?.allowed ?? false,
            aud: readings.find((r) => r.reading === "aud")?.allowed ?? false,
          },
        }
      : {}),
    reasons,
    reaches: allowed ? target.reaches : [],
  };
}

/** The verdicts for one token's claims against an environment's targets. */
export function verifyClaims(
  env: Environment,
  targets: Targets,
  claims: Claims,
  form: TokenForm,
  options: VerifyOptions,
): VerifyReport {
  const notes: string[] = [];
  const subject = typeof claims.sub === "string" ? claims.sub : "";
  const clientId = clientIdOf(subject);
  const workload = clientId === undefined ? undefined : targets.workloadOf(clientId);
  if (!workload) notes.push(`sub ${subject || "(none)"} is the subject of no workload of stack ${env.name}`);
  const carried = claims.azp ?? claims.client_id;
  if (workload && carried !== undefined && carried !== clientId)
    notes.push(`sub names client ${clientId}, but the token was issued to ${String(carried)}`);
  const tokenAudiences = audiences(claims);
  const ownClouds = new Set(
    (["aws", "gcp", "azure"] as const).filter((cloud) => {
      const api = cloudApi(env, cloud);
      return api !== undefined && tokenAudiences.includes(api.identifier);
    }),
  );
  const isOwn = (t: Target) =>
    workload !== undefined &&
    t.tenantId === workload.tenantId &&
    t.workload === workload.workload &&
    ownClouds.has(t.cloud);
  // The workload's targets are all listed (those of a cloud the token is not for show why not).
  const mine = workload ? targets.of(workload.tenantId, workload.workload) : [];
  const isMine = (t: Target) => t.tenantId === workload?.tenantId && t.workload === workload?.workload;
  const others = (options.scan ? targets.all : targets.candidates(subject)).filter((t) => !isMine(t));
  const entries: Record<Cloud, VerifyEntry[]> = { aws: [], gcp: [], azure: [] };
  for (const t of mine) entries[t.cloud].push(entryOf(env, t, claims, form, isOwn(t), options));
  for (const t of others) {
    const entry = entryOf(env, t, claims, form, false, options);
    // Another target is listed only when it lets the token in: that is what must never happen.
    if (entry.allowed) entries[t.cloud].push(entry);
  }
  if (workload && !mine.some(isOwn))
    notes.push(
      `the token's audience (${tokenAudiences.join(", ") || "none"}) is the API of no cloud ${workload.tenantId}/${workload.workload} uses`,
    );
  return {
    version: 1,
    ...(workload ? { workload: { tenant: workload.tenantId, workload: workload.workload } } : {}),
    notes,
    ...entries,
  };
}

/** Let in under every reading: for AWS, whether STS matches `azp` or `aud`. */
export const allowedUnderEveryReading = (e: VerifyEntry): boolean =>
  e.allowed && (e.allowedByReading ? e.allowedByReading.azp && e.allowedByReading.aud : true);

/**
 * The exit code of a report: 3 when another workload's target lets the token in (under either
 * AWS reading; it takes precedence), 0 when every own target lets it in under both readings and
 * nothing else does, 1 otherwise (a token of no workload, an expired one, an own target refused).
 */
export function verifyExitCode(report: VerifyReport): 0 | 1 | 3 {
  const entries = [...report.aws, ...report.gcp, ...report.azure];
  const anothers = (e: VerifyEntry) =>
    e.tenant !== report.workload?.tenant || e.workload !== report.workload?.workload;
  if (entries.some((e) => anothers(e) && e.allowed)) return 3;
  const own = entries.filter((e) => e.own);
  return own.length > 0 && own.every(allowedUnderEveryReading) && entries.every((e) => e.own || !e.allowed)
    ? 0
    : 1;
}
