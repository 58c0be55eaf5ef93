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
  const next = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        write().then(
          (token) => next(token.refreshAt * 1000 - Date.now()),
          (error: unknown) => {
            events.onError?.(error);
            next(RETRY_MS);
          },
        );
      },
      Math.max(0, ms),
    );
  };
  const write = async () => {
    const token = await source.getAccessToken();
    writeTokenFile(file, token);
    events.onWrite?.(token);
    return token;
  };
  const started = write().then((token) => {
    next(token.refreshAt * 1000 - Date.now());
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
