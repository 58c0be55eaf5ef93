import { type CelInput, type CelResult, celEnv, celError, isCelError, parse, plan } from "@bufbuild/cel";
import { GCP_MAX_TOKEN_LIFETIME } from "../../environment/limits.ts";
import { gcpPrincipalSetOf, gcpSubjectPrincipalOf } from "../gcp/gcp-principal.ts";
import { audiences, type Check, type Claims, type Verdict, verdict } from "./verdict.ts";

/** What GCP's STS and IAM check a federated token against. */
export interface GcpTrustArtifacts {
  readonly provider: {
    readonly issuerUri: string;
    readonly allowedAudiences: readonly string[];
    readonly attributeMapping: Readonly<Record<string, string>>;
    readonly attributeCondition: string;
  };
  /** `projects/NUM/locations/global/workloadIdentityPools/POOL`. */
  readonly poolResource: string;
  /** `//iam.googleapis.com/{poolResource}/providers/PROVIDER`: the audience when allowedAudiences is empty. */
  readonly providerAudience: string;
  /** The members bound on the resource the token is used for. */
  readonly members: readonly string[];
}

/** Claims as CEL values: objects become maps, as GCP reads JSON claims. */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

type CelProgram = (bindings: { assertion: CelInput }) => CelResult;

/** Each expression parsed and planned once: a stack's conditions are few, its tokens many. */
const programs = new Map<string, CelProgram>();
const PROGRAMS_KEPT = 1_000;

function programOf(expression: string): CelProgram {
  const cached = programs.get(expression);
  if (cached) return cached;
  let program: CelProgram;
  try {
    program = plan(celEnv(), parse(expression)) as CelProgram;
  } catch (error) {
    // A syntax error fails every evaluation, as GCP refuses every token under it.
    const failure = celError(error);
    program = () => failure;
  }
  if (programs.size >= PROGRAMS_KEPT) programs.clear();
  programs.set(expression, program);
  return program;
}

function evaluateCel(expression: string, claims: Claims): unknown {
  try {
    return programOf(expression)({ assertion: toCel(claims) as CelInput });
  } catch (error) {
    return { celError: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether a CEL condition holds for the claims: true only when it evaluates to `true`, as on GCP. */
export function celConditionHolds(expression: string, claims: Claims): boolean {
  return evaluateCel(expression, claims) === true;
}

/**
 * The most google.subject may hold, in bytes of its UTF-8 form, not characters: "Cannot exceed 127
 * bytes" (IAM API, WorkloadIdentityPoolProvider.attributeMapping). A sub of multi-byte characters
 * is refused below 127 characters.
 */
export const GCP_MAX_SUBJECT_BYTES = 127;

const UTF8 = new TextEncoder();

const failed = (value: unknown) =>
  isCelError(value) || (typeof value === "object" && value !== null && "celError" in value);

/**
 * Would GCP accept this token and grant it a binding? Issuer, audience, lifetime, the attribute
 * mapping (a CEL error fails, as on GCP), the attribute condition, then the principal the mapped
 * google.subject and attributes form against the bound members.
 */
export function evaluateGcp(token: Claims, artifacts: GcpTrustArtifacts): Verdict {
  const { provider } = artifacts;
  const checks: Check[] = [];
  const iss = String(token.iss ?? "");
  checks.push({
    check: "issuer",
    passed: iss === provider.issuerUri,
    detail: `iss ${iss} against ${provider.issuerUri}`,
  });
  const aud = audiences(token);
  // Exact match: the listed audiences, or, when none is listed, the provider's full resource name.
  const allowed =
    provider.allowedAudiences.length > 0
      ? provider.allowedAudiences
      : [artifacts.providerAudience, `https:${artifacts.providerAudience}`];
  checks.push({
    check: "audience",
    passed: aud.some((a) => allowed.includes(a)),
    detail: `aud ${aud.join(",")} against ${allowed.join(", ")}`,
  });
  const lifetime = Number(token.exp ?? 0) - Number(token.iat ?? 0);
  checks.push({
    check: "lifetime",
    passed: lifetime < GCP_MAX_TOKEN_LIFETIME,
    detail: `exp - iat = ${lifetime} s (under ${GCP_MAX_TOKEN_LIFETIME})`,
  });
  const attributes: Record<string, string> = {};
  let mapped = true;
  for (const [target, expression] of Object.entries(provider.attributeMapping)) {
    const value = evaluateCel(expression, token);
    if (failed(value) || typeof value !== "string") {
      mapped = false;
      checks.push({
        check: `mapping ${target}`,
        passed: false,
        detail: `${expression} did not give a string`,
      });
    } else {
      attributes[target] = value;
    }
  }
  const subject = attributes["google.subject"];
  if (mapped) {
    const bytes = UTF8.encode(subject ?? "").length;
    checks.push({
      check: "mapping",
      passed: bytes > 0 && bytes <= GCP_MAX_SUBJECT_BYTES,
      detail:
        bytes > GCP_MAX_SUBJECT_BYTES
          ? `google.subject = ${subject}: ${bytes} bytes (UTF-8), over GCP's limit of ${GCP_MAX_SUBJECT_BYTES}`
          : `google.subject = ${subject}`,
    });
  }
  const condition = provider.attributeCondition ? evaluateCel(provider.attributeCondition, token) : true;
  checks.push({
    check: "attribute condition",
    passed: condition === true,
    detail: provider.attributeCondition || "(none: every token of the issuer)",
  });
  const own = gcpSubjectPrincipalOf(artifacts.poolResource, subject ?? "");
  const principals = new Set([
    own,
    gcpPrincipalSetOf(artifacts.poolResource),
    ...Object.entries(attributes)
      .filter(([k]) => k.startsWith("attribute."))
      .map(([name, value]) => gcpPrincipalSetOf(artifacts.poolResource, { name, value })),
  ]);
  checks.push({
    check: "binding",
    passed: artifacts.members.some((m) => principals.has(m)),
    detail: `${own} against [${artifacts.members.join(", ")}]`,
  });
  return verdict(checks);
}
