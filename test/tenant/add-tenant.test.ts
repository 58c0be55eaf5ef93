import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { addTenant } from "../../src/tenant/add-tenant.ts";
import { OnboardingError, type OnboardingRequest } from "../../src/tenant/onboarding.ts";
import { StackChangeError } from "../../src/tenant/stack-change.ts";
import { rsaKeyPair } from "../fixtures/keys.ts";

/** A project folder holding a copy of the committed `Pulumi.<stack>.yaml`. */
function projectWith(stack: string): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-tenant-"));
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  copyFileSync(`Pulumi.${stack}.yaml`, file);
  return { dir, file, text: readFileSync(file, "utf8") };
}

const request = (overrides: Partial<OnboardingRequest> = {}): OnboardingRequest => ({
  id: "acme",
  workload: "sync",
  grants: ["orders=orders:read,orders:write"],
  keyFiles: [],
  metadata: [],
  awsManagedPolicies: [],
  gcpRoles: [],
  gcpImpersonate: false,
  gcpServiceAccountRoles: [],
  azureRoleAssignments: [],
  ...overrides,
});

const tenantsIn = (file: string) => parse(readFileSync(file, "utf8")).config["m2m:environment"].tenants;

describe("addTenant", () => {
  it("GIVEN every cloud's options WHEN added THEN the tenant is written with each model field, and validates", () => {
    const { dir, file } = projectWith("dev");
    const policy = path.join(dir, "policy.json");
    writeFileSync(
      policy,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-dev-acme/*" }],
      }),
    );
    const added = addTenant(
      dir,
      "dev",
      request({
        description: "Syncs Acme's orders",
        grants: ["orders=orders:read", "aws=aws:federate", "gcp=gcp:federate", "azure=azure:federate"],
        metadata: ["team=payments"],
        tokenFile: "/var/run/secrets/m2m/secret",
        awsManagedPolicies: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"],
        awsInlinePolicyFile: policy,
        awsMaxSessionDuration: "7200",
        gcpRoles: ["roles/storage.objectCreator:bucket=acme-dev-acme_exports"],
        gcpImpersonate: true,
        gcpServiceAccountRoles: ["roles/bigquery.dataViewer:dataset=dev_acme"],
        azureRoleAssignments: [
          "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1:scope=/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/acme-dev-acme",
        ],
      }),
    );
    expect(added.environment.tenants.at(-1)?.id).toBe("acme");
    expect(tenantsIn(file).at(-1)).toEqual({
      id: "acme",
      workloads: [
        {
          name: "sync",
          description: "Syncs Acme's orders",
          grants: [
            { api: "orders", scopes: ["orders:read"] },
            { api: "aws", scopes: ["aws:federate"] },
            { api: "gcp", scopes: ["gcp:federate"] },
            { api: "azure", scopes: ["azure:federate"] },
          ],
          metadata: { team: "payments" },
          aws: {
            managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"],
            inlinePolicy: {
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-dev-acme/*" },
              ],
            },
            maxSessionDuration: 7200,
          },
          gcp: {
            roles: [{ role: "roles/storage.objectCreator", bucket: "acme-dev-acme_exports" }],
            impersonateServiceAccount: true,
          },
          tokenCredential: { file: "/var/run/secrets/m2m/secret" },
        },
      ],
      gcp: { serviceAccountRoles: [{ role: "roles/bigquery.dataViewer", dataset: "dev_acme" }] },
      azure: {
        roleAssignments: [
          {
            roleDefinitionId: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            scope: "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/acme-dev-acme",
          },
        ],
      },
    });
  });

  it("GIVEN private_key_jwt and two key files WHEN added THEN both public keys are written, named after their files", () => {
    const { dir, file } = projectWith("staging");
    const [current, next] = [rsaKeyPair(), rsaKeyPair()];
    writeFileSync(path.join(dir, "sync-2026-11.pub.pem"), current.publicKey);
    writeFileSync(path.join(dir, "sync-2027-05.pem"), next.publicKey);
    addTenant(
      dir,
      "staging",
      request({
        method: "private_key_jwt",
        keyFiles: [path.join(dir, "sync-2026-11.pub.pem"), path.join(dir, "sync-2027-05.pem")],
      }),
    );
    expect(tenantsIn(file).at(-1).workloads[0].authentication).toEqual({
      method: "private_key_jwt",
      keys: [
        { name: "sync-2026-11", pem: current.publicKey },
        { name: "sync-2027-05", pem: next.publicKey },
      ],
    });
  });

  it("GIVEN a private key as --key WHEN added THEN it is refused without echoing it, and nothing is written", () => {
    const { dir, file, text } = projectWith("dev");
    const keyFile = path.join(dir, "key.pem");
    const { privateKey } = rsaKeyPair();
    writeFileSync(keyFile, privateKey);
    let message = "";
    try {
      addTenant(dir, "dev", request({ method: "private_key_jwt", keyFiles: [keyFile] }));
    } catch (error) {
      expect(error).toBeInstanceOf(OnboardingError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^--key .*key\.pem: this is a PRIVATE key: never put it in the stack file/);
    expect(message).not.toContain(privateKey.split("\n")[1]);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("GIVEN flags that do not say what they must WHEN added THEN each is named with its syntax", () => {
    const { dir } = projectWith("dev");
    const cases: [Partial<OnboardingRequest>, RegExp][] = [
      [{ grants: [] }, /give at least one --grant <api>=<scope>,<scope>/],
      [{ grants: ["orders"] }, /--grant "orders": write it as <api>=<scope>,<scope>/],
      [
        { method: "password" },
        /--method password: use one of client_secret_post, client_secret_basic, private_key_jwt/,
      ],
      [{ method: "private_key_jwt" }, /--method private_key_jwt needs --key FILE/],
      [
        { method: "client_secret_basic", keyFiles: ["k.pem"] },
        /--key goes with --method private_key_jwt, not client_secret_basic/,
      ],
      [{ tokenEnv: "A", tokenFile: "/b" }, /give --token-env or --token-file, not both/],
      [{ metadata: ["team"] }, /--metadata "team": write it as <key>=<value>/],
      [{ awsMaxSessionDuration: "1h" }, /--aws-max-session-duration 1h: give whole seconds/],
      [
        { awsInlinePolicyFile: path.join(dir, "missing.json") },
        /--aws-inline-policy .*missing\.json: cannot read the file/,
      ],
      [
        { gcpRoles: ["roles/x:bukket=b"] },
        /--gcp-role "roles\/x:bukket=b": unknown "bukket"; write it as <role>:<bucket\|dataset/,
      ],
    ];
    for (const [overrides, expected] of cases) {
      expect(() => addTenant(dir, "dev", request(overrides))).toThrow(expected);
    }
  });

  it("GIVEN an add the model refuses WHEN run THEN nothing is written and every problem is named at the new tenant's path", () => {
    const { dir, file, text } = projectWith("dev");
    chmodSync(file, 0o640);
    const mtime = statSync(file).mtimeMs;
    let message = "";
    try {
      addTenant(
        dir,
        "dev",
        request({
          workload: "x",
          grants: ["orders=orders:delete", "gcp=gcp:federate"],
          gcpRoles: ["roles/storage.objectViewer:bucket=acme-dev-globex_exports"],
        }),
      );
    } catch (error) {
      expect(error).toBeInstanceOf(StackChangeError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/Pulumi\.dev\.yaml was not changed: the change would leave \d+ problems:\n/);
    expect(message).toMatch(
      /\n {2}- tenants\[3\] \(new tenant acme\)\.workloads\[0\]\.name: workload name "x" must be/,
    );
    expect(message).toMatch(
      /\n {2}- tenants\[3\] \(new tenant acme\)\.workloads\[0\]\.grants\[0\]\.scopes\[0\]: scope "orders:delete" does not exist on API "orders"/,
    );
    expect(message).toMatch(
      /\n {2}- tenants\[3\] \(new tenant acme\)\.workloads\[0\]\.gcp\.roles\[0\]\.bucket: bucket acme-dev-globex_exports is globex's/,
    );
    expect(() =>
      addTenant(dir, "dev", request({ azureRoleAssignments: ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"] })),
    ).toThrow(/\n {2}- tenants\[3\] \(new tenant acme\)\.azure\.roleAssignments\[0\]\.scope: is required/);
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(statSync(file).mtimeMs).toBe(mtime);
    expect(readdirSync(dir)).toEqual(["Pulumi.dev.yaml"]);
  });

  it("GIVEN a tenant id already there, or a stack file already invalid WHEN added THEN it says so and writes nothing", () => {
    const { dir, file, text } = projectWith("dev");
    expect(() => addTenant(dir, "dev", request({ id: "globex" }))).toThrow(
      /^tenant "globex" is already in Pulumi\.dev\.yaml: pick another id/,
    );
    const broken = text.replace(
      "claimNamespace: https://claims.acme.example/",
      "claimNamespace: http://claims.acme.example/",
    );
    writeFileSync(file, broken);
    expect(() => addTenant(dir, "dev", request())).toThrow(
      /Pulumi\.dev\.yaml is invalid already, so it was not changed; fix this first:\n {2}- claimNamespace: /,
    );
    expect(readFileSync(file, "utf8")).toBe(broken);
  });

  it("GIVEN a stack file that is not YAML WHEN added THEN it names the file and the parser's first line", () => {
    const { dir, file } = projectWith("dev");
    writeFileSync(file, "config:\n  m2m:environment: [1, 2\n");
    expect(() => addTenant(dir, "dev", request())).toThrow(/Pulumi\.dev\.yaml is not valid YAML: \S/);
    expect(readFileSync(file, "utf8")).toBe("config:\n  m2m:environment: [1, 2\n");
  });

  it("GIVEN a valid add WHEN written THEN the file keeps its permissions and no temporary file is left", () => {
    const { dir, file } = projectWith("prod");
    chmodSync(file, 0o640);
    addTenant(dir, "prod", request());
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["Pulumi.prod.yaml"]);
  });
});

describe("addTenant reads values as every command does", () => {
  it("GIVEN an untouched value the YAML parsers read differently (a token lifetime in binary, 0b111000010000) WHEN a tenant is added THEN the edit goes through, reading the file as m2m plan reads it, and that line is kept byte for byte", () => {
    const { dir, file, text } = projectWith("dev");
    const binary = text.replace("tokenLifetime: 3600", "tokenLifetime: 0b111000010000");
    writeFileSync(file, binary);
    addTenant(dir, "dev", request());
    const written = readFileSync(file, "utf8");
    expect(written).toContain("tokenLifetime: 0b111000010000");
    expect(
      written
        .split("\n")
        .filter((l) => !binary.split("\n").includes(l))
        .join("\n"),
    ).toContain("id: acme");
  });
});
