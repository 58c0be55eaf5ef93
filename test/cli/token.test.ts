import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fromProcess } from "@aws-sdk/credential-providers";
import { ExternalAccountClient, type ExternalAccountClientOptions } from "google-auth-library";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { type LocalEnvironment, startLocalEnvironment } from "../../src/issuer/local-environment.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { gcpCredentialConfiguration } from "../../src/model/trust/gcp/gcp-trust.ts";
import { rsaKeyPair } from "../fixtures/keys.ts";
import { loopbackSts } from "../support/loopback-sts.ts";

const BIN = path.resolve("bin/m2m.js");
const API = {
  orders: "https://orders.api.acme.example",
  aws: "https://aws.m2m.acme.example",
  gcp: "https://gcp.m2m.acme.example",
  azure: "api://AzureADTokenExchange",
};
const mode = (file: string) => statSync(file).mode & 0o777;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/m2m.js in `cwd` with `env` added; resolves once it exits. */
async function m2m(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const [status] = (await once(child, "exit")) as [number | null];
  return { status, stdout, stderr };
}

/** A loopback stand-in for GCP's STS and IAM Credentials endpoints, recording what they receive. */
async function loopbackGcp() {
  const exchanges: URLSearchParams[] = [];
  const impersonations: { url: string; authorization?: string; body: unknown }[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (c) => {
      body += c;
    });
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      if (request.url === "/v1/token") {
        exchanges.push(new URLSearchParams(body));
        response.end(
          JSON.stringify({
            access_token: "gcp-federated-token",
            issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
            token_type: "Bearer",
            expires_in: 3600,
          }),
        );
        return;
      }
      impersonations.push({
        url: request.url ?? "",
        ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
        body: JSON.parse(body || "{}"),
      });
      response.end(
        JSON.stringify({
          accessToken: "service-account-token",
          expireTime: new Date(Date.now() + 3600_000).toISOString(),
        }),
      );
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, exchanges, impersonations, close: () => server.close() };
}

