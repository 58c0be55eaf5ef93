/**
 * The workload side: Auth0 client-credentials tokens for a workload, cached and renewed, and
 * the formats the clouds read them in. Cloud SDK helpers are separate entry points so that only
 * their users load the SDKs: `auth0-m2m-federation/token/aws`, `.../token/azure`.
 */
export {
  type AssertionAlgorithm,
  type AuthenticationMethod,
  type ClientCredential,
  readClientCredential,
} from "./client-credential.ts";
export { defaultTokenCacheFolder, type FileTokenCacheOptions, fileTokenCache } from "./file-token-cache.ts";
export {
  GCP_SUBJECT_TOKEN_TYPE,
  type GcpExecutableFailure,
  type GcpExecutableSuccess,
  gcpExecutableFailure,
  gcpExecutableSuccess,
} from "./gcp-executable-response.ts";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.ts";
export { type AccessToken, refreshWindowOf, type TokenCache } from "./token-cache.ts";
export {
  type QuotaBucket,
  TokenCacheError,
  TokenCredentialError,
  type TokenFailureCode,
  TokenRequestError,
} from "./token-errors.ts";
export { keepTokenFileFresh, writeTokenFile } from "./token-file.ts";
export type { IssuedToken, TokenRequester } from "./token-request.ts";
export { createTokenSource, type TokenSource, type TokenSourceOptions } from "./token-source.ts";
