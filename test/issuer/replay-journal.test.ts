import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type LocalEnvironment, startLocalEnvironment } from "../../src/issuer/local-environment.ts";
import { stateFiles } from "../../src/issuer/local-state.ts";
import { COMPACT_AFTER_EXPIRED_ENTRIES, ReplayJournal } from "../../src/issuer/replay-journal.ts";
import { assertionBody, startFixture } from "../fixtures/local-project.ts";
import { analyticsAssertion } from "./client-assertion.ts";

const REPORTS = "https://reports.api.acme.example";
const mode = (file: string) => statSync(file).mode & 0o777;
const journalOf = (local: LocalEnvironment) => stateFiles(local.stateDir).replayJournal;

/** The status of a private_key_jwt token request carrying `assertion`. */
async function exchange(local: LocalEnvironment, assertion: string): Promise<number> {
  const response = await local.server.inject({
    method: "POST",
    url: "/oauth/token",
    payload: assertionBody(assertion, REPORTS),
  });
  return response.statusCode;
}

/** Serves the fixture, whose analytics workload has already used one assertion: returned too. */
async function afterOneExchange() {
  const local = await startFixture();
  const used = await analyticsAssertion(local);
  expect(await exchange(local, used)).toBe(200);
  await local.close();
  return { local, used };
}

/** Starts `previous` again from the same state, on the same port: assertions name the issuer's URL. */
function restart(previous: LocalEnvironment & { projectDir: string }): Promise<LocalEnvironment> {
  return startLocalEnvironment({
    projectDir: previous.projectDir,
    stack: "local",
    port: Number(new URL(previous.issuer).port),
  });
}

describe("the replay journal of private_key_jwt assertions", () => {
  it("GIVEN an assertion used once WHEN the local environment restarts from the same state THEN replaying it is refused, while a fresh one is accepted", async () => {
    const { local, used } = await afterOneExchange();
    expect(mode(journalOf(local))).toBe(0o600);
    const again = await restart(local);
    try {
      expect(await exchange(again, used)).toBe(401);
      expect(await exchange(again, await analyticsAssertion(again))).toBe(200);
    } finally {
      await again.close();
    }
  });

  it("GIVEN a journal whose last line was cut short by a crash WHEN restarted THEN the other entries still refuse their replay", async () => {
    const { local, used } = await afterOneExchange();
    appendFileSync(journalOf(local), "1800000000 q3Xv");
    const again = await restart(local);
    try {
      expect(await exchange(again, used)).toBe(401);
      expect(await exchange(again, await analyticsAssertion(again))).toBe(200);
      expect(readFileSync(journalOf(local), "utf8")).toMatch(/\n$/);
    } finally {
      await again.close();
    }
  });

  it("GIVEN a journal with a line it did not write WHEN started THEN the error names the file and the fix, quoting nothing, and following the fix starts it", async () => {
    const { local } = await afterOneExchange();
    const file = journalOf(local);
    const [header, ...entries] = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, [header, "client_secret=SUPERSECRET", ...entries].join("\n"));
    const failure = (await restart(local).catch((e: unknown) => e)) as Error;
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toBe(
      `${file} is not a replay journal this tool wrote (line 2); delete it and wait 6 minutes before starting again: every assertion it recorded has expired by then, so none can be replayed`,
    );
    expect(failure.message).not.toContain("SUPERSECRET");
    rmSync(file);
    const again = await restart(local);
    await again.close();
  });

  it("GIVEN a journal that cannot be written WHEN an assertion comes THEN no token is issued", async () => {
    const local = await startFixture();
    try {
      mkdirSync(journalOf(local));
      const response = await local.server.inject({
        method: "POST",
        url: "/oauth/token",
        payload: assertionBody(await analyticsAssertion(local), REPORTS),
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).not.toHaveProperty("access_token");
    } finally {
      await local.close();
    }
  });

  describe("GIVEN entries past their expiry", () => {
    const t0 = 1_800_000_000;
    const journalFile = () => path.join(mkdtempSync(path.join(tmpdir(), "m2m-journal-")), "replay-journal");

    it("WHEN the journal is opened again THEN they are pruned: the file shrinks, stays 0600, and live entries still refuse a replay", () => {
      const file = journalFile();
      const journal = ReplayJournal.open(file, t0);
      for (const jti of ["a", "b", "c"]) expect(journal.claim(`client:${jti}`, t0 + 60, t0)).toBe(true);
      expect(journal.claim("client:live", t0 + 600, t0)).toBe(true);
      journal.close();
      const before = statSync(file).size;

      const reopened = ReplayJournal.open(file, t0 + 120);
      try {
        expect(statSync(file).size).toBeLessThan(before);
        expect(mode(file)).toBe(0o600);
        expect(reopened.claim("client:live", t0 + 600, t0 + 120)).toBe(false);
      } finally {
        reopened.close();
      }
    });

    it("WHEN they outnumber the live ones in a running journal THEN it is compacted, and keeps refusing the live ones after a restart", () => {
      const file = journalFile();
      const journal = ReplayJournal.open(file, t0);
      for (let i = 0; i < COMPACT_AFTER_EXPIRED_ENTRIES; i++) journal.claim(`client:${i}`, t0 + 60, t0);
      const before = statSync(file).size;
      expect(journal.claim("client:live", t0 + 600, t0 + 120)).toBe(true);
      journal.close();
      expect(statSync(file).size).toBeLessThan(before);
      expect(mode(file)).toBe(0o600);
      const reopened = ReplayJournal.open(file, t0 + 121);
      try {
        expect(reopened.claim("client:live", t0 + 600, t0 + 121)).toBe(false);
      } finally {
        reopened.close();
      }
    });
  });
});
