import { describe, expect, it } from "vitest";
import { renderPlan } from "../../src/cli/plan.ts";
import { EnvironmentError } from "../../src/model/environment/errors.ts";
import { buildPlan } from "../../src/plan/build-plan.ts";
import { runUnderMocks } from "../../src/plan/mocked-program.ts";
import type { Plan, PlanTenant } from "../../src/plan/plan.ts";
import { producePlan } from "../../src/plan/produce-plan.ts";
import { loadProjectCode, OWN_ROOT } from "../../src/plan/project-code.ts";
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from "../../src/plan/render-plan-markdown.ts";
import { renderPlanText } from "../../src/plan/render-plan-text.ts";
import { REPLACEMENT_PROPERTIES } from "../../src/plan/replacement-properties.ts";
import { KIND_OF_TYPE } from "../../src/plan/resource-kinds.ts";
import { programConfig } from "../../src/plan/stack-config.ts";
import { GRAPH_EDGE_LIMIT, GRAPH_TEXT_LIMIT, trustGraph } from "../../src/plan/trust-graph.ts";
import { readStackFile } from "../../src/stack/stack-file.ts";
import { validEnvironment } from "../fixtures/environment.ts";
import { projectWithStack } from "../fixtures/local-project.ts";
import { committedEnvironment } from "../support/mocked-stack.ts";

const planOf = (stack: string, projectDir = process.cwd()) => producePlan({ projectDir, stack });