/** A loopback proxy in front of the issuer's token endpoint that counts the token requests. */
async function countingProxy(issuer: string) {
  const counter = { requests: 0 };
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (c) => {
      body += c;
    });
    request.on("end", async () => {
      if (request.url === "/oauth/token") counter.requests++;
      const upstream = await fetch(`${issuer}${(request.url ?? "/").slice(1)}`, {
        method: request.method ?? "GET",
        headers: { "content-type": request.headers["content-type"] ?? "application/json" },
        ...(request.method === "POST" ? { body } : {}),
      });
      response.writeHead(upstream.status, { "content-type": "application/json" });
      response.end(await upstream.text());
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { issuer: `http://127.0.0.1:${port}/`, counter, close: () => server.close() };
}

describe("m2m token against the committed dev stack, served locally", () => {
  const work = mkdtempSync(path.join(tmpdir(), "m2m-token-cli-"));
  const projectDir = path.join(work, "project");
  const stateDir = path.join(work, "state");
  const outputFolder = path.join(work, "gcp-out");
  const cacheHome = path.join(work, "cache");
  const keyFile = path.join(work, "analytics.pem");
  const key = rsaKeyPair();
  let raw: Record<string, unknown>;
  let local: LocalEnvironment;
  let state: { clients: Record<string, { clientId: string; clientSecret?: string }> };
  const secretOf = (k: string) => state.clients[k]?.clientSecret ?? "";
  const idOf = (k: string) => state.clients[k]?.clientId ?? "";
  const local$ = ["--stack", "dev", "--local", "--state-dir", stateDir];

  beforeAll(async () => {
    // The committed stack, its private_key_jwt workload given a test key, GCP output files kept here.
    const doc = parse(readFileSync("Pulumi.dev.yaml", "utf8"));
    raw = doc.config["m2m:environment"];
    // biome-ignore lint/suspicious/noExplicitAny: editing the raw stack document
    const env = raw as any;
    const analytics = env.tenants
      .flatMap((t: { workloads: unknown[] }) => t.workloads)
      .find((w: { name: string }) => w.name === "analytics");
    analytics.authentication.keys[0].pem = key.publicKey;
    env.clouds.gcp.executableOutputFolder = outputFolder;
    mkdirSync(projectDir, { recursive: true });
    writeFileSync(path.join(projectDir, "Pulumi.dev.yaml"), stringify(doc));
    writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
    local = await startLocalEnvironment({ projectDir, stack: "dev", port: 0, stateDir });
    state = JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8"));
  }, 60_000);
  afterAll(async () => {
    await local.close();
  });

  it.each([
    ["globex/billing-sync", "client_secret_post", "aws"],
    ["initech/order-api", "client_secret_post", "azure"],
    ["initech/report-export", "client_secret_basic", "gcp"],
    ["umbrella/analytics", "private_key_jwt", "aws"],
  ] as const)(
    "GIVEN %s (%s) WHEN m2m token --local --cloud %s THEN it prints its token for that cloud's API, and no secret",
    async (workload, method, cloud) => {
      const extra = method === "private_key_jwt" ? ["--credential-file", keyFile] : [];
      const result = await m2m(
        ["token", ...local$, "--workload", workload, "--cloud", cloud, ...extra],
        projectDir,
        {
          XDG_CACHE_HOME: cacheHome,
        },
      );
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(decodeJwt(result.stdout.trim())).toMatchObject({
        iss: local.issuer,
        sub: `${idOf(workload)}@clients`,
        aud: API[cloud],
        "https://claims.acme.example/tenant_id": workload.split("/")[0],
      });
      if (method !== "private_key_jwt") expect(result.stdout).not.toContain(secretOf(workload));
    },
  );

  it("GIVEN --format json WHEN run THEN it prints the token with its issue, expiry and refresh times (5 minutes before a 1-hour token's exp)", async () => {
    const result = await m2m(
      ["token", ...local$, "--workload", "globex/billing-sync", "--audience", API.orders, "--format", "json"],
      projectDir,
    );
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual([
      "access_token",
      "token_type",
      "issued_at",
      "expires_at",
      "refresh_at",
    ]);
    expect(json.token_type).toBe("Bearer");
    expect(json.expires_at - json.issued_at).toBe(3600);
    expect(json.refresh_at).toBe(json.expires_at - 300);
    expect(decodeJwt(json.access_token).aud).toBe(API.orders);
  });

  it("GIVEN the emitted gcpCredentialConfiguration WHEN google-auth-library runs its exact command and exchanges at a loopback STS THEN STS receives the workload's token for the GCP API, and the response is cached 0600 in a 0700 folder", async () => {
    const gcp = await loopbackGcp();
    const env = parseEnvironment(raw, "dev", local.issuer);
    const tenant = env.tenants.find((t) => t.id === "initech");
    const workload = tenant?.workloads.find((w) => w.name === "report-export");
    if (!workload) throw new Error("report-export is not in the dev stack");
    const config = gcpCredentialConfiguration(env, "initech", workload, {
      clientId: idOf("initech/report-export"),
      defaultM2mPath: BIN,
    }) as Record<string, string> & {
      credential_source: { executable: { command: string; output_file: string } };
    };
    expect(config.credential_source.executable.command).toBe(
      `${BIN} token --format gcp-executable --workload initech/report-export --issuer ${local.issuer} --client-id ${idOf("initech/report-export")} --audience ${API.gcp} --auth-method client_secret_basic --credential-env M2M_CLIENT_SECRET`,
    );
    Object.assign(process.env, {
      GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES: "1",
      M2M_CLIENT_SECRET: secretOf("initech/report-export"),
      XDG_CACHE_HOME: cacheHome,
    });
    const client = ExternalAccountClient.fromJSON({
      ...config,
      token_url: `${gcp.base}/v1/token`,
      service_account_impersonation_url: String(config.service_account_impersonation_url).replace(
        "https://iamcredentials.googleapis.com",
        gcp.base,
      ),
    } as unknown as ExternalAccountClientOptions);
    const { token } = (await client?.getAccessToken()) ?? {};
    gcp.close();
    expect(token).toBe("service-account-token");
    expect(gcp.exchanges).toHaveLength(1);
    const exchange = gcp.exchanges[0] ?? new URLSearchParams();
    expect(exchange.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:token-exchange");
    expect(exchange.get("audience")).toBe(config.audience);
    expect(exchange.get("subject_token_type")).toBe("urn:ietf:params:oauth:token-type:jwt");
    expect(exchange.get("requested_token_type")).toBe("urn:ietf:params:oauth:token-type:access_token");
    expect(decodeJwt(exchange.get("subject_token") ?? "")).toMatchObject({
      iss: local.issuer,
      sub: `${idOf("initech/report-export")}@clients`,
      aud: API.gcp,
      "https://claims.acme.example/tenant_id": "initech",
    });
    expect(gcp.impersonations).toEqual([
      expect.objectContaining({
        url: "/v1/projects/-/serviceAccounts/dev-initech@acme-m2m-dev.iam.gserviceaccount.com:generateAccessToken",
        authorization: "Bearer gcp-federated-token",
      }),
    ]);
    const outputFile = config.credential_source.executable.output_file;
    expect(outputFile).toBe(path.join(outputFolder, "initech-report-export.json"));
    expect(mode(outputFolder)).toBe(0o700);
    expect(mode(outputFile)).toBe(0o600);
    expect(JSON.parse(readFileSync(outputFile, "utf8"))).toMatchObject({
      version: 1,
      success: true,
      token_type: "urn:ietf:params:oauth:token-type:jwt",
      id_token: exchange.get("subject_token"),
    });
  });

  it("GIVEN six processes running the GCP executable source at once with one cache WHEN they finish THEN the issuer saw one token request and all printed the same token", async () => {
    const proxy = await countingProxy(local.issuer);
    const cacheDir = path.join(work, "shared-cache");
    const args = [
      "token",
      "--format",
      "gcp-executable",
      "--workload",
      "globex/billing-sync",
      "--issuer",
      proxy.issuer,
      "--client-id",
      idOf("globex/billing-sync"),
      "--audience",
      API.aws,
      "--credential-env",
      "BILLING_SECRET",
      "--cache-dir",
      cacheDir,
    ];
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => m2m(args, work, { BILLING_SECRET: secretOf("globex/billing-sync") })),
    );
    proxy.close();
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    }
    const responses = runs.map((r) => JSON.parse(r.stdout));
    expect(responses.every((r) => r.success === true)).toBe(true);
    expect(new Set(responses.map((r) => r.id_token)).size).toBe(1);
    expect(proxy.counter.requests).toBe(1);
    expect(mode(cacheDir)).toBe(0o700);
  });

  it("GIVEN the GCP executable source without its secret WHEN run THEN it exits 0 with a failure Google's libraries report, naming the variable", async () => {
    const result = await m2m(
      [
        "token",
        "--format",
        "gcp-executable",
        "--workload",
        "initech/report-export",
        "--issuer",
        local.issuer,
        "--client-id",
        idOf("initech/report-export"),
        "--audience",
        API.gcp,
        "--auth-method",
        "client_secret_basic",
        "--credential-env",
        "M2M_UNSET_SECRET",
      ],
      work,
      { M2M_UNSET_SECRET: "" },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      success: false,
      code: "credential",
      message:
        "m2m token: environment variable M2M_UNSET_SECRET is empty: it must hold the workload's client secret",
    });
  });

  it("GIVEN an output file in a folder others can read WHEN the GCP executable source runs THEN it reports a cache failure naming the fix, and writes nothing there", async () => {
    const open = path.join(work, "open-output");
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    const result = await m2m(
      ["token", ...local$, "--workload", "initech/report-export", "--format", "gcp-executable"],
      projectDir,
      { GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE: path.join(open, "out.json"), XDG_CACHE_HOME: cacheHome },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      success: false,
      code: "cache",
      message: `m2m token: the GCP executable output folder ${open} is open to others (mode 0755): chmod 700 ${open}, or choose another: clouds.gcp.executableOutputFolder in the stack`,
    });
    expect(readdirSync(open)).toEqual([]);
  });

  it("GIVEN the GCP executable source for a workload not granted the GCP API WHEN run THEN it exits 0 with an input failure naming what it is granted", async () => {
    const result = await m2m(
      ["token", ...local$, "--workload", "globex/billing-sync", "--format", "gcp-executable"],
      projectDir,
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      success: false,
      code: "input",
      message: `m2m token: globex/billing-sync is not granted ${API.gcp} (the gcp API): it is granted ${API.orders}, ${API.aws}`,
    });
  });

  it("GIVEN the GCP executable source for another stack pointed at dev's local environment, or for a stack with no file WHEN run THEN it exits 0 with an input failure that says so", async () => {
    writeFileSync(
      path.join(projectDir, "Pulumi.qa.yaml"),
      readFileSync(path.join(projectDir, "Pulumi.dev.yaml")),
    );
    const gcpToken = (stack: string) =>
      m2m(
        [
          "token",
          "--stack",
          stack,
          "--local",
          "--state-dir",
          stateDir,
          "--workload",
          "initech/report-export",
          "--format",
          "gcp-executable",
        ],
        projectDir,
      );
    for (const [stack, says] of [
      ["qa", "serves stack dev, not qa"],
      ["staging", `no stack file ${path.join(projectDir, "Pulumi.staging.yaml")}`],
    ] as const) {
      const result = await gcpToken(stack);
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("");
      const failure = JSON.parse(result.stdout);
      expect(failure, failure.message).toMatchObject({ version: 1, success: false, code: "input" });
      expect(failure.message).toContain(says);
    }
  });

  it("GIVEN aws-credential-process with the STS client at a loopback endpoint WHEN run THEN STS receives the role and session name from the model with the workload's AWS token, and the output is credential_process's", async () => {
    const sts = await loopbackSts();
    const result = await m2m(
      [
        "token",
        ...local$,
        "--workload",
        "globex/billing-sync",
        "--format",
        "aws-credential-process",
        "--sts-endpoint",
        sts.endpoint,
        "--cache-dir",
        path.join(work, "aws-cache"),
      ],
      projectDir,
    );
    sts.close();
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      Version: 1,
      AccessKeyId: "ASIALOOPBACK1",
      SecretAccessKey: "loopback-secret-1",
      SessionToken: "loopback-session-1",
    });
    expect(Date.parse(output.Expiration)).toBeGreaterThan(Date.now());
    expect(sts.requests).toHaveLength(1);
    expect(sts.requests[0]).toMatchObject({
      Action: "AssumeRoleWithWebIdentity",
      RoleArn: "arn:aws:iam::111111111111:role/m2m-dev-globex-billing-sync",
      RoleSessionName: "globex-billing-sync",
    });
    expect(decodeJwt(sts.requests[0]?.WebIdentityToken ?? "")).toMatchObject({
      sub: `${idOf("globex/billing-sync")}@clients`,
      aud: API.aws,
    });
  });

  it("GIVEN an AWS profile whose credential_process runs m2m token WHEN the AWS SDK's process provider loads it THEN it takes the role's credentials as they were printed", async () => {
    const sts = await loopbackSts();
    const config = path.join(work, "aws-config");
    writeFileSync(
      config,
      `[profile billing-sync]\ncredential_process = cd ${projectDir} && ${process.execPath} ${BIN} token --stack dev --local --state-dir ${stateDir} --workload globex/billing-sync --format aws-credential-process --sts-endpoint ${sts.endpoint} --cache-dir ${path.join(work, "aws-process-cache")}\n`,
    );
    try {
      const credentials = await fromProcess({
        profile: "billing-sync",
        filepath: config,
        configFilepath: config,
      })();
      expect(credentials).toMatchObject({
        accessKeyId: "ASIALOOPBACK1",
        secretAccessKey: "loopback-secret-1",
        sessionToken: "loopback-session-1",
      });
      expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now());
    } finally {
      sts.close();
    }
    expect(sts.requests).toEqual([
      expect.objectContaining({ RoleArn: "arn:aws:iam::111111111111:role/m2m-dev-globex-billing-sync" }),
    ]);
  });

  it("GIVEN --out FILE --refresh WHEN it runs THEN the file holds the token (0600) and SIGTERM ends it with 0", async () => {
    const file = path.join(work, "run", "azure-token");
    const child = spawn(
      process.execPath,
      [
        BIN,
        "token",
        ...local$,
        "--workload",
        "initech/order-api",
        "--cloud",
        "azure",
        "--out",
        file,
        "--refresh",
      ],
      { cwd: projectDir },
    );
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    await new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (c) => {
        stderr += c;
        if (stderr.includes("\n")) resolve();
      });
      child.on("exit", () => reject(new Error(`stopped early: ${stderr}`)));
    });
    expect(stderr).toMatch(new RegExp(`^m2m token: wrote ${file} \\(expires \\S+Z; next at \\S+Z\\)\\n$`));
    expect(decodeJwt(readFileSync(file, "utf8"))).toMatchObject({
      aud: API.azure,
      sub: `${idOf("initech/order-api")}@clients`,
    });
    expect(mode(file)).toBe(0o600);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(stdout).toBe("");
  });

  it.each([
    [["--workload", "initech"], /--workload "initech" must be <tenant>\/<name>/],
    [
      ["--workload", "initech/nobody", "--cloud", "aws"],
      /stack dev has no workload initech\/nobody; it has globex\/billing-sync, /,
    ],
    [
      ["--workload", "initech/order-api", "--cloud", "aws"],
      /initech\/order-api is not granted https:\/\/aws\.m2m\.acme\.example \(the aws API\): it is granted https:\/\/orders\.api\.acme\.example, api:\/\/AzureADTokenExchange/,
    ],
    [
      ["--workload", "globex/billing-sync"],
      /globex\/billing-sync is granted 2 APIs: choose one with --audience/,
    ],
    [
      ["--workload", "globex/billing-sync", "--cloud", "aws", "--format", "json", "--out", "/tmp/x"],
      /--out writes the raw token; it does not go with --format json/,
    ],
    [
      ["--workload", "globex/billing-sync", "--cloud", "aws", "--refresh"],
      /--refresh keeps a file fresh: give it with --out FILE/,
    ],
    [
      ["--workload", "globex/billing-sync", "--cloud", "aws", "--issuer", "https://x/"],
      /--issuer does not go with --stack/,
    ],
    [
      ["--workload", "globex/billing-sync", "--cloud", "aws", "--credential-env", "X"],
      /--credential-env and --credential-file do not go with --local for globex\/billing-sync \(client_secret_post\): the local state holds its secret/,
    ],
  ])("GIVEN %j WHEN run THEN it exits 2 saying what to fix, before any request", async (args, message) => {
    const result = await m2m(["token", ...local$, ...args], projectDir);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it("GIVEN --stack without --local WHEN the client id or the workload's tokenCredential is missing THEN it exits 2 saying where each comes from", async () => {
    const noId = await m2m(
      ["token", "--stack", "dev", "--workload", "globex/billing-sync", "--cloud", "aws"],
      projectDir,
    );
    expect(noId.status).toBe(2);
    expect(noId.stderr).toBe(
      "m2m: the stack file does not hold globex/billing-sync's client id (Auth0 assigns it): give --client-id (pulumi stack output workloads --stack dev --json), or use --local\n",
    );
    const noSecret = await m2m(
      [
        "token",
        "--stack",
        "dev",
        "--workload",
        "globex/billing-sync",
        "--cloud",
        "aws",
        "--client-id",
        "abc",
      ],
      projectDir,
      { M2M_CLIENT_SECRET: "" },
    );
    expect(noSecret.status).toBe(2);
    expect(noSecret.stderr).toBe(
      "m2m: environment variable M2M_CLIENT_SECRET is empty: it must hold the workload's client secret\n",
    );
  });

  it("GIVEN token --help WHEN run THEN it lists the formats and every flag", async () => {
    const result = await m2m(["token", "--help"], work);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: m2m token --workload <tenant>\/<name> /);
    for (const flag of [
      "--format <format>",
      "--out FILE",
      "--refresh",
      "--cloud aws|gcp|azure",
      "--credential-env <VAR>",
      "--cache-dir DIR",
    ])
      expect(result.stdout).toMatch(new RegExp(`\\n {2}${flag.replace(/[|]/g, "\\$&")} +\\S`));
    expect(result.stdout).toContain("raw (default) | json | gcp-executable | aws-credential-process");
  });
});

