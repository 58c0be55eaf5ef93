import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  appendTenant,
  decommissionTenantText,
  removeTenantText,
  TenantsTextError,
} from "../../src/tenant/tenants-text.ts";

const ACME = {
  id: "acme",
  workloads: [{ name: "sync", grants: [{ api: "orders", scopes: ["orders:read", "orders:write"] }] }],
};

/** The committed stack files, whatever they are when the test runs. */
const COMMITTED = readdirSync(".").filter((f) => /^Pulumi\.[a-z0-9]+\.yaml$/.test(f));

const tenantsOf = (text: string) => parse(text).config["m2m:environment"].tenants;

/** `after` is `before` with whole lines inserted at one place: returns them, or fails. */
function insertedText(before: string, after: string): string {
  const lines = (text: string) => text.split(/(?<=\n)/);
  const [was, is] = [lines(before), lines(after)];
  let same = 0;
  while (same < was.length && was[same] === is[same]) same++;
  const inserted = is.slice(same, same + is.length - was.length).join("");
  expect(after).toBe(was.slice(0, same).join("") + inserted + was.slice(same).join(""));
  return inserted;
}

describe("tenants text edits", () => {
  it("GIVEN the committed stacks WHEN there are any THEN this test covers them", () => {
    expect(COMMITTED).toEqual(
      expect.arrayContaining(["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml"]),
    );
  });

  for (const file of COMMITTED) {
    const text = readFileSync(file, "utf8");

    it(`GIVEN ${file} WHEN a tenant is appended and removed THEN the file is byte for byte as it was`, () => {
      const added = appendTenant(text, ACME);
      const inserted = insertedText(text, added);
      expect(inserted).toMatch(/^ {6}- id: acme\n {8}workloads:\n/);
      expect(inserted).toContain("scopes: [orders:read, orders:write]");
      expect(tenantsOf(added)).toEqual([...tenantsOf(text), ACME]);
      expect(removeTenantText(added, "acme")).toBe(text);
    });

    for (const tenant of tenantsOf(text) as { id: string }[]) {
      it(`GIVEN ${file} WHEN tenant ${tenant.id} is removed THEN only its own lines go, and adding it back restores its content`, () => {
        const removed = removeTenantText(text, tenant.id);
        const deleted = insertedText(removed, text);
        expect(deleted).toMatch(new RegExp(`^ {6}- id: ${tenant.id}\\n`));
        expect(parse(deleted.replace(/^ {6}/gm, ""))).toEqual([tenant]);
        expect(tenantsOf(removed)).toEqual(tenantsOf(text).filter((t: { id: string }) => t.id !== tenant.id));
        expect(tenantsOf(appendTenant(removed, tenant))).toEqual([...tenantsOf(removed), tenant]);
      });
    }

    it(`GIVEN ${file} WHEN a tenant is decommissioned THEN one line is added after its id`, () => {
      const decommissioned = decommissionTenantText(text, "initech");
      expect(insertedText(text, decommissioned)).toBe("        decommissioned: true\n");
      expect(decommissioned).toContain("      - id: initech\n        decommissioned: true\n        gcp:");
    });
  }

  it("GIVEN tenants separated by blank lines and led by their own comments WHEN one is removed THEN its comment goes, the header and the spacing stay", () => {
    const text = [
      "config:",
      "  m2m:environment:",
      "    tenants:",
      "      # Tenants onboarded by the platform team.",
      "",
      "      # Alpha: the first customer",
      "      - id: alpha",
      "        workloads: [{name: one}]",
      "",
      "      # Beta",
      "      - id: beta",
      "        workloads:",
      "          # a comment inside beta",
      "          - name: two",
      "",
      "      - id: gamma",
      "        workloads: [{name: three}]",
      "    apis: []    # aligned comment",
      "",
    ].join("\n");
    expect(removeTenantText(text, "beta")).toBe(
      text.replace(
        "      # Beta\n      - id: beta\n        workloads:\n          # a comment inside beta\n          - name: two\n\n",
        "",
      ),
    );
    expect(removeTenantText(text, "alpha")).toBe(
      text.replace(
        "      # Alpha: the first customer\n      - id: alpha\n        workloads: [{name: one}]\n\n",
        "",
      ),
    );
    expect(removeTenantText(text, "gamma")).toBe(
      text.replace("\n      - id: gamma\n        workloads: [{name: three}]\n", ""),
    );
    const added = appendTenant(text, ACME);
    expect(added).toContain("        workloads: [{name: three}]\n\n      - id: acme\n");
    expect(removeTenantText(added, "acme")).toBe(text);
    expect(added.endsWith("    apis: []    # aligned comment\n")).toBe(true);
  });

  it("GIVEN a file with CRLF line ends WHEN a tenant is appended and removed THEN its lines end in CRLF too, and the file comes back", () => {
    const text =
      "config:\r\n  m2m:environment:\r\n    tenants:\r\n      - id: alpha\r\n        workloads: [{name: one}]\r\n    apis: []\r\n";
    const added = appendTenant(text, ACME);
    expect(added.replace(/\r\n/g, "")).not.toContain("\n");
    expect(tenantsOf(added)).toEqual([{ id: "alpha", workloads: [{ name: "one" }] }, ACME]);
    expect(removeTenantText(added, "acme")).toBe(text);
    expect(decommissionTenantText(text, "alpha")).toContain(
      "      - id: alpha\r\n        decommissioned: true\r\n",
    );
  });

  it("GIVEN the only tenant WHEN it is removed THEN tenants reads [] and adding one back writes a block list", () => {
    const text =
      "config:\n  m2m:environment:\n    tenants:\n      - id: alpha\n        workloads: [{name: one}]\n    apis: []\n";
    const empty = removeTenantText(text, "alpha");
    expect(empty).toBe("config:\n  m2m:environment:\n    tenants: []\n    apis: []\n");
    const added = appendTenant(empty, ACME);
    expect(added).toMatch(/^config:\n {2}m2m:environment:\n {4}tenants:\n {6}- id: acme\n {8}workloads:\n/);
    expect(added.endsWith("    apis: []\n")).toBe(true);
    expect(tenantsOf(added)).toEqual([ACME]);
  });

  it("GIVEN no tenants key, or a file without a final newline WHEN a tenant is appended THEN it is added after the environment's last line", () => {
    const text = "config:\n  m2m:environment:\n    apis: []\n  m2m:other: 1\n";
    const added = appendTenant(text, ACME);
    expect(insertedText(text, added)).toMatch(/^ {4}tenants:\n {6}- id: acme\n/);
    expect(added.endsWith("  m2m:other: 1\n")).toBe(true);
    expect(tenantsOf(added)).toEqual([ACME]);
    const unterminated = "config:\n  m2m:environment:\n    tenants:\n      - id: alpha";
    expect(appendTenant(unterminated, ACME)).toMatch(/ {6}- id: alpha\n {6}- id: acme\n/);
  });

  it("GIVEN lists not indented under their keys WHEN a tenant is appended THEN it is written the same way", () => {
    const text =
      "config:\n  m2m:environment:\n    tenants:\n    - id: alpha\n      workloads:\n      - name: one\n";
    const added = appendTenant(text, ACME);
    expect(insertedText(text, added)).toBe(
      "    - id: acme\n      workloads:\n      - name: sync\n        grants:\n        - api: orders\n          scopes: [orders:read, orders:write]\n",
    );
  });

  it("GIVEN a PEM key WHEN a tenant is appended THEN it is a literal block that reads back exactly", () => {
    const pem = "-----BEGIN PUBLIC KEY-----\nAAAA\nBBBB\n-----END PUBLIC KEY-----\n";
    const tenant = {
      id: "acme",
      workloads: [
        {
          name: "sync",
          grants: [],
          authentication: { method: "private_key_jwt", keys: [{ name: "k", pem }] },
        },
      ],
    };
    const added = appendTenant("config:\n  m2m:environment:\n    tenants: []\n", tenant);
    expect(added).toContain("                  pem: |\n                    -----BEGIN PUBLIC KEY-----\n");
    expect(tenantsOf(added)[0].workloads[0].authentication.keys[0].pem).toBe(pem);
  });

  it("GIVEN a flow-style tenants list or tenant WHEN edited THEN the edit is refused saying how to rewrite it", () => {
    const flowList = "config:\n  m2m:environment:\n    tenants: [{id: alpha, workloads: []}]\n";
    expect(() => appendTenant(flowList, ACME)).toThrow(TenantsTextError);
    expect(() => appendTenant(flowList, ACME)).toThrow(/flow style \(\[\.\.\.\]\): write it as a block list/);
    expect(() => removeTenantText(flowList, "alpha")).toThrow(/flow style/);
    const flowTenant = "config:\n  m2m:environment:\n    tenants:\n      - {id: alpha, workloads: []}\n";
    expect(() => decommissionTenantText(flowTenant, "alpha")).toThrow(
      /tenant "alpha" is written in flow style \(\{\.\.\.\}\): write it as a block mapping/,
    );
    expect(() => removeTenantText(flowTenant, "beta")).toThrow(/there is no tenant "beta"/);
  });

  it("GIVEN decommissioned: false on a tenant WHEN decommissioned THEN only that value changes", () => {
    const text =
      "config:\n  m2m:environment:\n    tenants:\n      - id: alpha   # first\n        decommissioned: false  # offboarding\n        workloads: []\n";
    expect(decommissionTenantText(text, "alpha")).toBe(
      text.replace("decommissioned: false", "decommissioned: true"),
    );
    const plain =
      "config:\n  m2m:environment:\n    tenants:\n      - id: alpha   # first\n        workloads: []\n";
    expect(decommissionTenantText(plain, "alpha")).toBe(
      "config:\n  m2m:environment:\n    tenants:\n      - id: alpha   # first\n        decommissioned: true\n        workloads: []\n",
    );
  });
});
