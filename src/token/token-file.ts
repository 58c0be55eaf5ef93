/**
 * A token file kept fresh, for what reads a token from a file: AWS_WEB_IDENTITY_TOKEN_FILE,
 * AZURE_FEDERATED_TOKEN_FILE. Each token replaces the last atomically (readers never see half of
 * one), 0600, before the last one's refresh window.
 */
import { writePrivateFile } from "../issuer/state-files.ts";
import type { AccessToken } from "./token-cache.ts";
import type { TokenSource } from "./token-source.ts";

/** Writes the token alone (no newline: some readers take the whole file as the token). */
export function writeTokenFile(file: string, token: AccessToken): void {
  writePrivateFile(file, token.accessToken);
}

/** What the keeper reports. */
export interface TokenFileEvents {
  /** A token was written; the next one will be at `token.refreshAt`. */
  readonly onWrite?: (token: AccessToken) => void;
  /** A refresh failed; the file keeps the last token and it is tried again. */
  readonly onError?: (error: unknown) => void;
}

/** After a failed refresh, try again this soon (the file's token still has its window left). */
const RETRY_MS = 15_000;

/**
 * Writes a token to `file` now and again at each token's refresh time, until `stop()`. The first
 * write's failure rejects `started`; later failures go to `onError` and are retried.
 */
export function keepTokenFileFresh(
  source: TokenSource,
  file: string,
  events: TokenFileEvents = {},
): { readonly started: Promise<AccessToken>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let written: string | undefined;
  // A token past its refresh time comes back while Auth0 cannot be reached: try again soon, not at once.
  const delayAfter = (token: AccessToken) => {
    const ms = token.refreshAt * 1000 - Date.now();
    return ms > 0 ? ms : RETRY_MS;
  };
  const write = async () => {
    const token = await source.getAccessToken();
    if (token.accessToken !== written) {
      writeTokenFile(file, token);
      written = token.accessToken;
      events.onWrite?.(token);
    }
    return token;
  };
  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      write().then(
        (token) => next(delayAfter(token)),
        (error: unknown) => {
          events.onError?.(error);
          next(RETRY_MS);
        },
      );
    }, ms);
  };
  const started = write().then((token) => {
    next(delayAfter(token));
    return token;
  });
  return {
    started,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
