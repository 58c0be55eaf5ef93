import { describe, expect, it } from "vitest";
import { renderDiff } from "../../src/cli/diff.ts";
import type { Plan } from "../../src/plan/plan.ts";
import { type Change, diffPlans, type PlanDiff, withChanges } from "../../src/plan/plan-diff.ts";
import { previewChanges } from "../../src/plan/preview-steps.ts";
import { producePlan } from "../../src/plan/produce-plan.ts";
import { projectWithStack } from "../fixtures/local-project.ts";
import { committedEnvironment } from "../support/mocked-stack.ts";

// biome-ignore lint/suspicious/noExplicitAny: the committed stacks' raw shape, edited per case
type Raw = any;
const raw = (stack: string): Raw => structuredClone(committedEnvironment(stack));
const planFor = (stack: string, environment: unknown) =>
  producePlan({ projectDir: projectWithStack(stack, environment), stack });
const REF = { ref: "main", commit: "0123456789abcdef0123456789abcdef01234567" };

async function diffOf(stack: string, edit: (env: Raw) => void): Promise<PlanDiff> {
  const before = raw(stack);
  const after = raw(stack);
  edit(after);
  return diffPlans(await planFor(stack, before), await planFor(stack, after), REF);
}

const pick = (diff: PlanDiff, category: Change["category"]) =>
  diff.changes.filter((c) => c.category === category);
const workloadOf = (env: Raw, tenant: string, workload: string) =>
  env.tenants.find((t: Raw) => t.id === tenant).workloads.find((w: Raw) => w.name === workload);

