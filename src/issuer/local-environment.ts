import type { FastifyInstance } from "fastify";
import {
  ENVIRONMENT_CONFIG_KEY,
  type Environment,
  parseEnvironment,
} from "../model/environment/environment.ts";
import { localIssuer } from "../model/environment/issuer.ts";
import { readStackFile } from "../stack/stack-file.ts";
import {
  defaultStateDir,
  type ProvisionChanges,
  provision,
  readLocalState,
  stateFiles,
  writeLocalState,
} from "./local-state.ts";
import { type LocalTenant, localTenant } from "./local-tenant.ts";
import { ReplayJournal } from "./replay-journal.ts";
import { issuerServer } from "./server.ts";
import { removeServerFile, writeServerFile } from "./server-discovery.ts";
import { SERVER_LIMITS, type ServerLimits } from "./server-limits.ts";
import { localCertificate } from "./tls.ts";

/** How to run a stack's embedded environment. */
export interface LocalEnvironmentOptions {
  /** The project folder holding Pulumi.<stack>.yaml. */
  readonly projectDir: string;
  readonly stack: string;
  /** Port on 127.0.0.1; 0 picks a free one. Default: 4321. */
  readonly port?: number;
  /** Serve https://localhost:<port>/ with a generated self-signed certificate. Default: false. */
  readonly https?: boolean;
  /** Where ids, secrets, keys and the replay journal persist. Default: <projectDir>/.m2m/<stack>. */
  readonly stateDir?: string;
  /** Timeouts and the connection cap; tests shorten them. Default: SERVER_LIMITS. */
  readonly limits?: Partial<ServerLimits>;
}

/** A running embedded environment. */
export interface LocalEnvironment {
  readonly issuer: string;
  readonly tenant: LocalTenant;
  readonly changes: ProvisionChanges;
  readonly stateDir: string;
  readonly clientSecretsFile: string;
  /** The self-signed certificate, when serving HTTPS. */
  readonly certificatePath?: string;
  readonly certificate?: string;
  readonly server: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Provisions a stack's desired state into an embedded Auth0-compatible tenant and serves it on
 * 127.0.0.1. The tenant's issuer is the URL it serves on, so the environment is derived again
 * with that issuer (claims, trust, verdicts) through the same pure functions as the real one.
 * The stack is validated before anything is written or served.
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  const raw = readStackFile(options.projectDir, options.stack).config[ENVIRONMENT_CONFIG_KEY];
  parseEnvironment(raw, options.stack);
  const stateDir = options.stateDir ?? defaultStateDir(options.projectDir, options.stack);
  const files = stateFiles(stateDir);
  const certificate = options.https ? await localCertificate(files.tlsCertificate, files.tlsKey) : undefined;

  let tenant: LocalTenant | undefined;
  let journal: ReplayJournal | undefined;
  const server = issuerServer(
    () => {
      if (!tenant) throw Object.assign(new Error("The local tenant is starting"), { statusCode: 503 });
      return tenant;
    },
    certificate,
    { ...SERVER_LIMITS, ...options.limits },
  );
  await server.listen({ port: options.port ?? 4321, host: "127.0.0.1" });
  try {
    const address = server.server.address();
    const port = typeof address === "object" && address ? address.port : (options.port ?? 4321);
    const issuer = localIssuer(port, certificate !== undefined);
    const env: Environment = parseEnvironment(raw, options.stack, issuer);
    const { state, changes } = provision(env, readLocalState(stateDir));
    writeLocalState(stateDir, state);
    journal = ReplayJournal.open(files.replayJournal, Math.floor(Date.now() / 1000));
    tenant = await localTenant(env, state, journal);
    // Last, once the tenant answers: a command run with --local that finds the file can use it.
    writeServerFile(stateDir, {
      stack: options.stack,
      issuer,
      port,
      pid: process.pid,
      ...(certificate ? { certificatePath: certificate.certificatePath } : {}),
    });
    return {
      issuer,
      tenant,
      changes,
      stateDir,
      clientSecretsFile: files.clientSecrets,
      ...(certificate ? { certificatePath: certificate.certificatePath, certificate: certificate.cert } : {}),
      server,
      close: async () => {
        // First, so no command finds a server that is going away.
        removeServerFile(stateDir, issuer);
        await server.close();
        journal?.close();
      },
    };
  } catch (error) {
    await server.close();
    journal?.close();
    throw error;
  }
}
