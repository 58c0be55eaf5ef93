import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import { adopt } from "../../src/cli/adopt.ts";
import { drift } from "../../src/cli/drift.ts";
import type { ImportFile } from "../../src/management/adopt.ts";
import type { DriftReport } from "../../src/management/drift.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { readStackFile } from "../../src/stack/stack-file.ts";
import { captured, type LocalTenantFixture, m2m, startManagedFixture } from "../management/local-tenant.ts";
import { computedState, settled, stackConfig } from "../support/mocked-stack.ts";

const INVENTORY = "https://inventory.api.hooli.example";
let fixture: LocalTenantFixture;
const ids = { sync: "", audit: "" };
let mapFile = "";

beforeAll(async () => {
  fixture = await startManagedFixture();
  const { management } = fixture;
  // A tenant built by hand, as a team would in the dashboard: an API, two applications, their grants.
  await management.resourceServers.create({
    identifier: INVENTORY,
    name: "Inventory API",
    scopes: [
      { value: "inventory:read", description: "Read stock" },
      { value: "inventory:write", description: "Change stock" },
    ],
    token_lifetime: 3600,
  });
  const sync = await management.clients.create({
    name: "inventory-sync",
    app_type: "non_interactive",
    grant_types: ["client_credentials"],
  });
  const audit = await management.clients.create({
    name: "inventory-audit",
    app_type: "non_interactive",
    token_endpoint_auth_method: "client_secret_basic",
    client_metadata: { team: "audit" },
  });
  await management.clients.create({ name: "marketing-site", app_type: "spa" });
  ids.sync = sync.client_id ?? "";
  ids.audit = audit.client_id ?? "";
  await management.clientGrants.create({
    client_id: ids.sync,
    audience: INVENTORY,
    scope: ["inventory:read", "inventory:write"],
  });
  await management.clientGrants.create({
    client_id: ids.sync,
    audience: "https://orders.api.acme.example",
    scope: ["orders:read"],
  });
  await management.clientGrants.create({
    client_id: ids.audit,
    audience: INVENTORY,
    scope: ["inventory:read"],
  });
  mapFile = path.join(mkdtempSync(path.join(tmpdir(), "m2m-adopt-")), "map.json");
  writeFileSync(mapFile, JSON.stringify({ [ids.sync]: "hooli/sync", [ids.audit]: "hooli/audit" }));
});
afterAll(() => fixture.local.close());

const projectDir = () => fixture.local.projectDir;