describe("m2m diff, one kind of change at a time", () => {
  it("GIVEN no change WHEN diffed THEN there are no changes and the text says so", async () => {
    const diff = await diffOf("dev", () => {});
    expect(diff.changes).toEqual([]);
    expect(diff.resources).toEqual([]);
    expect(renderDiff(diff, "text")).toBe(
      "Diff of stack dev: main (0123456789ab) -> working tree\nNo changes.\n",
    );
  });

  it("GIVEN a scope added to a grant WHEN diffed THEN it is a security-relevant grant change, listed first", async () => {
    const diff = await diffOf("dev", (env) => {
      workloadOf(env, "initech", "order-api").grants[0].scopes.push("orders:write");
    });
    expect(diff.changes[0]).toEqual({
      category: "grant",
      security: true,
      subject: "initech/order-api",
      message: "scopes added to its orders grant: orders:write",
    });
    expect(diff.resources).toEqual([
      {
        key: "auth0:index/clientGrant:ClientGrant::initech-order-api-orders",
        op: "update",
        properties: ["scopes"],
      },
    ]);
    const text = renderDiff(diff, "text");
    expect(text).toContain(
      "SECURITY-RELEVANT CHANGES: review before merging (1)\n! [grant] initech/order-api: scopes added",
    );
  });

  it("GIVEN a tenant added WHEN diffed THEN the tenant, its grants, its reach and the widened AWS trust are security-relevant", async () => {
    const diff = await diffOf("dev", (env) => {
      const globex = structuredClone(env.tenants[0]);
      globex.id = "hooli";
      env.tenants.push(globex);
    });
    expect(pick(diff, "tenant")).toEqual([
      {
        category: "tenant",
        security: true,
        subject: "tenant hooli",
        message: "added, with 1 workload: billing-sync",
      },
    ]);
    expect(pick(diff, "reach").map((c) => [c.subject, c.message])).toEqual([
      ["hooli/billing-sync (tenant hooli)", "reach gained: 3"],
    ]);
    expect(pick(diff, "trust")).toContainEqual(
      expect.objectContaining({ subject: "OpenIdConnectProvider auth0", message: "trust widened" }),
    );
    expect(diff.resources.filter((r) => r.op === "create").length).toBeGreaterThan(5);
  });

  it("GIVEN a tenant removed from a production stack WHEN diffed THEN the removal says pulumi up will fail without decommissioning, and trust narrows", async () => {
    const diff = await diffOf("prod", (env) => {
      env.tenants = env.tenants.filter((t: Raw) => t.id !== "globex");
    });
    expect(pick(diff, "tenant")[0]?.message).toBe(
      "removed, with its workloads billing-sync. Its resources are protected in prod: pulumi up will fail. Decommission it first (m2m tenant remove globex --stack prod sets decommissioned: true), deploy that, then remove it",
    );
    expect(pick(diff, "reach").map((c) => c.message)).toEqual(["reach lost: 3"]);
    expect(pick(diff, "trust")).toContainEqual(
      expect.objectContaining({ subject: "OpenIdConnectProvider auth0", message: "trust narrowed" }),
    );
    expect(pick(diff, "resource").some((c) => /deleted while protected in prod/.test(c.message))).toBe(true);
  });

  it("GIVEN a decommissioned tenant removed WHEN diffed THEN no failure is predicted", async () => {
    const base = raw("prod");
    base.tenants[0].decommissioned = true;
    const head = raw("prod");
    head.tenants = head.tenants.filter((t: Raw) => t.id !== "globex");
    const diff = diffPlans(await planFor("prod", base), await planFor("prod", head), REF);
    expect(pick(diff, "tenant")[0]?.message).toBe("removed, with its workloads billing-sync");
    expect(diff.changes.some((c) => /pulumi up will (fail|refuse)/.test(c.message))).toBe(false);
  });

  it("GIVEN a workload removed from a development stack WHEN diffed THEN it is security-relevant, with no protection warning", async () => {
    const diff = await diffOf("dev", (env) => {
      const initech = env.tenants.find((t: Raw) => t.id === "initech");
      initech.workloads = initech.workloads.filter((w: Raw) => w.name !== "order-api");
      // Its only Azure workload: the tenant's Azure settings go with it, as the model requires.
      delete initech.azure;
    });
    expect(pick(diff, "workload")).toEqual([
      { category: "workload", security: true, subject: "initech/order-api", message: "removed" },
    ]);
  });

  it("GIVEN an API identifier changed WHEN diffed THEN the API's replacement is named with what it breaks", async () => {
    const diff = await diffOf("dev", (env) => {
      env.apis.find((a: Raw) => a.key === "reports").identifier = "https://reports.v2.api.acme.example";
    });
    const replacement = pick(diff, "replacement").find((c) => c.subject === "ResourceServer reports");
    expect(replacement?.subject).toBe("ResourceServer reports");
    expect(replacement?.message).toMatch(
      /^replaced \(identifier changed\)\. the API is replaced: its identifier is the audience, so workloads requesting the old one get no token/,
    );
    expect(diff.resources).toContainEqual({
      key: "auth0:index/resourceServer:ResourceServer::reports",
      op: "replace",
      properties: ["identifier"],
    });
  });

  it("GIVEN the GCP pool id changed in production WHEN diffed THEN the replacement names the 30-day soft delete and protection, and every GCP member's trust changes", async () => {
    const diff = await diffOf("prod", (env) => {
      env.clouds.gcp.poolId = "m2m-prod-2";
    });
    const pool = pick(diff, "replacement").find((c) => c.subject === "WorkloadIdentityPool auth0");
    expect(pool?.message).toMatch(/it is protected in prod, so pulumi up will refuse/);
    expect(pool?.message).toMatch(/soft-deleted for 30 days and refuses its id meanwhile/);
    expect(pick(diff, "trust").map((c) => c.message)).toContain("trust changed");
  });

  it("GIVEN a role added to a workload WHEN diffed THEN its reach gained is listed per tenant", async () => {
    const diff = await diffOf("dev", (env) => {
      workloadOf(env, "umbrella", "analytics").gcp.roles.push({
        role: "roles/bigquery.dataEditor",
        dataset: "dev_umbrella",
      });
    });
    expect(pick(diff, "reach")).toEqual([
      {
        category: "reach",
        security: true,
        subject: "umbrella/analytics (tenant umbrella)",
        message: "reach gained: 1",
        details: ["gcp projects/acme-m2m-dev/datasets/dev_umbrella: roles/bigquery.dataEditor"],
      },
    ]);
  });

  it("GIVEN a managed policy removed from a role WHEN diffed THEN a target whose reach went from an upper bound to its inline policy is one change, the rest lost", async () => {
    const diff = await diffOf("dev", (env) => {
      workloadOf(env, "globex", "billing-sync").aws.managedPolicyArns = [];
    });
    const reach = pick(diff, "reach");
    expect(reach.map((c) => [c.subject, c.message])).toEqual([
      ["globex/billing-sync (tenant globex)", "reach lost: 2"],
      ["globex/billing-sync (tenant globex)", "reach changed: 1"],
    ]);
    expect(reach[1]?.details).toEqual([
      "aws arn:aws:s3:::acme-dev-globex/*: at most s3:GetObject, s3:PutObject by its inline policy; whatever AmazonSQSReadOnlyAccess allows (a managed policy: its content is not known offline), up to its boundary's every action -> s3:GetObject, s3:PutObject",
    ]);
    expect(reach.every((c) => c.security)).toBe(true);
  });

  it("GIVEN the Action's code changed WHEN diffed THEN it is security-relevant with a readable code diff", async () => {
    const diff = await diffOf("dev", (env) => {
      env.claimNamespace = "https://claims.acme.example/v2/";
    });
    const [action] = pick(diff, "action");
    expect(action?.message).toMatch(
      /^code changed: sha256 [0-9a-f]{12} \(\d+ bytes\) -> [0-9a-f]{12} \(\d+ bytes\)/,
    );
    expect(action?.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^-.*https:\/\/claims\.acme\.example\/"/),
        expect.stringMatching(/^\+.*https:\/\/claims\.acme\.example\/v2\/"/),
      ]),
    );
    expect(renderDiff(diff, "markdown")).toContain("```diff\n");
  });

  it("GIVEN only an API's display name changed WHEN diffed THEN it is another change, not a security-relevant one", async () => {
    const diff = await diffOf("dev", (env) => {
      env.apis.find((a: Raw) => a.key === "orders").name = "Orders";
    });
    expect(diff.changes).toEqual([
      {
        category: "resource",
        security: false,
        subject: "ResourceServer orders",
        message: "updated: name",
        details: ['name: "Orders API (dev)" -> "Orders"'],
      },
    ]);
    expect(renderDiff(diff, "markdown")).toContain(
      "**No security-relevant change.** Resources: 0 to create, 1 to update",
    );
  });
});

