/**
 * How other commands find the local environment `m2m up --local` serves: it writes
 * `<state dir>/server.json` once it listens and removes it when it stops, and commands run with
 * `--local` read it here instead of being told a port. The file names the stack it serves, so a
 * command for one stack never uses another stack's environment through a `--state-dir`.
 */
import { readFileSync, unlinkSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { jwksUriOf } from "../model/contract/endpoints.ts";
import { localIssuer } from "../model/environment/issuer.ts";
import { defaultStateDir, stateFiles } from "./local-state.ts";
import { readOptionalFile, syncFolder, writePrivateFile } from "./state-files.ts";

/** What `server.json` holds. */
export interface LocalServer {
  /** The stack it serves. */
  readonly stack: string;
  readonly issuer: string;
  readonly port: number;
  /** The process serving it, to tell a file left behind by one that died. */
  readonly pid: number;
  /** The self-signed certificate, when serving HTTPS. */
  readonly certificatePath?: string;
}

/** A running local environment, and the state folder it was found in (ids, keys). */
export interface FoundLocalServer extends LocalServer {
  readonly stateDir: string;
}

/** No local environment serves the stack: its server.json is missing or stale. */
export class NoLocalEnvironmentError extends Error {
  override readonly name = "NoLocalEnvironmentError";

  constructor(readonly stackName: string) {
    super(`no local environment running for stack ${stackName}`);
  }
}

/**
 * A local environment runs in the state folder, but not for the stack asked for: it serves
 * `served`, or (`served` undefined) it was started by an older m2m whose server.json does not
 * name its stack, which is refused rather than guessed.
 */
export class LocalEnvironmentStackError extends Error {
  override readonly name = "LocalEnvironmentStackError";

  constructor(
    readonly stackName: string,
    readonly served: string | undefined,
    readonly stateDir: string,
  ) {
    super(
      served === undefined
        ? `the local environment in ${stateDir} was started by an older m2m, whose server.json does not say which stack it serves, so it cannot be taken for stack ${stackName}: stop it and start it again with m2m up --local --stack ${stackName} (and the same --state-dir, if any)`
        : `the local environment in ${stateDir} serves stack ${served}, not ${stackName}: start ${stackName}'s with m2m up --local --stack ${stackName} (in a state folder of its own: the default, or another --state-dir), or pass --stack ${served} to use the one running`,
    );
  }
}

/** Records that this process serves `server` from `stateDir` (0600, atomically). */
export function writeServerFile(stateDir: string, server: LocalServer): void {
  writePrivateFile(stateFiles(stateDir).server, `${JSON.stringify(server, null, 2)}\n`);
}

/**
 * Removes `stateDir`'s server.json if it is still this process's `issuer`: another `m2m up` on
 * the same state folder may have replaced it since, and its record must stay. Synchronous, so it
 * also runs from an `exit` handler.
 */
export function removeServerFile(stateDir: string, issuer: string): void {
  const file = stateFiles(stateDir).server;
  const recorded = parseServerFile(readOptionalFile(file));
  if (recorded?.pid !== process.pid || recorded.issuer !== issuer) return;
  try {
    unlinkSync(file);
    syncFolder(stateDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** A server.json as read: its stack undefined when an older m2m wrote it without one. */
type RecordedServer = Omit<LocalServer, "stack"> & { readonly stack?: string };

function parseServerFile(text: string | undefined): RecordedServer | undefined {
  if (text === undefined) return undefined;
  let value: Partial<Record<keyof LocalServer, unknown>>;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { stack, issuer, port, pid, certificatePath } = value ?? {};
  if (stack !== undefined && (typeof stack !== "string" || stack === "")) return undefined;
  // pid 0 or below would name a process group, not the server: never probe such a value.
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof port !== "number" || !Number.isInteger(port)) return undefined;
  if (certificatePath !== undefined && typeof certificatePath !== "string") return undefined;
  // The probe below requests the issuer's JWKS: only ever the loopback URL `up --local` serves on.
  if (issuer !== localIssuer(port, certificatePath !== undefined)) return undefined;
  return {
    ...(stack === undefined ? {} : { stack }),
    issuer,
    port,
    pid,
    ...(certificatePath === undefined ? {} : { certificatePath }),
  };
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 delivers nothing; it only asks whether the process exists.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the issuer serves its JWKS: a pid reused by another program would not. */
function answers(server: RecordedServer): Promise<boolean> {
  const url = jwksUriOf(server.issuer);
  let ca: Buffer | undefined;
  if (server.certificatePath) {
    try {
      ca = readFileSync(server.certificatePath);
    } catch {
      return Promise.resolve(false);
    }
  }
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve) => {
    const request = client.get(
      url,
      { ...(ca ? { ca } : {}), signal: AbortSignal.timeout(5_000) },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on("error", () => resolve(false));
  });
}

/**
 * The local environment serving `stack` (its state in `stateDir`, by default the project's
 * `.m2m/<stack>`). Throws NoLocalEnvironmentError when server.json is missing, unreadable, or
 * stale: its process is gone, or nothing serves the JWKS at its issuer; and
 * LocalEnvironmentStackError when the one running serves another stack, or does not say which.
 */
export async function findLocalServer(
  projectDir: string,
  stack: string,
  stateDir?: string,
): Promise<FoundLocalServer> {
  const folder = stateDir ?? defaultStateDir(projectDir, stack);
  const server = parseServerFile(readOptionalFile(stateFiles(folder).server));
  if (!server || !isAlive(server.pid) || !(await answers(server))) throw new NoLocalEnvironmentError(stack);
  if (server.stack !== stack) throw new LocalEnvironmentStackError(stack, server.stack, folder);
  return { ...server, stack, stateDir: folder };
}