describe("m2m plan of the committed stacks", () => {
  for (const stack of ["dev", "staging", "prod"]) {
    it(`GIVEN the committed ${stack} stack WHEN planned THEN text, Markdown and JSON are the reviewed snapshots`, async () => {
      const plan = await planOf(stack);
      await expect(renderPlan(plan, "text")).toMatchFileSnapshot(`./__snapshots__/${stack}.plan.txt`);
      await expect(renderPlan(plan, "markdown")).toMatchFileSnapshot(`./__snapshots__/${stack}.plan.md`);
      await expect(renderPlan(plan, "json")).toMatchFileSnapshot(`./__snapshots__/${stack}.plan.json.snap`);
    });
  }

  it("GIVEN the dev stack WHEN planned twice THEN both plans are the same, byte for byte", async () => {
    const first = renderPlan(await planOf("dev"), "json");
    expect(renderPlan(await planOf("dev"), "json")).toBe(first);
  });

  it("GIVEN the dev stack WHEN planned THEN every API, scope set, application, grant, credential, Action, binding and cloud resource is there, and each workload's reach", async () => {
    const plan = await planOf("dev");
    const count = (type: string) => plan.resources.filter((r) => r.type === type).length;
    expect(count("auth0:index/resourceServer:ResourceServer")).toBe(5);
    expect(count("auth0:index/resourceServerScopes:ResourceServerScopes")).toBe(5);
    expect(count("auth0:index/client:Client")).toBe(4);
    expect(count("auth0:index/clientGrant:ClientGrant")).toBe(11);
    expect(count("auth0:index/clientCredentials:ClientCredentials")).toBe(4);
    expect(count("aws:iam/role:Role")).toBe(2);
    expect(count("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")).toBe(1);
    expect(count("azure-native:managedidentity:FederatedIdentityCredential")).toBe(2);
    expect(plan.actions.map((a) => [a.name, a.bytes > 0, /^[0-9a-f]{64}$/.test(a.sha256)])).toEqual([
      ["m2m-tenant-claims", true, true],
    ]);
    expect(plan.bindings).toEqual(["m2m-tenant-claims"]);
    const analytics = plan.tenants.find((t) => t.id === "umbrella")?.workloads[0];
    expect(analytics).toMatchObject({
      clientId: "placeholder-umbrella-analytics",
      method: "private_key_jwt",
      identities: [
        { cloud: "aws", label: "role m2m-dev-umbrella-analytics" },
        { cloud: "gcp", label: "principal placeholder-umbrella-analytics@clients in pool m2m-dev" },
        { cloud: "azure", label: "identity m2m-dev-umbrella" },
      ],
    });
    expect(analytics?.reach).toContainEqual({
      cloud: "gcp",
      resource: "projects/acme-m2m-dev/datasets/dev_umbrella",
      access: "roles/bigquery.dataViewer",
    });
    // A managed policy's content is not known offline: its reach is an upper bound, and said so.
    expect(analytics?.reach).toContainEqual(
      expect.objectContaining({ cloud: "aws", resource: "arn:aws:s3:::acme-dev-umbrella/*", atMost: true }),
    );
    expect(renderPlanText(plan)).toContain(
      "    may reach at most aws arn:aws:s3:::acme-dev-umbrella/*: whatever AmazonS3ReadOnlyAccess allows",
    );
    expect(analytics?.reach.find((r) => r.cloud === "gcp")).not.toHaveProperty("atMost");
    const role = plan.resources.find((r) => r.key === "aws:iam/role:Role::umbrella-analytics");
    expect(
      JSON.parse(String(role?.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals,
    ).toMatchObject({
      "acme-dev.eu.auth0.com/:sub": "placeholder-umbrella-analytics@clients",
    });
  });
});

describe("protection and replacements, which mocks cannot show", () => {
  async function registered(stack: string, raw: unknown) {
    const dir = projectWithStack(stack, raw);
    const code = await loadProjectCode(OWN_ROOT);
    const file = readStackFile(dir, stack);
    const { config, secretKeys } = programConfig(file, code.project);
    const registrations = await runUnderMocks({
      project: code.project,
      stack,
      config,
      secretKeys,
      program: code.program,
    });
    const env = code.parseEnvironment(raw, stack);
    return { registrations, plan: buildPlan(env, code.environmentReach(env), registrations, code) };
  }

  it("GIVEN the prod stack WHEN planned THEN every resource is protected, pools retained, exactly as the program registers them", async () => {
    const { registrations, plan } = await registered("prod", committedEnvironment("prod"));
    const custom = plan.resources.filter((r) => r.kind !== undefined);
    expect(custom.length).toBeGreaterThan(40);
    expect(custom.every((r) => r.protect)).toBe(true);
    expect(custom.filter((r) => r.retainOnDelete).map((r) => r.kind)).toEqual(["gcpPool", "gcpPoolProvider"]);
    const byKey = new Map(registrations.map((r) => [`${r.type}::${r.name}`, r.options]));
    for (const r of plan.resources)
      expect({ key: r.key, protect: r.protect, retainOnDelete: r.retainOnDelete }).toEqual({
        key: r.key,
        ...byKey.get(r.key),
      });
  });

  it("GIVEN a decommissioned tenant in a production stack WHEN planned THEN only its resources lose protection", async () => {
    const raw = structuredClone(committedEnvironment("prod")) as {
      tenants: { id: string; decommissioned?: boolean }[];
    };
    const tenant = raw.tenants[0];
    if (!tenant) throw new Error("prod has tenants");
    tenant.decommissioned = true;
    const { registrations, plan } = await registered("prod", raw);
    const owned = plan.resources.filter((r) => r.owner?.tenantId === tenant.id && r.kind);
    expect(owned.length).toBeGreaterThan(0);
    expect(owned.every((r) => !r.protect)).toBe(true);
    expect(
      plan.resources.filter((r) => r.kind && r.owner?.tenantId !== tenant.id).every((r) => r.protect),
    ).toBe(true);
    const byKey = new Map(registrations.map((r) => [`${r.type}::${r.name}`, r.options.protect]));
    for (const r of plan.resources) expect([r.key, r.protect]).toEqual([r.key, byKey.get(r.key)]);
    expect(renderPlan(plan, "text")).toContain(`tenant ${tenant.id} is decommissioned`);
  });

  it("GIVEN every type the program registers WHEN looked up THEN each has a kind (for its options) and a cited replacement row", async () => {
    const plan = await planOf("dev");
    const types = new Set(
      plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:")).map((r) => r.type),
    );
    for (const type of types) {
      expect(KIND_OF_TYPE[type], type).toBeDefined();
      expect(REPLACEMENT_PROPERTIES[type]?.source, type).toMatch(/\S/);
    }
    const api = plan.resources.find((r) => r.type === "auth0:index/resourceServer:ResourceServer");
    expect(api?.replaceOn).toEqual(["identifier"]);
    const pool = plan.resources.find((r) => r.type === "gcp:iam/workloadIdentityPool:WorkloadIdentityPool");
    expect(pool?.replaceOn).toContain("workloadIdentityPoolId");
    expect(renderPlan(plan, "text")).toContain(
      'identifier: "https://orders.api.acme.example"  (replaces on change)',
    );
  });

  it("GIVEN an invalid stack WHEN planned THEN the model's error names the path, and nothing runs", async () => {
    const raw = validEnvironment();
    (raw.tenants[0] as { workloads: unknown[] }).workloads = [
      { name: "billing", grants: [{ api: "nope", scopes: ["x"] }] },
    ];
    await expect(planOf("dev", projectWithStack("dev", raw))).rejects.toSatisfy(
      (e: Error) => e instanceof EnvironmentError && /grants\[0\]\.api: unknown API "nope"/.test(e.message),
    );
  });
});

describe("the program run under mocks", () => {
  const run = (program: () => Promise<unknown>) =>
    runUnderMocks({ project: "m2m", stack: "dev", config: {}, secretKeys: [], program });

  it("GIVEN a program WHEN run THEN it runs without stack traces (the plan shows none), and the limit is put back after", async () => {
    const before = Error.stackTraceLimit;
    let seen: number | undefined;
    await run(async () => {
      seen = Error.stackTraceLimit;
      return {};
    });
    expect(seen).toBe(0);
    expect(Error.stackTraceLimit).toBe(before);
  });

  it("GIVEN PULUMI_DEBUG_PROMISE_LEAKS WHEN a program runs THEN it keeps its stack traces, as the program itself does", async () => {
    const before = Error.stackTraceLimit;
    let seen: number | undefined;
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      await run(async () => {
        seen = Error.stackTraceLimit;
        return {};
      });
    } finally {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    }
    expect(seen).toBe(before);
  });
});

/** A plan of `n` tenants of one workload each, granted every API, for the renderers alone. */
function syntheticPlan(n: number): Plan {
  const tenants: PlanTenant[] = Array.from({ length: n }, (_, i) => ({
    id: `tenant${i}`,
    decommissioned: false,
    workloads: [
      {
        tenantId: `tenant${i}`,
        workload: "app",
        clientId: `placeholder-tenant${i}-app`,
        application: `m2m-bench-tenant${i}-app`,
        method: "client_secret_post",
        grants: ["aws", "gcp", "azure"].map((api) => ({
          api,
          audience: `https://${api}.example`,
          scopes: [`${api}:federate`],
        })),
        identities: [
          { cloud: "aws", api: "aws", label: `role m2m-bench-tenant${i}-app` },
          { cloud: "azure", api: "azure", label: `identity m2m-bench-tenant${i}` },
        ],
        reach: [{ cloud: "aws", resource: `arn:aws:s3:::acme-bench-tenant${i}/*`, access: "s3:GetObject" }],
      },
    ],
  }));
  return {
    format: "m2m-plan/1",
    stack: "bench",
    production: true,
    issuer: "https://acme-bench.eu.auth0.com/",
    unsetConfig: [],
    tenants,
    actions: [],
    bindings: [],
    resources: tenants.map((t) => ({
      key: `aws:iam/role:Role::${t.id}-app`,
      type: "aws:iam/role:Role",
      name: `${t.id}-app`,
      component: "",
      custom: true,
      kind: "awsRole",
      owner: { tenantId: t.id, workload: "app" },
      protect: true,
      retainOnDelete: false,
      replaceOn: ["name"],
      inputs: {
        name: `m2m-bench-${t.id}-app`,
        assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow" }] }),
      },
    })),
  };
}

describe("the Markdown plan for pull requests", () => {
  it("GIVEN a few tenants WHEN rendered THEN the trust graph draws tenant -> application -> API -> cloud identity", () => {
    const graph = trustGraph(syntheticPlan(2));
    expect(graph.aggregated).toBe(false);
    expect(graph.mermaid).toContain('n0("tenant tenant0")');
    expect(graph.mermaid).toMatch(/n1\["tenant0\/app"\]\n {2}n0 --> n1/);
    expect(graph.mermaid).toContain('n5("aws role m2m-bench-tenant0-app")\n  n2 --> n5');
  });

  it(`GIVEN more than ${GRAPH_EDGE_LIMIT} edges WHEN rendered THEN the graph is aggregated per API and cloud, and says so`, () => {
    const plan = syntheticPlan(80);
    const graph = trustGraph(plan);
    expect(graph.aggregated).toBe(true);
    expect(graph.edges).toBeLessThanOrEqual(GRAPH_EDGE_LIMIT);
    expect(graph.mermaid).toContain('"80 tenants"');
    expect(graph.mermaid).toContain('"aws: 80 identities"');
    expect(renderPlanMarkdown(plan)).toContain("#### Trust graph (aggregated per API and cloud");
  });

  it(`GIVEN ${GRAPH_EDGE_LIMIT} edges or fewer WHEN rendered THEN the whole graph is drawn; one tenant more, and it is aggregated`, () => {
    // Six edges per synthetic tenant: tenant -> application, application -> 3 APIs, 2 APIs -> identity.
    const fits = Math.floor(GRAPH_EDGE_LIMIT / 6);
    const full = trustGraph(syntheticPlan(fits));
    expect([full.aggregated, full.edges]).toEqual([false, fits * 6]);
    expect(full.mermaid.length).toBeLessThanOrEqual(GRAPH_TEXT_LIMIT);
    expect(trustGraph(syntheticPlan(fits + 1)).aggregated).toBe(true);
  });

  it("GIVEN 3,000 tenants WHEN rendered THEN the comment stays under GitHub's limit, says what is left out and where the whole plan is", () => {
    const markdown = renderPlanMarkdown(syntheticPlan(3_000));
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown.startsWith("### m2m plan: stack `bench` (production)\n\n**3000 tenants")).toBe(true);
    expect(markdown).toContain("`m2m plan --stack bench --format json`");
    expect(markdown).toMatch(/left out to stay under GitHub's comment limit/);
  });

  it("GIVEN a plan that fits WHEN rendered THEN every resource is there, folded by section", () => {
    const markdown = renderPlanMarkdown(syntheticPlan(30));
    expect(markdown).toContain("<details><summary>AWS: 30 resources</summary>");
    expect(markdown).toContain("<details><summary>30 workloads</summary>");
    expect(markdown).not.toContain("left out");
  });
});
