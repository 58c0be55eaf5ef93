/**
 * Tokens per second of the local issuer on loopback under autocannon, beside, under the same
 * load: a bare node:http + jose server (same route, same form body, same token, no client
 * authentication and no Action: the floor a token server can reach on this machine) and
 * oauth2-mock-server (the peer), each server in its own process; and bare RS256 signing with
 * the same 50 signatures in flight, in its own process (the signing ceiling). Every
 * measurement runs ROUNDS times, alternating the contestants and rotating their order each
 * round; medians and spreads (min–max) are reported, ratios per round, and beside them the CPU
 * each process spent per token (Linux), which other work on the machine disturbs far less than
 * throughput, and how much of the machine's CPU stayed idle while each server was loaded (a
 * server whose main thread holds requests longer leaves the signing thread pool waiting). Then latency at 10 connections, issuer and bare server alternating. Autocannon runs
 * in this process.
 *
 * Targets: issuer at least 0.8 of the bare server and at least 1.0 of oauth2-mock-server
 * (medians of the per-round ratios), p99 at 10 connections under 10 ms in the median run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { median, summary } from "./median.ts";

// Five short rounds rather than three long ones: other work on the machine drifts over seconds,
// and pairs measured close together keep their ratio when it does.
const ROUNDS = 5;
const DURATION_S = 4;
const CONNECTIONS = 50;
const LATENCY_CONNECTIONS = 10;
const TARGETS = { ofBare: 0.8, ofMock: 1.0, p99Ms: 10 } as const;

interface Ready {
  readonly url: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly method?: string;
}

interface Load {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** CPU milliseconds the serving process (all its threads) spent per token, where known. */
  readonly cpuMsPerToken?: number;
  /** Percent of the machine's CPU time left idle during the run, where known (Linux). */
  readonly idlePercent?: number;
}

/** The machine's idle and total CPU time so far (Linux /proc/stat, any unit), or undefined. */
function machineTimes(): { idle: number; total: number } | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]?.split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait ...: idle and iowait are the time nothing ran.
    const total = fields.reduce((sum, x) => sum + x, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return Number.isFinite(total) && total > 0 ? { idle, total } : undefined;
  } catch {
    return undefined;
  }
}

