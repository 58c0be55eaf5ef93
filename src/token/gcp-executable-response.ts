/**
 * What Google's client libraries expect from an executable credential source (an
 * `external_account` configuration with `credential_source.executable`): one JSON object on
 * stdout, and the same in `GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE` when the configuration names an
 * `output_file`, which the libraries read first while it is unexpired.
 */
import path from "node:path";
import { writePrivateFile } from "../issuer/state-files.ts";
import { GCP_SUBJECT_TOKEN_TYPE } from "../model/trust/gcp/gcp-trust.ts";
import { ensurePrivateFolder } from "./private-folder.ts";
import type { AccessToken } from "./token-cache.ts";

export { GCP_SUBJECT_TOKEN_TYPE };

/** A successful response. */
export interface GcpExecutableSuccess {
  readonly version: 1;
  readonly success: true;
  readonly token_type: typeof GCP_SUBJECT_TOKEN_TYPE;
  readonly id_token: string;
  /** The token's `exp` minus its refresh window: Google asks again before the token runs out. */
  readonly expiration_time: number;
}

/** A failure: printed with exit 0, so the library reports `message` instead of a bare exit code. */
export interface GcpExecutableFailure {
  readonly version: 1;
  readonly success: false;
  readonly code: string;
  readonly message: string;
}

export function gcpExecutableSuccess(token: AccessToken): GcpExecutableSuccess {
  return {
    version: 1,
    success: true,
    token_type: GCP_SUBJECT_TOKEN_TYPE,
    id_token: token.accessToken,
    expiration_time: Math.floor(token.refreshAt),
  };
}

export function gcpExecutableFailure(code: string, message: string): GcpExecutableFailure {
  return { version: 1, success: false, code, message };
}

/** Writes a successful response to the output file, 0600 in a 0700 folder of this user. */
export function writeGcpOutputFile(file: string, response: GcpExecutableSuccess): void {
  ensurePrivateFolder(
    path.dirname(file),
    "GCP executable output",
    "clouds.gcp.executableOutputFolder in the stack",
  );
  writePrivateFile(file, `${JSON.stringify(response)}\n`);
}