describe("m2m diff --preview", () => {
  it("GIVEN a pulumi preview --json with a replacement and an update WHEN folded THEN the replacement of a protected trust resource is security-relevant, the update is listed", async () => {
    const plan: Plan = await planFor("prod", raw("prod"));
    const steps: Parameters<typeof previewChanges>[0] = [
      { op: "same", urn: "urn:pulumi:prod::m2m::pulumi:pulumi:Stack::m2m-prod" },
      {
        op: "replace",
        urn: "urn:pulumi:prod::m2m::m2m:gcp:WorkloadIdentityPool$gcp:iam/workloadIdentityPool:WorkloadIdentityPool::auth0",
        replaceReasons: ["workloadIdentityPoolId"],
        detailedDiff: { workloadIdentityPoolId: { kind: "update-replace" } },
      },
      {
        op: "update",
        urn: "urn:pulumi:prod::m2m::m2m:auth0:Api$auth0:index/resourceServer:ResourceServer::orders",
        detailedDiff: { name: { kind: "update" } },
      },
    ];
    const diff = withChanges(diffPlans(plan, plan, REF), previewChanges(steps, plan, plan));
    expect(diff.changes).toEqual([
      {
        category: "preview",
        security: true,
        subject: "gcp:iam/workloadIdentityPool:WorkloadIdentityPool auth0",
        message:
          "pulumi preview: replace (replaced because workloadIdentityPoolId changed); the plan marks it protected, so pulumi up will refuse",
        details: ["workloadIdentityPoolId: update-replace"],
      },
      {
        category: "preview",
        security: false,
        subject: "auth0:index/resourceServer:ResourceServer orders",
        message: "pulumi preview: update",
        details: ["name: update"],
      },
    ]);
  });
});