/** CPU milliseconds (user and system, all threads) `pid` has used, or undefined off Linux. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * (1000 / CLOCK_TICKS_PER_S) : undefined;
  } catch {
    return undefined;
  }
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times, on every architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;

const script = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Runs `file` in its own Node process until it prints `<prefix> <json>`. */
function child<T>(
  file: string,
  prefix: string,
  args: string[] = [],
): { process: ChildProcess; line: Promise<T> } {
  const proc = spawn(process.execPath, ["--import", "tsx", script(file), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = new Promise<T>((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (chunk) => {
      out += chunk;
      const found = out.split("\n").find((l) => l.startsWith(`${prefix} `));
      if (found) resolve(JSON.parse(found.slice(prefix.length + 1)) as T);
    });
    proc.on("exit", (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { process: proc, line };
}

async function load(
  url: string,
  body: string,
  connections: number,
  durationS = DURATION_S,
  pid?: number,
): Promise<Load> {
  const before = cpuMs(pid);
  const machineBefore = machineTimes();
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    connections,
    duration: durationS,
  });
  const after = cpuMs(pid);
  const machineAfter = machineTimes();
  return {
    perSecond: result["2xx"] / durationS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    ...(before !== undefined && after !== undefined && result["2xx"] > 0
      ? { cpuMsPerToken: (after - before) / result["2xx"] }
      : {}),
    ...(machineBefore && machineAfter && machineAfter.total > machineBefore.total
      ? {
          idlePercent:
            (100 * (machineAfter.idle - machineBefore.idle)) / (machineAfter.total - machineBefore.total),
        }
      : {}),
  };
}

/** Bare signing with CONNECTIONS signatures in flight, in a fresh process. */
async function bareSigning(): Promise<Load> {
  const run = child<{ perSecond: number; cpuMsPerToken: number }>("./servers/bare-signing.ts", "RESULT", [
    String(DURATION_S * 1000),
    String(CONNECTIONS),
  ]);
  const { perSecond, cpuMsPerToken } = await run.line;
  return { perSecond, cpuMsPerToken, p50: 0, p99: 0, failures: 0 };
}

/** The order of round `r`: `items` rotated by r, so no contestant always runs first or last. */
const rotated = <T>(items: readonly T[], r: number): T[] =>
  items.map((_, i) => items[(i + r) % items.length] as T);

export async function benchIssuer(): Promise<boolean> {
  const servers = {
    issuer: child<Ready>("./servers/local-issuer.ts", "READY"),
    bare: child<Ready>("./servers/bare-jose.ts", "READY"),
    mock: child<Ready>("./servers/oauth2-mock-server.ts", "READY"),
  };
  try {
    const [issuer, bare, mock] = await Promise.all([
      servers.issuer.line,
      servers.bare.line,
      servers.mock.line,
    ]);
    // One client_secret_post form body for all three (the bare server and the mock ignore the
    // secret; the mock reads its audience from `aud`).
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: issuer.clientId ?? "",
      client_secret: issuer.clientSecret ?? "",
      audience: "https://orders.api.acme.example",
    }).toString();
    const mockBody = `${body}&aud=${encodeURIComponent("https://orders.api.acme.example")}`;
    const contestants = {
      issuer: () => load(issuer.url, body, CONNECTIONS, DURATION_S, servers.issuer.process.pid),
      bare: () => load(bare.url, body, CONNECTIONS, DURATION_S, servers.bare.process.pid),
      mock: () => load(mock.url, mockBody, CONNECTIONS, DURATION_S, servers.mock.process.pid),
      signing: bareSigning,
    };
    type Name = keyof typeof contestants;
    for (const warm of [issuer.url, bare.url]) await load(warm, body, CONNECTIONS, 2);
    await load(mock.url, mockBody, CONNECTIONS, 2);

    const runs: Record<Name, Load[]> = { issuer: [], bare: [], mock: [], signing: [] };
    const latency: Record<"issuer" | "bare", Load[]> = { issuer: [], bare: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of rotated(Object.keys(contestants) as Name[], r))
        runs[name].push(await contestants[name]());
      for (const [name, url] of rotated([["issuer", issuer.url] as const, ["bare", bare.url] as const], r)) {
        latency[name].push(await load(url, body, LATENCY_CONNECTIONS));
      }
    }

    const rate = (name: Name) => runs[name].map((l) => l.perSecond);
    const cpu = (name: Name) =>
      runs[name].flatMap((l) => (l.cpuMsPerToken === undefined ? [] : [l.cpuMsPerToken]));
    const perRound = (a: Name, b: Name) => runs[a].map((l, i) => l.perSecond / (runs[b][i]?.perSecond ?? 1));
    const ofBare = perRound("issuer", "bare");
    const ofMock = perRound("issuer", "mock");
    const ofSigning = perRound("issuer", "signing");
    const bareOfSigning = perRound("bare", "signing");
    const p99 = (name: "issuer" | "bare") => latency[name].map((l) => l.p99);
    const p50 = (name: "issuer" | "bare") => latency[name].map((l) => l.p50);
    const failures = [...Object.values(runs), ...Object.values(latency)]
      .flat()
      .reduce((n, l) => n + l.failures, 0);
    const met = {
      ofBare: median(ofBare) >= TARGETS.ofBare,
      ofMock: median(ofMock) >= TARGETS.ofMock,
      p99: median(p99("issuer")) < TARGETS.p99Ms,
    };
    const ok = met.ofBare && met.ofMock && met.p99 && failures === 0;
    const two = (x: number) => x.toFixed(2);
    const three = (x: number) => x.toFixed(3);
    const verdict = (b: boolean) => (b ? "met" : "NOT met");

    console.log(
      `## Local issuer: tokens per second on loopback (autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S} s alternating; median (min–max))`,
    );
    console.log(
      `client authentication: ${issuer.method ?? "?"} (form body: client_id, client_secret, audience), RS256 tokens`,
    );
    console.log(
      `local issuer | bare node:http + jose | oauth2-mock-server | bare RS256 signing, ${CONNECTIONS} in flight`,
    );
    console.log(
      `${summary(rate("issuer"))} | ${summary(rate("bare"))} | ${summary(rate("mock"))} | ${summary(rate("signing"))}`,
    );
    const cpuRow = (Object.keys(runs) as Name[]).map((n) => (cpu(n).length ? summary(cpu(n), three) : "n/a"));
    console.log(`CPU ms per token, all threads of the process (Linux): ${cpuRow.join(" | ")}`);
    const idle = (name: "issuer" | "bare" | "mock") =>
      runs[name].flatMap((l) => (l.idlePercent === undefined ? [] : [l.idlePercent]));
    const idleRow = (["issuer", "bare", "mock"] as const).map((n) =>
      idle(n).length ? `${summary(idle(n), (x) => x.toFixed(1))} %` : "n/a",
    );
    console.log(
      `machine CPU left idle while serving (Linux; all processes, the load generator included): ${idleRow.join(" | ")}`,
    );
    console.log(
      `issuer / bare server ${summary(ofBare, two)}, issuer / oauth2-mock-server ${summary(ofMock, two)}, issuer / bare signing ${summary(ofSigning, two)}, bare server / bare signing ${summary(bareOfSigning, two)}`,
    );
    console.log(
      `latency at ${LATENCY_CONNECTIONS} connections: issuer p50 ${summary(p50("issuer"))} ms, p99 ${summary(p99("issuer"))} ms; bare server p50 ${summary(p50("bare"))} ms, p99 ${summary(p99("bare"))} ms (non-2xx and errors: ${failures})`,
    );
    console.log(
      `targets: issuer >= ${TARGETS.ofBare} of the bare server ${verdict(met.ofBare)}; >= ${TARGETS.ofMock} of oauth2-mock-server ${verdict(met.ofMock)}; p99 < ${TARGETS.p99Ms} ms in the median run ${verdict(met.p99)}`,
    );
    return ok;
  } finally {
    for (const s of Object.values(servers)) s.process.kill();
  }
}
