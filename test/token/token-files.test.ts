import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  createTokenSource,
  fileTokenCache,
  keepTokenFileFresh,
  TokenCacheError,
} from "../../src/token/index.ts";
import { tokenCacheKey } from "../../src/token/token-source.ts";

const mode = (file: string) => statSync(file).mode & 0o777;
const credential = { method: "client_secret_post", clientSecret: "file-test-secret" } as const;

/** A source whose tokens live `lifetimeS` seconds from now, counting its requests. */
function countingSource(clientId: string, lifetimeS: number, cache?: ReturnType<typeof fileTokenCache>) {
  const counter = { requests: 0 };
  const source = createTokenSource({
    issuer: "https://acme.example.auth0.com/",
    clientId,
    credential,
    audience: "https://orders.api.acme.example",
    refreshAhead: false,
    ...(cache ? { cache } : {}),
    requester: async () => {
      counter.requests++;
      const nowS = Date.now() / 1000;
      return {
        accessToken: `${clientId}-token-${counter.requests}`,
        issuedAt: nowS,
        expiresAt: nowS + lifetimeS,
      };
    },
  });
  return { source, counter };
}

describe("the file token cache", () => {
  it("GIVEN a fresh cache folder WHEN a token is cached THEN the folder is 0700, the entry 0600, and it holds no credential", async () => {
    const folder = path.join(mkdtempSync(path.join(tmpdir(), "m2m-cache-")), "tokens");
    const { source } = countingSource("cache-modes", 3600, fileTokenCache({ folder }));
    await source.getToken();
    expect(mode(folder)).toBe(0o700);
    const [entry = ""] = readdirSync(folder);
    expect(entry).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(mode(path.join(folder, entry))).toBe(0o600);
    expect(readFileSync(path.join(folder, entry), "utf8")).not.toContain("file-test-secret");
  });

  it("GIVEN a cache folder others can read WHEN a token is asked for THEN it is refused with the chmod that fixes it, before any request", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "m2m-cache-"));
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o755);
    const { source, counter } = countingSource("cache-open", 3600, fileTokenCache({ folder }));
    const error = await source.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenCacheError);
    expect((error as Error).message).toBe(
      `the token cache folder ${folder} is open to others (mode 0755): chmod 700 ${folder}, or choose another: m2m token --cache-dir DIR, or fileTokenCache({folder})`,
    );
    expect(counter.requests).toBe(0);
  });
});

describe("the file cache's lock", () => {
  it("GIVEN a lock left by a process that died WHEN a token is due THEN the lock is cleared and the token requested, without waiting out the lock", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "m2m-cache-"));
    chmodSync(folder, 0o700);
    const key = tokenCacheKey({
      issuer: "https://acme.example.auth0.com/",
      clientId: "cache-dead-lock",
      audience: "https://orders.api.acme.example",
      credential,
    });
    // No process has pid 2^22 + 1 (Linux's pid_max is at most 2^22).
    writeFileSync(path.join(folder, `${key}.lock`), String(2 ** 22 + 1));
    const { source, counter } = countingSource("cache-dead-lock", 3600, fileTokenCache({ folder }));
    expect(await source.getToken()).toBe("cache-dead-lock-token-1");
    expect(counter.requests).toBe(1);
    expect(readdirSync(folder)).toEqual([`${key}.json`]);
  }, 5_000);
});

describe("keepTokenFileFresh", () => {
  it("GIVEN tokens that live 2 s WHEN the file is kept fresh THEN it is 0600 and replaced by the next token at the first one's refresh time", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "m2m-token-file-")), "aws-token");
    const { source } = countingSource("token-file", 2);
    const keeper = keepTokenFileFresh(source, file);
    await keeper.started;
    expect(readFileSync(file, "utf8")).toBe("token-file-token-1");
    expect(mode(file)).toBe(0o600);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readFileSync(file, "utf8") !== "token-file-token-1") {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    keeper.stop();
    expect(readFileSync(file, "utf8")).toBe("token-file-token-2");
  });
});