describe("m2m adopt of a tenant built by hand through the local Management API", () => {
  let out = "";
  it("GIVEN hand-built applications mapped with --map WHEN adopt runs THEN it writes a model that validates and lists what it could not adopt", async () => {
    const run = await captured(() =>
      adopt({ projectDir: projectDir(), stack: "local", local: true, mapFile, environment: {} }),
    );
    out = run.out;
    expect(run.result).toBe(0);
    expect(out).toMatch(
      /^Adopted 4 workloads in 3 tenants, \d+ APIs and the credentials-exchange binding list/,
    );
    expect(out).toMatch(
      /application m2m-local-initech-analytics \(\w+\) \(initech\/analytics\): private_key_jwt, and Auth0 never returns the public keys' PEM \(analytics-1\)/,
    );
    expect(out).toMatch(
      /application marketing-site \(\w+\): no tenant_id\/workload metadata and not in --map/,
    );
    expect(out).toContain(
      `application inventory-sync (${ids.sync}): pulumi up renames it to m2m-local-hooli-sync`,
    );
    expect(out).toContain("pulumi import --stack local --file import.local.json");
    const env = parseEnvironment(readStackFile(projectDir(), "local").config["m2m:environment"], "local");
    const hooli = env.tenants.find((t) => t.id === "hooli");
    expect(hooli?.workloads.map((w) => [w.name, w.authentication.method, w.grants, w.metadata])).toEqual([
      [
        "sync",
        "client_secret_post",
        [
          { api: "inventory-api", scopes: ["inventory:read", "inventory:write"] },
          { api: "orders", scopes: ["orders:read"] },
        ],
        {},
      ],
      [
        "audit",
        "client_secret_basic",
        [{ api: "inventory-api", scopes: ["inventory:read"] }],
        { team: "audit" },
      ],
    ]);
    expect(env.apis.find((a) => a.identifier === INVENTORY)).toMatchObject({
      key: "inventory-api",
      name: "Inventory API",
      tokenLifetime: 3600,
      scopes: [
        { value: "inventory:read", description: "Read stock" },
        { value: "inventory:write", description: "Change stock" },
      ],
    });
    expect(env.tenants.find((t) => t.id === "initech")?.workloads.map((w) => w.name)).toEqual(["exporter"]);
  });

  it("GIVEN the written stack WHEN drift compares it with the tenant THEN grants, APIs, Actions and bindings match, and only the updates adopt announced remain", async () => {
    const { result, out: printed } = await captured(() =>
      drift({ projectDir: projectDir(), stack: "local", local: true, json: true, environment: {} }),
    );
    expect(result).toBe(1);
    const report = JSON.parse(printed) as DriftReport;
    // Beside the applications, only the API setting adopt said pulumi up would change.
    expect(report.findings.filter((f) => !f.subject.startsWith("application"))).toEqual([
      expect.objectContaining({
        subject: `API ${INVENTORY} (inventory-api)`,
        detail: "skip_consent_for_verifiable_first_party_clients is false; the model has true",
      }),
    ]);
    expect(out).toContain(
      `API ${INVENTORY} (inventory-api): pulumi up sets skip_consent_for_verifiable_first_party_clients to true`,
    );
    const subjects = new Set(
      report.findings
        .filter((f) => f.subject.startsWith("application"))
        .map((f) => `${f.kind} ${f.subject.replace(/ \(\w+\)$/, "")}`),
    );
    expect([...subjects].sort()).toEqual([
      "extra application m2m-local-initech-analytics",
      "missing application m2m-local-hooli-audit (hooli/audit)",
      "missing application m2m-local-hooli-sync (hooli/sync)",
    ]);
  });

  it("GIVEN the import file WHEN the program runs under mocks with the written stack THEN every Auth0 resource it registers is imported (zero creates), by its exact name, parent and live id", async () => {
    const importFile = JSON.parse(
      readFileSync(path.join(projectDir(), "import.local.json"), "utf8"),
    ) as ImportFile;
    const byFileName = new Map(importFile.resources.map((r) => [r.name, r]));
    const importedId = new Map(
      importFile.resources.filter((r) => r.id).map((r) => [`${r.type}::${r.logicalName}`, r.id]),
    );
    const written = readStackFile(projectDir(), "local").config["m2m:environment"];
    const account = parseEnvironment(written, "local").clouds.aws?.accountId ?? "";
    const registered: { type: string; name: string; parent: string; inputs: Record<string, unknown> }[] = [];
    let parentOfCurrent = "";
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, parent: parentOfCurrent, inputs: args.inputs });
          const id = importedId.get(`${args.type}::${args.name}`) ?? `${args.name}-created`;
          // Auth0 hands back the imported ids; the clouds' outputs are the shared mocks'.
          const computed =
            args.type === "auth0:index/client:Client"
              ? { clientId: id }
              : computedState(args.type, args.name, args.inputs, account);
          return { id, state: { ...args.inputs, ...computed } };
        },
        call: (args) => args.inputs,
      },
      "m2m",
      "local",
      false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(req: { getParent(): string }, callback: unknown): unknown;
    };
    const registerResource = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      parentOfCurrent = req.getParent();
      return registerResource(req, callback);
    };
    pulumi.runtime.setAllConfig(stackConfig(written), ["m2m:auth0ClientSecret"]);
    await program();
    await settled();

    const auth0 = registered.filter((r) => r.type.startsWith("auth0:") || r.type.startsWith("m2m:auth0:"));
    const creates = auth0.filter((r) => {
      const entry = [...byFileName.values()].find((e) => e.type === r.type && e.logicalName === r.name);
      if (!entry) return true;
      // The parent the program gives it is the component the file names as its parent.
      const parentName = r.parent.split("::").pop() ?? "";
      const parentType = (r.parent.split("::")[2] ?? "").split("$").pop();
      if (entry.parent === undefined) return r.parent !== "" && !r.parent.includes("pulumi:pulumi:Stack");
      const fileParent = byFileName.get(entry.parent);
      return fileParent?.logicalName !== parentName || fileParent.type !== parentType;
    });
    expect(creates.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    expect(auth0.length).toBe(importFile.resources.length);
    // Grants point at the imported clients with the live audiences and scopes: nothing to replace.
    const sync = registered.find(
      (r) => r.type === "auth0:index/clientGrant:ClientGrant" && r.name === "hooli-sync-inventory-api",
    );
    expect(sync?.inputs).toMatchObject({
      clientId: ids.sync,
      audience: INVENTORY,
      scopes: ["inventory:read", "inventory:write"],
    });
    const server = registered.find(
      (r) => r.type === "auth0:index/resourceServer:ResourceServer" && r.name === "inventory-api",
    );
    expect(server?.inputs.identifier).toBe(INVENTORY);
    expect(importFile.nameTable).toEqual({
      "auth0-local": "urn:pulumi:local::m2m::pulumi:providers:auth0::auth0-local",
    });
  });

  it("GIVEN a --map value that is not tenant/workload WHEN adopt runs THEN it exits 2 naming the entry, and writes nothing", async () => {
    const bad = path.join(path.dirname(mapFile), "bad.json");
    writeFileSync(bad, JSON.stringify({ [ids.sync]: "hooli" }));
    const before = readFileSync(path.join(projectDir(), "Pulumi.local.yaml"), "utf8");
    const result = await m2m(["adopt", "--stack", "local", "--local", "--map", bad], projectDir());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `--map ${bad}: the value for client ${ids.sync} must be "<tenant>/<workload>", not "hooli"`,
    );
    expect(readFileSync(path.join(projectDir(), "Pulumi.local.yaml"), "utf8")).toBe(before);
  });

  it("GIVEN a stack file without auth0.domain WHEN adopt runs against Auth0 THEN it exits 2 saying what to add, before any call", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "m2m-adopt-empty-"));
    writeFileSync(
      path.join(dir, "Pulumi.fresh.yaml"),
      "config:\n  m2m:environment:\n    claimNamespace: https://claims.acme.example/\n",
    );
    const result = await m2m(["adopt", "--stack", "fresh"], dir, {
      M2M_AUTH0_CLIENT_ID: "id",
      M2M_AUTH0_CLIENT_SECRET: "secret",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Pulumi.fresh.yaml needs m2m:environment.auth0.domain");
  });

  it("GIVEN m2m --help WHEN run THEN smoke, drift and adopt are listed, and adopt --help shows --map", async () => {
    const help = await m2m(["--help"], projectDir());
    for (const command of ["smoke", "drift", "adopt"])
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command} +\\S`));
    const adoptHelp = await m2m(["adopt", "--help"], projectDir());
    expect(adoptHelp.stdout).toContain(
      "usage: m2m adopt --stack <env> [--local [--state-dir DIR]] [--map FILE]",
    );
    expect(adoptHelp.stdout).toMatch(/--map FILE +JSON \{"<client id>": "<tenant>\/<workload>"\}/);
  });
});
