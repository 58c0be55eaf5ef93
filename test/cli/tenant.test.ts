import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { rsaKeyPair } from "../fixtures/keys.ts";

const BIN = path.resolve("bin/m2m.js");
const m2m = (args: string[], cwd = process.cwd()) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 30_000 });

/** A project folder with copies of every committed stack file. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-cli-tenant-"));
  for (const file of readdirSync(".").filter((f) => /^Pulumi\.[a-z0-9]+\.yaml$/.test(f)))
    copyFileSync(file, path.join(dir, file));
  return dir;
}

const NOT_A_TRACE = /\n\s+at /;

describe("m2m tenant", () => {
  it("GIVEN m2m --help WHEN run THEN tenant is listed with its summary", () => {
    const result = m2m(["--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /\n {2}tenant +onboard, list and offboard a stack's tenants, editing Pulumi\.<env>\.yaml in place\n/,
    );
  });

  it("GIVEN tenant --help WHEN run THEN it lists add, list and remove", () => {
    const result = m2m(["tenant", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: m2m tenant <add\|list\|remove> <id> --stack <env> \[flags\]\n/);
    expect(result.stdout).toMatch(/\n {2}m2m tenant add +onboard a tenant with one workload/);
    expect(result.stdout).toMatch(/\n {2}m2m tenant list +a stack's tenants and workloads/);
    expect(result.stdout).toMatch(
      /\n {2}m2m tenant remove +offboard a tenant: in a protected \(production\) stack, decommission it first/,
    );
  });

  it("GIVEN tenant add --help WHEN run THEN it prints add's usage and every flag, one per model field a user sets", () => {
    const result = m2m(["tenant", "add", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^usage: m2m tenant add <id> --stack <env> --workload <name> --grant <api>=<scope,...>/,
    );
    for (const flag of [
      "--stack <env>",
      "--workload <name>",
      "--grant <api>=<scope,...>",
      "--description <text>",
      "--method <method>",
      "--key FILE",
      "--metadata <key>=<value>",
      "--token-env VAR",
      "--token-file PATH",
      "--aws-managed-policy ARN",
      "--aws-inline-policy FILE",
      "--aws-max-session-duration SECONDS",
      "--gcp-role <grant>",
      "--gcp-impersonate",
      "--gcp-service-account-role <grant>",
      "--azure-role-assignment <assignment>",
      "-h, --help",
    ])
      expect(result.stdout).toMatch(new RegExp(`\\n {2}${flag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} +\\S`));
    expect(result.stdout).not.toContain("--confirm");
  });

  it("GIVEN tenant list --help and tenant remove --help WHEN run THEN each prints its own flags", () => {
    const list = m2m(["tenant", "list", "--help"]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^usage: m2m tenant list --stack <env> \[--json\]\n/);
    expect(list.stdout).not.toContain("--workload");
    const remove = m2m(["tenant", "remove", "--help"]);
    expect(remove.status).toBe(0);
    expect(remove.stdout).toMatch(/^usage: m2m tenant remove <id> --stack <env> \[--confirm\]\n/);
    expect(remove.stdout).toMatch(/\n {2}--confirm +the tenant's decommissioning is applied/);
  });

  it("GIVEN an unknown or missing subcommand WHEN run THEN it exits 2 naming it", () => {
    const unknown = m2m(["tenant", "rename", "acme"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /^m2m tenant: unknown subcommand "rename": use add, list or remove\n\nusage: m2m tenant /,
    );
    expect(unknown.stdout).toBe("");
    const none = m2m(["tenant"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^m2m tenant: give a subcommand: add, list or remove\n/);
    const flagFirst = m2m(["tenant", "--stack", "dev"]);
    expect(flagFirst.status).toBe(2);
    expect(flagFirst.stderr).toMatch(
      /^m2m tenant: --stack before a subcommand: write m2m tenant <add\|list\|remove> \[flags\]\n/,
    );
  });

  it("GIVEN an unknown flag, no --stack, no id or two ids WHEN run THEN it exits 2 with the subcommand's usage", () => {
    const cases: [string[], RegExp][] = [
      [
        ["tenant", "list", "--stack", "dev", "--colour"],
        /^m2m tenant list: unknown flag --colour\n\nusage: m2m tenant list /,
      ],
      [
        ["tenant", "add", "acme", "--stack", "dev", "--workload", "sync", "--confirm"],
        /^m2m tenant add: unknown flag --confirm\n/,
      ],
      [["tenant", "remove", "acme"], /^m2m tenant remove: --stack is required, e\.g\. --stack dev/],
      [
        ["tenant", "add", "--stack", "dev"],
        /^m2m tenant add: give the tenant id, e\.g\. m2m tenant add acme --stack dev/,
      ],
      [
        ["tenant", "remove", "a", "b", "--stack", "dev"],
        /^m2m tenant remove: give one tenant id, not 2: a b\n/,
      ],
      [
        ["tenant", "add", "acme", "--stack", "dev", "--grant", "orders=orders:read"],
        /^m2m tenant add: --workload is required/,
      ],
      [
        ["tenant", "list", "extra", "--stack", "dev"],
        /^m2m tenant list: takes no arguments besides its flags, not extra\n/,
      ],
    ];
    for (const [args, expected] of cases) {
      const result = m2m(args, project());
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(expected);
    }
  });

  it("GIVEN the dev stack WHEN listed THEN every workload is a row with status, authentication, clouds and grants", () => {
    const result = m2m(["tenant", "list", "--stack", "dev"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        "Stack dev (Pulumi.dev.yaml): 3 tenants, 4 workloads",
        "",
        "TENANT    STATUS  WORKLOAD       AUTHENTICATION       CLOUDS         GRANTS",
        "globex    active  billing-sync   client_secret_post   aws            orders: orders:read orders:write; aws: aws:federate",
        "initech   active  order-api      client_secret_post   azure          orders: orders:read; azure: azure:federate",
        "                  report-export  client_secret_basic  gcp            reports: reports:read reports:export; gcp: gcp:federate",
        "umbrella  active  analytics      private_key_jwt      aws,gcp,azure  orders: orders:read; reports: reports:read; aws: aws:federate; gcp: gcp:federate; azure: azure:federate",
        "",
      ].join("\n"),
    );
    expect(result.stdout).not.toContain("BEGIN PUBLIC KEY");
  });

  it("GIVEN --json WHEN listed THEN it prints the stack and its tenants as data, a decommissioned one marked", () => {
    const dir = project();
    expect(m2m(["tenant", "remove", "umbrella", "--stack", "prod"], dir).status).toBe(0);
    const result = m2m(["tenant", "list", "--stack", "prod", "--json"], dir);
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed.stack).toBe("prod");
    expect(
      listed.tenants.map((t: { id: string; decommissioned: boolean }) => [t.id, t.decommissioned]),
    ).toEqual([
      ["globex", false],
      ["initech", false],
      ["umbrella", true],
    ]);
    expect(listed.tenants[2].workloads).toEqual([
      {
        name: "analytics",
        authentication: "private_key_jwt",
        clouds: ["aws", "gcp", "azure"],
        grants: [
          { api: "orders", scopes: ["orders:read"] },
          { api: "reports", scopes: ["reports:read"] },
          { api: "aws", scopes: ["aws:federate"] },
          { api: "gcp", scopes: ["gcp:federate"] },
          { api: "azure", scopes: ["azure:federate"] },
        ],
      },
    ]);
  });

  it("GIVEN a stack with no tenants WHEN listed THEN it says how to add one", () => {
    const dir = project();
    for (const id of ["globex", "initech", "umbrella"]) m2m(["tenant", "remove", id, "--stack", "dev"], dir);
    const result = m2m(["tenant", "list", "--stack", "dev"], dir);
    expect(result.stdout).toBe(
      "Stack dev (Pulumi.dev.yaml): 0 tenants, 0 workloads\nAdd one with: m2m tenant add <id> --stack dev --workload <name> --grant <api>=<scope>\n",
    );
    expect(readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toContain("\n    tenants: []\n");
  });

  it("GIVEN add then remove through the command WHEN run THEN the stack file is byte for byte as it was", () => {
    const dir = project();
    const file = path.join(dir, "Pulumi.staging.yaml");
    const before = readFileSync(file, "utf8");
    const key = rsaKeyPair();
    writeFileSync(path.join(dir, "sync-2026-11.pem"), key.publicKey);
    const added = m2m(
      [
        "tenant",
        "add",
        "acme",
        "--stack",
        "staging",
        "--workload",
        "sync",
        "--grant",
        "orders=orders:read,orders:write",
        "--grant",
        "aws=aws:federate",
        "--aws-managed-policy",
        "arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess",
        "--key",
        "sync-2026-11.pem",
      ],
      dir,
    );
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    expect(added.stdout).toBe(
      'Added tenant "acme" with workload "sync" to Pulumi.staging.yaml (clouds: aws).\nNext: review the change (git diff Pulumi.staging.yaml), then pulumi up --stack staging creates it.\n',
    );
    expect(readFileSync(file, "utf8")).toContain("      - id: acme\n");
    const listed = m2m(["tenant", "list", "--stack", "staging"], dir);
    expect(listed.stdout).toMatch(
      /\nacme +active +sync +private_key_jwt +aws +orders: orders:read orders:write; aws: aws:federate\n/,
    );
    const removed = m2m(["tenant", "remove", "acme", "--stack", "staging"], dir);
    expect(removed.status).toBe(0);
    expect(removed.stdout).toMatch(
      /^Removed tenant "acme" from Pulumi\.staging\.yaml\.\nNext: pulumi up --stack staging deletes/,
    );
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("GIVEN an add the model refuses WHEN run THEN it exits 2 naming each problem, writes nothing and prints no stack trace", () => {
    const dir = project();
    const file = path.join(dir, "Pulumi.dev.yaml");
    const before = readFileSync(file, "utf8");
    const result = m2m(
      ["tenant", "add", "acme", "--stack", "dev", "--workload", "sync", "--grant", "billing=billing:read"],
      dir,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^m2m: .*Pulumi\.dev\.yaml was not changed: the change would leave 1 problem:\n {2}- tenants\[3\] \(new tenant acme\)\.workloads\[0\]\.grants\[0\]\.api: /,
    );
    expect(result.stderr).toContain('"billing"');
    expect(result.stderr).not.toMatch(NOT_A_TRACE);
    expect(result.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("GIVEN a private key given as --key WHEN run THEN it exits 2 without printing any of it, and writes nothing", () => {
    const dir = project();
    const before = readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
    const { privateKey } = rsaKeyPair();
    writeFileSync(path.join(dir, "sync.pem"), privateKey);
    const result = m2m(
      [
        "tenant",
        "add",
        "acme",
        "--stack",
        "dev",
        "--workload",
        "sync",
        "--grant",
        "orders=orders:read",
        "--key",
        "sync.pem",
      ],
      dir,
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^m2m tenant add: --key sync\.pem: this is a PRIVATE key/);
    for (const line of privateKey.trim().split("\n").slice(1, -1)) {
      expect(result.stderr).not.toContain(line);
      expect(result.stdout).not.toContain(line);
    }
    expect(readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toBe(before);
  });

  it("GIVEN the prod stack WHEN a tenant is removed, again, then with --confirm THEN it is decommissioned, refused, then removed", () => {
    const dir = project();
    const first = m2m(["tenant", "remove", "globex", "--stack", "prod"], dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /^Stack prod protects its resources \(production: true\), so tenant "globex" is offboarded in two applies\.\n/,
    );
    expect(first.stdout).toMatch(
      /\n {2}1\. pulumi up --stack prod: lifts protection from globex's resources .*nothing is deleted/,
    );
    expect(first.stdout).toMatch(
      /\n {2}2\. m2m tenant remove globex --stack prod --confirm, then pulumi up --stack prod: deletes them/,
    );
    const again = m2m(["tenant", "remove", "globex", "--stack", "prod"], dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(
      /^m2m: tenant "globex" is decommissioned in Pulumi\.prod\.yaml; nothing was changed\./,
    );
    const confirmed = m2m(["tenant", "remove", "globex", "--stack", "prod", "--confirm"], dir);
    expect(confirmed.status).toBe(0);
    expect(confirmed.stdout).toMatch(/^Removed tenant "globex" from Pulumi\.prod\.yaml\./);
    expect(readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).not.toContain("globex");
  });
});
