/**
 * `@dfda/sdk`: the platform's API for browsers, React Native, Node 20+ and Workers. Only web-platform
 * APIs here (fetch, streams, WebCrypto); Node-only helpers (a path to upload, a loopback sign-in, a
 * file token store) are in `@dfda/sdk/node`.
 */
export {
  type AuthorizationOptions,
  type ClientAuth,
  clientCredentials,
  discover,
  finishAuthorization,
  isExpired,
  MemoryTokenStore,
  type PendingAuthorization,
  pkcePair,
  randomToken,
  refreshTokens,
  revokeToken,
  type ServerMetadata,
  startAuthorization,
  type TokenStore,
  type Tokens,
  tokenRequest,
  type WebStorage,
  WebStorageTokenStore,
} from "./auth";
export {
  DfdaClient,
  type DfdaClientOptions,
  type DfdaFile,
  type Export,
  type ExportAccepted,
  type ExportRequest,
  FINAL_EXPORT_STATES,
  FINAL_JOB_STATES,
  type FileAccepted,
  type IngestJob,
  type JobAccepted,
  type JobProgress,
  MAX_BATCH,
  MAX_BATCH_BYTES,
  type Observation,
  type ObservationInput,
  type ObservationQuery,
  type ObservationSummary,
  type SendOptions,
  type SummaryQuery,
  type UploadBody,
  type UploadOptions,
  type UploadProgress,
  type Variable,
  type WaitOptions,
} from "./client";
export {
  DfdaAuthError,
  DfdaError,
  DfdaNetworkError,
  DfdaProblem,
  type FieldError,
  type ProblemDetails,
  problemFrom,
} from "./errors";
export { fetchWithRetry, parseRetryAfter, type RetryOptions, RetryPolicy, type Sleep } from "./http";
export type { components, operations, paths } from "./openapi.generated";
export { type ResumableUploadOptions, type Upload, uploadMetadata, uploadResumable } from "./resumable";
