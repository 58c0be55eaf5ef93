import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { managementCredentials } from "../../src/management/credentials.ts";

const folder = mkdtempSync(path.join(tmpdir(), "m2m-credentials-"));
function secretFile(mode: number, text = "s3cret-from-file\n"): string {
  const file = path.join(folder, `secret-${mode.toString(8)}`);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

describe("the Management API credentials", () => {
  it("GIVEN M2M_AUTH0_CLIENT_ID and M2M_AUTH0_CLIENT_SECRET WHEN read THEN they are used", () => {
    expect(managementCredentials({ M2M_AUTH0_CLIENT_ID: "id", M2M_AUTH0_CLIENT_SECRET: "secret" })).toEqual({
      clientId: "id",
      clientSecret: "secret",
    });
  });

  it("GIVEN the secret in a 0600 file WHEN read THEN its trimmed content is the secret", () => {
    const file = secretFile(0o600);
    expect(
      managementCredentials({ M2M_AUTH0_CLIENT_ID: "id", M2M_AUTH0_CLIENT_SECRET_FILE: file }).clientSecret,
    ).toBe("s3cret-from-file");
  });

  it("GIVEN the secret file readable by others WHEN read THEN it is refused with the chmod to run, and the secret is not shown", () => {
    const file = secretFile(0o644);
    expect(() =>
      managementCredentials({ M2M_AUTH0_CLIENT_ID: "id", M2M_AUTH0_CLIENT_SECRET_FILE: file }),
    ).toThrow(new RegExp(`can be read by others \\(mode 644\\): chmod 600 ${file}`));
    try {
      managementCredentials({ M2M_AUTH0_CLIENT_ID: "id", M2M_AUTH0_CLIENT_SECRET_FILE: file });
    } catch (error) {
      expect((error as Error).message).not.toContain("s3cret");
    }
  });

  it("GIVEN only the AUTH0_* names the Pulumi program refuses WHEN read THEN they are not used, and the message says which names to set", () => {
    expect(() => managementCredentials({ AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" })).toThrow(
      /M2M_AUTH0_CLIENT_ID is not set.*AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET are not read/,
    );
  });

  it("GIVEN both a secret and a secret file WHEN read THEN it asks for one", () => {
    const file = secretFile(0o600);
    expect(() =>
      managementCredentials({
        M2M_AUTH0_CLIENT_ID: "id",
        M2M_AUTH0_CLIENT_SECRET: "x",
        M2M_AUTH0_CLIENT_SECRET_FILE: file,
      }),
    ).toThrow("set one of M2M_AUTH0_CLIENT_SECRET and M2M_AUTH0_CLIENT_SECRET_FILE, not both");
  });
});
