import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ENVIRONMENT_CONFIG_KEY, parseEnvironment } from "../../src/model/environment/environment.ts";
import { removeTenant } from "../../src/tenant/remove-tenant.ts";

const COMMITTED = readdirSync(".").filter((f) => /^Pulumi\.[a-z0-9]+\.yaml$/.test(f));

function projectWith(file: string): { dir: string; stack: string; path: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-tenant-"));
  const stack = file.split(".")[1] as string;
  copyFileSync(file, path.join(dir, file));
  return { dir, stack, path: path.join(dir, file), text: readFileSync(file, "utf8") };
}

const environmentOf = (text: string) => parse(text).config[ENVIRONMENT_CONFIG_KEY];

describe("removeTenant", () => {
  for (const file of COMMITTED) {
    const production = environmentOf(readFileSync(file, "utf8")).production === true;
    for (const { id } of environmentOf(readFileSync(file, "utf8")).tenants as { id: string }[]) {
      it(`GIVEN ${file} WHEN tenant ${id} is removed (decommissioned first where protected) THEN the rest of the file is byte for byte as it was`, () => {
        const project = projectWith(file);
        const before = environmentOf(project.text);
        if (production) {
          const first = removeTenant(project.dir, project.stack, id, false);
          expect(first.step).toBe("decommissioned");
          const decommissioned = readFileSync(project.path, "utf8");
          expect(
            environmentOf(decommissioned).tenants.find((t: { id: string }) => t.id === id).decommissioned,
          ).toBe(true);
          expect(decommissioned.replace(/\n {8}decommissioned: true\n/, "\n")).toBe(project.text);
        }
        const removal = removeTenant(project.dir, project.stack, id, true);
        expect(removal.step).toBe("removed");
        const after = readFileSync(project.path, "utf8");
        expect(environmentOf(after)).toEqual({
          ...before,
          tenants: before.tenants.filter((t: { id: string }) => t.id !== id),
        });
        // Only the tenant's own lines went: what remains is the original in order, lines dropped from one place.
        const [was, is] = [project.text.split("\n"), after.split("\n")];
        let same = 0;
        while (was[same] === is[same]) same++;
        expect(was.slice(same + was.length - is.length)).toEqual(is.slice(same));
        expect(was[same]).toBe(`      - id: ${id}`);
        expect(() => parseEnvironment(environmentOf(after), project.stack)).not.toThrow();
      });
    }
  }

  it("GIVEN a protected stack WHEN a tenant is removed THEN decommissioned: true is set and the next two pulumi ups are told", () => {
    const project = projectWith("Pulumi.prod.yaml");
    const removal = removeTenant(project.dir, "prod", "umbrella", false);
    expect(removal.report.join("\n")).toBe(
      [
        'Stack prod protects its resources (production: true), so tenant "umbrella" is offboarded in two applies.',
        'Set decommissioned: true on tenant "umbrella" in Pulumi.prod.yaml; it is still there.',
        "Next:",
        "  1. pulumi up --stack prod: lifts protection from umbrella's resources (1 Auth0 application with 5 grants and its credentials; AWS: 1 IAM role and the tenant's permissions boundary; GCP: the IAM bindings of 1 workload; Azure: the tenant's managed identity, 1 federated credential); nothing is deleted, its workloads keep working.",
        "  2. m2m tenant remove umbrella --stack prod --confirm, then pulumi up --stack prod: deletes them, grants first, so its tokens stop being issued before the trust goes.",
      ].join("\n"),
    );
  });

  it("GIVEN a decommissioned tenant of a protected stack WHEN removed without --confirm THEN nothing changes and it says when to confirm", () => {
    const project = projectWith("Pulumi.prod.yaml");
    removeTenant(project.dir, "prod", "initech", false);
    const decommissioned = readFileSync(project.path, "utf8");
    expect(() => removeTenant(project.dir, "prod", "initech", false)).toThrow(
      /^tenant "initech" is decommissioned in Pulumi\.prod\.yaml; nothing was changed\.\nOnce pulumi up --stack prod has applied that .*m2m tenant remove initech --stack prod --confirm\nRemoving it before then makes pulumi up --stack prod fail on its protected resources\.$/,
    );
    expect(readFileSync(project.path, "utf8")).toBe(decommissioned);
  });

  it("GIVEN --confirm on a protected stack's active tenant WHEN removed THEN it is still only decommissioned, saying why", () => {
    const project = projectWith("Pulumi.prod.yaml");
    const removal = removeTenant(project.dir, "prod", "globex", true);
    expect(removal.step).toBe("decommissioned");
    expect(removal.report).toContain(
      "(--confirm removes a tenant only once its decommissioning has been applied.)",
    );
    expect(environmentOf(readFileSync(project.path, "utf8")).tenants[0]).toMatchObject({
      id: "globex",
      decommissioned: true,
    });
  });

  it("GIVEN an unprotected stack WHEN a tenant is removed THEN it goes at once and what the next pulumi up deletes is told", () => {
    const project = projectWith("Pulumi.dev.yaml");
    const removal = removeTenant(project.dir, "dev", "initech", false);
    expect(removal.report).toEqual([
      'Removed tenant "initech" from Pulumi.dev.yaml.',
      "Next: pulumi up --stack dev deletes its resources (2 Auth0 applications with 4 grants and their credentials; GCP: the IAM bindings of 1 workload and the tenant's service account; Azure: the tenant's managed identity, 1 federated credential and 1 role assignment), grants first, so its tokens stop being issued before the trust goes.",
    ]);
  });

  it("GIVEN a stack made invalid by one tenant WHEN that tenant is removed THEN the stack is valid again and written", () => {
    const project = projectWith("Pulumi.dev.yaml");
    const broken = project.text.replace(
      "scopes: [orders:read, orders:write]",
      "scopes: [orders:read, orders:delete]",
    );
    writeFileSync(project.path, broken);
    expect(() => removeTenant(project.dir, "dev", "initech", false)).toThrow(
      /Pulumi\.dev\.yaml is invalid already, so it was not changed; fix this first:\n {2}- tenants\[0\]\.workloads\[0\]\.grants\[0\]\.scopes\[1\]: scope "orders:delete" does not exist/,
    );
    expect(readFileSync(project.path, "utf8")).toBe(broken);
    expect(removeTenant(project.dir, "dev", "globex", false).step).toBe("removed");
    expect(
      environmentOf(readFileSync(project.path, "utf8")).tenants.map((t: { id: string }) => t.id),
    ).toEqual(["initech", "umbrella"]);
  });

  it("GIVEN an unknown tenant among many WHEN removed THEN ten are named and the rest counted", () => {
    const project = projectWith("Pulumi.dev.yaml");
    const env = environmentOf(project.text);
    env.tenants = Array.from({ length: 12 }, (_, i) => ({
      id: `tenant${i}`,
      workloads: [{ name: "sync", grants: [{ api: "orders", scopes: ["orders:read"] }] }],
    }));
    writeFileSync(project.path, stringify({ config: { [ENVIRONMENT_CONFIG_KEY]: env } }));
    expect(() => removeTenant(project.dir, "dev", "hooli", false)).toThrow(
      /^there is no tenant "hooli" in Pulumi\.dev\.yaml; its tenants: tenant0, tenant1, .*, tenant9 and 2 more \(m2m tenant list --stack dev\)$/,
    );
  });

  it("GIVEN an unknown tenant WHEN removed THEN the error lists the stack's tenants and nothing changes", () => {
    const project = projectWith("Pulumi.staging.yaml");
    expect(() => removeTenant(project.dir, "staging", "hooli", false)).toThrow(
      /^there is no tenant "hooli" in Pulumi\.staging\.yaml; its tenants: globex, initech, umbrella$/,
    );
    expect(readFileSync(project.path, "utf8")).toBe(project.text);
  });
});
