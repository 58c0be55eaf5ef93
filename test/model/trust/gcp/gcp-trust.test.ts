import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { gcpCredentialConfiguration } from "../../../../src/model/trust/gcp/gcp-trust.ts";
import { environmentWithClouds } from "../../../fixtures/environment.ts";

type Executable = { command: string; output_file: string; timeout_millis: number };
const executableOf = (config: Record<string, unknown>) =>
  (config.credential_source as { executable: Executable }).executable;

function env(gcp: Record<string, unknown> = {}) {
  const raw = environmentWithClouds(["aws", "gcp"]);
  Object.assign((raw.clouds as { gcp: Record<string, unknown> }).gcp, gcp);
  return parseEnvironment(raw, "test");
}

function workload(e: ReturnType<typeof env>, tenantId: string, name: string) {
  const found = e.tenants.find((t) => t.id === tenantId)?.workloads.find((w) => w.name === name);
  if (!found) throw new Error(`no ${tenantId}/${name}`);
  return found;
}

describe("gcpCredentialConfiguration", () => {
  it("GIVEN m2mPath and executableOutputFolder in the stack WHEN a workload's configuration is derived THEN its command is that path with --workload tenant/name and every non-secret input, and output_file lies in that folder", () => {
    const e = env({ m2mPath: "/opt/m2m/bin/m2m.js", executableOutputFolder: "/run/m2m/gcp/" });
    const config = gcpCredentialConfiguration(e, "globex", workload(e, "globex", "billing"), {
      clientId: "AbC123",
      defaultM2mPath: "/deploy/machine/bin/m2m.js",
    });
    expect(executableOf(config)).toEqual({
      command:
        "/opt/m2m/bin/m2m.js token --format gcp-executable --workload globex/billing --issuer https://acme-test.eu.auth0.com/ --client-id AbC123 --audience https://gcp.m2m.acme.example --auth-method client_secret_post --credential-env M2M_CLIENT_SECRET",
      timeout_millis: 30000,
      output_file: "/run/m2m/gcp/globex-billing.json",
    });
    expect(config.subject_token_type).toBe("urn:ietf:params:oauth:token-type:jwt");
  });

  it("GIVEN no m2mPath WHEN derived THEN the command is the program's own bin/m2m.js and output_file is under /tmp/m2m-{env}-gcp", () => {
    const e = env();
    const executable = executableOf(
      gcpCredentialConfiguration(e, "initech", workload(e, "initech", "exporter"), {
        clientId: "Xyz",
        defaultM2mPath: "/srv/app/node_modules/auth0-m2m-federation/bin/m2m.js",
      }),
    );
    expect(executable.command).toMatch(
      /^\/srv\/app\/node_modules\/auth0-m2m-federation\/bin\/m2m\.js token /,
    );
    expect(executable.command).toContain("--workload initech/exporter");
    expect(executable.command).toContain("--auth-method client_secret_basic");
    expect(executable.command).not.toMatch(/npx|--tenant|--secret-env|--stack/);
    expect(executable.output_file).toBe("/tmp/m2m-test-gcp/initech-exporter.json");
  });

  it("GIVEN a private_key_jwt workload with a key file WHEN derived THEN the command names the file and the key's algorithm, and never a key", () => {
    const raw = environmentWithClouds(["gcp"]);
    // biome-ignore lint/suspicious/noExplicitAny: editing the raw fixture
    const analytics = (raw.tenants as any[])[1].workloads[1];
    analytics.authentication.keys[0].algorithm = "PS256";
    analytics.tokenCredential = { file: "/etc/m2m/analytics.pem" };
    const e = parseEnvironment(raw, "test");
    const config = gcpCredentialConfiguration(e, "initech", workload(e, "initech", "analytics"), {
      clientId: "Pk1",
      defaultM2mPath: "/opt/m2m/bin/m2m.js",
    });
    expect(executableOf(config).command).toMatch(
      / --auth-method private_key_jwt --credential-file \/etc\/m2m\/analytics\.pem --key-alg PS256$/,
    );
    expect(JSON.stringify(config)).not.toContain("BEGIN");
  });

  it.each([
    [
      "a client id with a space",
      { clientId: "a b", defaultM2mPath: "/opt/m2m.js" },
      /"a b" cannot be part of the GCP credential configuration's command/,
    ],
    [
      "a relative default path",
      { clientId: "c", defaultM2mPath: "bin/m2m.js" },
      /must be an absolute POSIX path .* set clouds\.gcp\.m2mPath/,
    ],
  ])("GIVEN %s WHEN derived THEN it is refused", (_what, inputs, message) => {
    const e = env();
    expect(() => gcpCredentialConfiguration(e, "globex", workload(e, "globex", "billing"), inputs)).toThrow(
      message,
    );
  });

  it("GIVEN an m2mPath with a space WHEN the stack is validated THEN it is refused at its path", () => {
    expect(() => env({ m2mPath: "/opt/my m2m/bin/m2m.js" })).toThrow(
      /clouds\.gcp\.m2mPath[\s\S]*m2mPath must be an absolute path/,
    );
  });
});
