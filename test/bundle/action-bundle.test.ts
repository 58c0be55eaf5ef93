import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACTION_CODE_LIMIT,
  ACTIONS_DIR,
  buildAction,
  bundleAction,
  bundleEntry,
} from "../../src/bundle/action-bundle.ts";
import { PROJECT_ACTIONS } from "../../src/model/environment/project-actions.ts";
import { loadAction } from "../../src/runtime/index.ts";

const NAMESPACE = "https://claims.acme.example/";
const CONSTANTS = { claimNamespace: NAMESPACE, managementAudience: "https://acme-test.eu.auth0.com/api/v2/" };

describe("bundleAction", () => {
  it("GIVEN actions/ WHEN listed THEN PROJECT_ACTIONS names exactly its Action files", () => {
    const files = readdirSync(ACTIONS_DIR)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual([...PROJECT_ACTIONS].sort());
  });

  for (const action of PROJECT_ACTIONS) {
    describe(`GIVEN ${action}`, () => {
      const bundle = bundleAction(action, CONSTANTS);

      it("WHEN bundled THEN it is one CommonJS file, under Auth0's 100 kB, with no import or require", () => {
        expect(bundle.bytes).toBeLessThan(ACTION_CODE_LIMIT);
        expect(bundle.code).toMatch(/module\.exports = /);
        expect(bundle.code).not.toMatch(/^\s*(import|export)\s/m);
        expect(bundle.code).not.toMatch(/\brequire\(/);
      });

      it("WHEN loaded as Auth0 loads CommonJS THEN it exports an async onExecuteCredentialsExchange", () => {
        const loaded = loadAction({ name: action, code: bundle.code });
        expect(Object.prototype.toString.call(loaded.handler)).toBe("[object AsyncFunction]");
      });

      it("WHEN bundled THEN the namespace and Management API audience are built in, and the model's rules inlined", () => {
        expect(bundle.code).toContain(JSON.stringify(NAMESPACE));
        expect(bundle.code).toContain(JSON.stringify(CONSTANTS.managementAudience));
        expect(bundle.code).not.toContain("M2M_MANAGEMENT_AUDIENCE");
        expect(bundle.code).toMatch(/^\/\/ tenant-id\.ts$/m);
        expect(bundle.code).not.toContain("M2M_CLAIM_NAMESPACE");
      });

      it("WHEN built again from scratch, or for another namespace THEN the code is identical, or differs only there", () => {
        expect(buildAction(action, CONSTANTS).code).toBe(bundle.code);
        const other = buildAction(action, { ...CONSTANTS, claimNamespace: "https://other.example/" });
        expect(other.code).not.toBe(bundle.code);
        expect(other.code.replace("https://other.example/", NAMESPACE)).toBe(bundle.code);
      });

      it("WHEN built by a process started in infra/, as `pulumi up` starts the program, THEN the code is identical", () => {
        // esbuild takes its default working directory from the process's when it loads, so
        // this needs a process of its own.
        const script = `const { buildAction } = await import(${JSON.stringify(path.resolve("src/bundle/action-bundle.ts"))});
process.stdout.write(buildAction(${JSON.stringify(action)}, ${JSON.stringify(CONSTANTS)}).code);`;
        const code = execFileSync(
          process.execPath,
          ["--import", "tsx", "--input-type=module", "-e", script],
          {
            cwd: path.resolve("infra"),
            encoding: "utf8",
          },
        );
        expect(code).toBe(bundle.code);
      });
    });
  }
});

describe("bundleEntry across source layouts", () => {
  /** An Action importing one module, written at `modulePath` under a fresh folder of the project. */
  function actionWithModuleAt(root: string, modulePath: string): string {
    const file = path.join(root, modulePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'export const tenantOf = (id: string) => id.split(":")[0];\n');
    const entry = path.join(root, "actions", "claims.ts");
    mkdirSync(path.dirname(entry), { recursive: true });
    const specifier = `./${path.relative(path.dirname(entry), file).replaceAll(path.sep, "/")}`;
    writeFileSync(
      entry,
      `import { tenantOf } from ${JSON.stringify(specifier)};\nexport const onExecuteCredentialsExchange = async (event: { client: { client_id: string } }) => tenantOf(event.client.client_id);\n`,
    );
    return entry;
  }

  it("GIVEN the same Action with its model module moved to another folder WHEN bundled THEN the code is identical, each module headed by its file name", () => {
    const scratch = path.resolve(".m2m", "bundle-layout-test");
    mkdirSync(scratch, { recursive: true });
    const flat = mkdtempSync(path.join(scratch, "flat-"));
    const folders = mkdtempSync(path.join(scratch, "folders-"));
    try {
      const before = bundleEntry(actionWithModuleAt(flat, "src/model/tenant-id.ts"));
      const after = bundleEntry(actionWithModuleAt(folders, "src/model/contract/tenant-id.ts"));
      expect(after).toBe(before);
      expect(before).toMatch(/^\/\/ tenant-id\.ts\nvar tenantOf = /m);
      expect(before).not.toContain("src/model");
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  /**
   * Bundles `actions/claims.ts` written as `entry` beside `lib/util.ts` in a fresh folder of the
   * project, and returns the code with the util module's path as esbuild writes it.
   */
  function bundledBesideUtil(
    folder: string,
    entry: (header: string) => string,
  ): { code: string; input: string } {
    const scratch = path.resolve(".m2m", folder);
    mkdirSync(path.join(scratch, "lib"), { recursive: true });
    try {
      writeFileSync(path.join(scratch, "lib", "util.ts"), "export const util = 1;\n");
      const input = path
        .relative(process.cwd(), path.join(scratch, "lib", "util.ts"))
        .replaceAll(path.sep, "/");
      writeFileSync(path.join(scratch, "claims.ts"), entry(`// ${input}`));
      return { code: bundleEntry(path.join(scratch, "claims.ts")), input };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  it("GIVEN an Action whose string holds a line like a module header WHEN bundled THEN the string is kept as written", () => {
    let header = "";
    const { code } = bundledBesideUtil("bundle-string-test", (line) => {
      header = line;
      return `import { util } from "./lib/util.ts";\nexport const text = \`first\n\n${line}\nlast\`;\nexport const onExecuteCredentialsExchange = async () => util;\n`;
    });
    const loaded = { exports: {} as { text?: string } };
    new Function("module", "exports", code)(loaded, loaded.exports);
    expect(loaded.exports.text).toBe(`first\n\n${header}\nlast`);
  });

  it("GIVEN an Action loading a module with import() WHEN bundled THEN esbuild's paths are kept (the code names them), so the bundle stays correct", () => {
    const { code, input } = bundledBesideUtil(
      "bundle-dynamic-test",
      () => 'export const onExecuteCredentialsExchange = async () => (await import("./lib/util.ts")).util;\n',
    );
    expect(code).toContain(`// ${input}`);
    expect(code).toContain(JSON.stringify(input));
  });
});