describe("m2m token against a local environment serving https", () => {
  const work = mkdtempSync(path.join(tmpdir(), "m2m-token-https-"));
  const stateDir = path.join(work, "state");
  const keyFile = path.join(work, "analytics.pem");
  const key = rsaKeyPair();
  let local: LocalEnvironment;
  let state: { clients: Record<string, { clientId: string }> };

  beforeAll(async () => {
    const doc = parse(readFileSync("Pulumi.dev.yaml", "utf8"));
    const analytics = doc.config["m2m:environment"].tenants
      .flatMap((t: { workloads: unknown[] }) => t.workloads)
      .find((w: { name: string }) => w.name === "analytics");
    analytics.authentication.keys[0].pem = key.publicKey;
    writeFileSync(path.join(work, "Pulumi.dev.yaml"), stringify(doc));
    writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
    local = await startLocalEnvironment({ projectDir: work, stack: "dev", port: 0, stateDir, https: true });
    state = JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8"));
  }, 60_000);
  afterAll(async () => {
    await local.close();
  });

  it.each([
    ["globex/billing-sync", false],
    ["umbrella/analytics", true],
  ] as const)(
    "GIVEN its certificate trusted WHEN %s asks THEN Auth0's authentication client gets the token over https",
    async (workload, signs) => {
      const result = await m2m(
        [
          "token",
          "--stack",
          "dev",
          "--local",
          "--state-dir",
          stateDir,
          "--workload",
          workload,
          "--cloud",
          "aws",
          ...(signs ? ["--credential-file", keyFile] : []),
        ],
        work,
        { NODE_EXTRA_CA_CERTS: local.certificatePath },
      );
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(decodeJwt(result.stdout.trim())).toMatchObject({
        iss: local.issuer,
        sub: `${state.clients[workload]?.clientId}@clients`,
      });
    },
  );

  it("GIVEN its certificate not trusted WHEN asked THEN it exits 2 naming NODE_EXTRA_CA_CERTS", async () => {
    const result = await m2m(
      [
        "token",
        "--stack",
        "dev",
        "--local",
        "--state-dir",
        stateDir,
        "--workload",
        "globex/billing-sync",
        "--cloud",
        "aws",
      ],
      work,
      { NODE_EXTRA_CA_CERTS: "" },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `m2m: the local environment serves https with a self-signed certificate: run with NODE_EXTRA_CA_CERTS=${local.certificatePath}\n`,
    );
  });
});
