/**
 * The platform's API from TypeScript. {@link DfdaClient} signs every request, refreshes tokens (one
 * refresh at a time), retries what may be retried, and turns problem+json into {@link DfdaProblem}.
 * `client.api` is the whole API, typed from openapi/openapi.json by openapi-fetch (a new route appears
 * by regenerating, `npm run openapi`); the resources (`observations`, `jobs`, `files`, `exports`,
 * `variables`) add batching, polling, paging and uploads on top. Mirrors sdks/python/dfda/client.py.
 *
 * @example
 * const client = new DfdaClient({ baseUrl, clientId: "my-app", tokens });
 * const jobs = await client.observations.send(readings, { wait: true });
 * for await (const o of client.observations.list({ variable: "http://loinc.org|8867-4" })) console.log(o.value);
 */
import createClient, { type Client } from "openapi-fetch";
import {
  type ClientAuth,
  clientCredentials,
  isExpired,
  MemoryTokenStore,
  refreshTokens,
  revokeToken,
  type TokenStore,
  type Tokens,
  trimTrailing,
} from "./auth";
import { DfdaError, DfdaProblem, problemFrom } from "./errors";
import { defaultSleep, fetchWithRetry, type RetryOptions, RetryPolicy, type Sleep } from "./http";
import type { components, paths } from "./openapi.generated";

type Schemas = components["schemas"];
export type Observation = Schemas["Observation"];
export type ObservationSummary = Schemas["ObservationSummary"];
export type ObservationInput =
  paths["/v1/ingest/observations"]["post"]["requestBody"]["content"]["application/json"]["observations"][number];
export type JobAccepted = Schemas["JobAccepted"];
export type IngestJob = Schemas["IngestJob"];
export type FileAccepted = Schemas["FileAccepted"];
export type DfdaFile = Schemas["File"];
/** What POST /v1/me/exports takes; `filters` and `include_files` have server-side defaults. */
export type ExportRequest = Pick<Schemas["ExportRequest"], "format"> &
  Partial<Omit<Schemas["ExportRequest"], "format">>;
export type ExportAccepted = Schemas["ExportAccepted"];
export type Export = Schemas["Export"];
export type Variable = Schemas["Variable"];
export type ObservationQuery = NonNullable<paths["/v1/observations"]["get"]["parameters"]["query"]>;
export type SummaryQuery = NonNullable<paths["/v1/observations/summary"]["get"]["parameters"]["query"]>;
export type VariableQuery = NonNullable<paths["/v1/variables"]["get"]["parameters"]["query"]>;
export type FileQuery = NonNullable<paths["/v1/files"]["get"]["parameters"]["query"]>;

/** The API's largest batch (packages/core MAX_BATCH) and body (8 MiB for this route, docs/api.md "Body limits"). */
export const MAX_BATCH = 20_000;
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** A job in one of these states changes no more. */
export const FINAL_JOB_STATES: ReadonlySet<string> = new Set([
  "completed",
  "completed_with_issues",
  "failed",
  "unsupported_format",
]);
export const FINAL_EXPORT_STATES: ReadonlySet<string> = new Set(["completed", "failed", "expired"]);

export interface DfdaClientOptions {
  /** The platform's origin, e.g. `https://api.example.org` (no `/v1`). */
  baseUrl: string;
  /** Tokens from a sign-in; saved to `store`. */
  tokens?: Tokens;
  /** A bare access token (no refresh): for scripts holding a token from `dfda token issue`. */
  accessToken?: string;
  /** Where tokens are kept (default: memory). A store that already holds tokens needs no `tokens`. */
  store?: TokenStore;
  /** Needed to refresh and to revoke. */
  clientId?: string;
  /** A confidential client's secret: refreshes and revocations authenticate with it. */
  clientSecret?: string;
  /** With `clientSecret`, a token that expires is replaced by a new client-credentials token. */
  clientCredentials?: { scope?: string };
  /** The fetch to use (default: the global one); tests count requests through it. */
  fetch?: typeof fetch;
  retry?: RetryOptions | RetryPolicy;
  /** Refresh this long before the access token's expiry (default 30 s). */
  refreshLeewayMs?: number;
}

/** How a long operation reports: each poll of the job or export. */
export type JobProgress = (job: IngestJob) => void;
/** Bytes sent so far, and the total when known. */
export type UploadProgress = (sent: number, total: number | undefined) => void;

export interface WaitOptions {
  /** Give up after this long (default 10 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Injectable for tests. */
  sleep?: Sleep;
}

/** A fresh key per batch (RFC 9562 v4 UUID where the runtime has one; React Native may lack randomUUID). */
function idempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export class DfdaClient {
  readonly baseUrl: string;
  readonly clientId: string | undefined;
  readonly store: TokenStore;
  readonly retry: RetryPolicy;
  /** The whole API, typed from the OpenAPI document; answers `{ data, error, response }` (openapi-fetch). */
  readonly api: Client<paths>;
  readonly observations: Observations;
  readonly jobs: Jobs;
  readonly files: Files;
  readonly exports: Exports;
  readonly variables: Variables;

  private readonly clientSecret: string | undefined;
  private readonly credentialsScope: string | undefined;
  private readonly useClientCredentials: boolean;
  private readonly fetcher: typeof fetch;
  private readonly leeway: number;
  private readonly ready: Promise<void>;
  private refreshing: Promise<Tokens> | null = null;

  constructor(options: DfdaClientOptions) {
    this.baseUrl = trimTrailing(options.baseUrl, "/");
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.useClientCredentials = options.clientCredentials !== undefined;
    this.credentialsScope = options.clientCredentials?.scope;
    this.store = options.store ?? new MemoryTokenStore();
    // Bound: a bare `fetch` called as a method of another object throws "Illegal invocation" in browsers.
    const f = options.fetch ?? globalThis.fetch;
    this.fetcher = (input, init) => f(input, init);
    this.retry = options.retry instanceof RetryPolicy ? options.retry : new RetryPolicy(options.retry);
    this.leeway = options.refreshLeewayMs ?? 30_000;
    const initial =
      options.tokens ?? (options.accessToken ? { access_token: options.accessToken, token_type: "Bearer" } : undefined);
    this.ready = initial ? Promise.resolve(this.store.save(initial)) : Promise.resolve();
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: (request: Request) => this.fetch(request) });
    this.observations = new Observations(this);
    this.jobs = new Jobs(this);
    this.files = new Files(this);
    this.exports = new Exports(this);
    this.variables = new Variables(this);
  }

  /** A service signed in with its own client credentials (RFC 6749 §4.4), renewed when it expires. */
  static async withClientCredentials(options: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    scope?: string;
    fetch?: typeof fetch;
    retry?: RetryOptions | RetryPolicy;
  }): Promise<DfdaClient> {
    const tokens = await clientCredentials(options, options.fetch);
    const { scope, ...rest } = options;
    return new DfdaClient({ ...rest, tokens, clientCredentials: scope === undefined ? {} : { scope } });
  }

  // --- tokens ---------------------------------------------------------------------------------------

  /** The stored tokens; {@link DfdaError} when signed out. */
  async tokens(): Promise<Tokens> {
    await this.ready;
    const tokens = await this.store.load();
    if (!tokens) throw new DfdaError("signed out: sign in first, or pass tokens or accessToken");
    return tokens;
  }

  /** A usable access token, refreshed first when it has expired (or is about to). */
  async accessToken(): Promise<string> {
    const tokens = await this.tokens();
    if (isExpired(tokens, this.leeway) && this.canRenew(tokens))
      return (await this.refresh(tokens.access_token)).access_token;
    return tokens.access_token;
  }

  private canRenew(tokens: Tokens): boolean {
    return (
      (tokens.refresh_token !== undefined && this.clientId !== undefined) ||
      (this.useClientCredentials && this.clientSecret !== undefined)
    );
  }

  private auth(): ClientAuth {
    if (this.clientId === undefined) throw new DfdaError("clientId is needed to refresh or revoke tokens");
    return this.clientSecret === undefined
      ? { clientId: this.clientId }
      : { clientId: this.clientId, clientSecret: this.clientSecret };
  }

  /**
   * Refreshes the tokens. Single-flight: every caller while a refresh is under way shares it, and a
   * caller whose `stale` token was already replaced gets the new tokens without another refresh.
   * That matters because refresh tokens rotate: a second refresh with the spent token would be taken
   * for token theft and revoke the whole family (RFC 9700 §4.14.2).
   */
  refresh(stale?: string): Promise<Tokens> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh(stale).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(stale: string | undefined): Promise<Tokens> {
    const current = await this.tokens();
    if (stale !== undefined && current.access_token !== stale) return current;
    let fresh: Tokens;
    if (current.refresh_token !== undefined && this.clientId !== undefined) {
      fresh = await refreshTokens(
        { baseUrl: this.baseUrl, refreshToken: current.refresh_token, ...this.auth() },
        this.fetcher,
      );
      // A server may keep the refresh token unchanged (RFC 6749 §6); this one always rotates.
      if (fresh.refresh_token === undefined) fresh.refresh_token = current.refresh_token;
    } else if (this.useClientCredentials && this.clientId !== undefined && this.clientSecret !== undefined) {
      fresh = await clientCredentials(
        {
          baseUrl: this.baseUrl,
          clientId: this.clientId,
          clientSecret: this.clientSecret,
          ...(this.credentialsScope === undefined ? {} : { scope: this.credentialsScope }),
        },
        this.fetcher,
      );
    } else {
      throw new DfdaError("the access token expired and there is no refresh token to renew it: sign in again");
    }
    await this.store.save(fresh);
    return fresh;
  }

  /** Revokes the refresh token (its whole family) and the access token (RFC 7009), then forgets both. */
  async signOut(): Promise<void> {
    await this.ready;
    const tokens = await this.store.load();
    if (tokens && this.clientId !== undefined) {
      if (tokens.refresh_token)
        await revokeToken(
          { baseUrl: this.baseUrl, token: tokens.refresh_token, tokenTypeHint: "refresh_token", ...this.auth() },
          this.fetcher,
        );
      await revokeToken(
        { baseUrl: this.baseUrl, token: tokens.access_token, tokenTypeHint: "access_token", ...this.auth() },
        this.fetcher,
      );
    }
    await this.store.save(null);
  }

  // --- requests -------------------------------------------------------------------------------------

  /**
   * Sends a request with the access token: retried on 429/503 when repeatable (http.ts), and sent once
   * more after one refresh when the token was refused (401) though it looked valid (revoked, or the
   * clock is off). `replayable: false` (a streamed upload) sends the body exactly once.
   */
  async fetch(request: Request, options: { replayable?: boolean; signal?: AbortSignal } = {}): Promise<Response> {
    const replayable = options.replayable ?? true;
    const spare = replayable ? request.clone() : null;
    const token = await this.accessToken();
    const signed = (r: Request, t: string) => {
      const headers = new Headers(r.headers);
      headers.set("Authorization", `Bearer ${t}`);
      return new Request(r, { headers });
    };
    const policy = replayable ? this.retry : new RetryPolicy({ maxAttempts: 1 });
    const response = await fetchWithRetry(this.fetcher, signed(request, token), policy, options.signal);
    if (response.status !== 401 || spare === null) return response;
    const tokens = await this.tokens();
    if (!this.canRenew(tokens)) return response;
    await response.body?.cancel();
    const fresh = await this.refresh(token);
    return fetchWithRetry(this.fetcher, signed(spare, fresh.access_token), this.retry, options.signal);
  }

  /** Unwraps an openapi-fetch answer: the data, or the problem thrown as {@link DfdaProblem}. */
  async unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok || error !== undefined) {
      throw new DfdaProblem(
        response.status,
        typeof error === "object" && error !== null
          ? (error as Record<string, unknown>)
          : { detail: String(error ?? "") },
        response.headers.get("x-request-id"),
      );
    }
    return data as T;
  }

  /** Every item of a cursor-paged list (`{data, next_cursor}`, docs/api.md "Paging"), fetched as iterated. */
  async *paginate<T>(
    page: (cursor: string | undefined) => Promise<{ data: T[]; next_cursor?: string | null }>,
  ): AsyncGenerator<T> {
    let cursor: string | undefined;
    for (;;) {
      const { data, next_cursor } = await page(cursor);
      yield* data;
      if (!next_cursor) return;
      cursor = next_cursor;
    }
  }
}

export interface SendOptions {
  /** At most this many per request (default and maximum {@link MAX_BATCH}). */
  batchSize?: number;
  /** Write to another person's record through their `write` grant. */
  userId?: string;
  /** Wait for every job and return the finished jobs instead of the accepted ones. */
  wait?: boolean;
  /** With `wait`: each poll of each job. */
  onProgress?: JobProgress;
  /** Each accepted batch: how many observations have been sent so far. */
  onBatch?: (accepted: JobAccepted, sent: number) => void;
  signal?: AbortSignal;
}

class Observations {
  constructor(private readonly c: DfdaClient) {}

  /**
   * Sends observations from any iterable (an array, a generator, an async generator reading a file) in
   * batches within the server's limits: {@link MAX_BATCH} items and {@link MAX_BATCH_BYTES} of JSON.
   * Each batch carries its own `Idempotency-Key`, so a retry after a lost answer gets the same job back
   * rather than storing the batch twice. Returns the accepted jobs in order (or, with `wait`, the
   * finished ones). A batch the server refuses throws {@link DfdaProblem}; the batches before it stay.
   */
  async send(
    observations: Iterable<ObservationInput> | AsyncIterable<ObservationInput>,
    options: SendOptions = {},
  ): Promise<JobAccepted[] | IngestJob[]> {
    const batchSize = options.batchSize ?? MAX_BATCH;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH)
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH}`);
    // Room for `{"observations":[` … `]}` and the separators.
    const byteBudget = MAX_BATCH_BYTES - 1024;
    const encoder = new TextEncoder();
    const accepted: JobAccepted[] = [];
    let batch: ObservationInput[] = [];
    let bytes = 0;
    let sent = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const job = await this.c.unwrap(
        this.c.api.POST("/v1/ingest/observations", {
          params: {
            header: { "idempotency-key": idempotencyKey() },
            ...(options.userId === undefined ? {} : { query: { user_id: options.userId } }),
          },
          body: { observations: batch },
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }),
      );
      sent += batch.length;
      accepted.push(job);
      options.onBatch?.(job, sent);
      batch = [];
      bytes = 0;
    };
    for await (const item of observations) {
      const size = encoder.encode(JSON.stringify(item)).byteLength + 1;
      if (size > byteBudget) throw new RangeError(`an observation of ${size} bytes is larger than a whole batch`);
      if (bytes + size > byteBudget) await flush();
      batch.push(item);
      bytes += size;
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (!options.wait) return accepted;
    const done: IngestJob[] = [];
    for (const job of accepted)
      done.push(
        await this.c.jobs.wait(job.job_id, {
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        }),
      );
    return done;
  }

  /** The caller's observations newest first (filters: `variable` id or `system|code`, `from`, `to`, `source`, `user_id`); `limit` is the page size. */
  list(query: ObservationQuery = {}): AsyncGenerator<Observation> {
    return this.c.paginate((cursor) =>
      this.c.unwrap(
        this.c.api.GET("/v1/observations", { params: { query: cursor === undefined ? query : { ...query, cursor } } }),
      ),
    );
  }

  /** Count, min, max, mean, sum and the variable's combination per bucket (`hour`, `day`, `week`, `month`) in a zone. */
  summary(query: SummaryQuery): Promise<ObservationSummary> {
    return this.c.unwrap(this.c.api.GET("/v1/observations/summary", { params: { query } }));
  }
}

class Jobs {
  constructor(private readonly c: DfdaClient) {}

  get(id: string): Promise<IngestJob> {
    return this.c.unwrap(this.c.api.GET("/v1/ingest/jobs/{id}", { params: { path: { id } } }));
  }

  /** Polls until the job is final, backing off from 250 ms to 5 s; `onProgress` sees every poll. */
  async wait(id: string, options: WaitOptions & { onProgress?: JobProgress } = {}): Promise<IngestJob> {
    return poll(() => this.get(id), FINAL_JOB_STATES, `job ${id}`, options);
  }
}

async function poll<T extends { status: string }>(
  get: () => Promise<T>,
  final: ReadonlySet<string>,
  what: string,
  options: WaitOptions & { onProgress?: (value: T) => void },
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let delay = 250;
  for (;;) {
    const value = await get();
    options.onProgress?.(value);
    if (final.has(value.status)) return value;
    if (Date.now() > deadline)
      throw new DfdaError(`${what} is still ${value.status} after ${options.timeoutMs ?? 600_000} ms`);
    await sleep(delay, options.signal);
    delay = Math.min(delay * 1.6, 5000);
  }
}

/** What {@link Files.upload} takes: a stream (sent as it is read), a Blob/File, or bytes. */
export type UploadBody = ReadableStream<Uint8Array> | Blob | ArrayBuffer | Uint8Array | string;

export interface UploadOptions {
  /** The file's name (a File's own name by default); it helps detect the format. */
  name?: string;
  contentType?: string;
  /** Total bytes, when a stream's length is known (for progress). */
  size?: number;
  /** Bytes sent so far, as the body is read. */
  onProgress?: UploadProgress;
  /** Wait for the mapping job; it is then returned as `job`. */
  wait?: boolean;
  /** With `wait`: each poll of the mapping job. */
  onJobProgress?: JobProgress;
  signal?: AbortSignal;
}

/** Counts bytes as the fetch implementation pulls them from the stream. */
export function counting(
  stream: ReadableStream<Uint8Array>,
  total: number | undefined,
  onProgress: UploadProgress | undefined,
) {
  let sent = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        onProgress?.(sent, total);
        controller.enqueue(chunk);
      },
    }),
  );
}

/** Whether this runtime may send a streamed request body. Browsers need HTTP/2 for it (Fetch "duplex"), so they get whole bodies. */
export function canStreamUploads(): boolean {
  const g = globalThis as { document?: unknown; navigator?: { product?: string } };
  return g.document === undefined && g.navigator?.product !== "ReactNative";
}

class Files {
  constructor(private readonly c: DfdaClient) {}

  /**
   * Uploads a file as the raw request body (POST /v1/ingest/files?name=), streamed where the runtime
   * can (Node, Workers): the platform hashes and encrypts it as it arrives. A streamed body is sent once,
   * never retried (it cannot be rewound); the platform de-duplicates by content, so uploading the same
   * bytes again is safe and answers `existing: true` with the first file.
   */
  async upload(body: UploadBody, options: UploadOptions = {}): Promise<FileAccepted & { job?: IngestJob }> {
    let name = options.name;
    let contentType = options.contentType;
    let total = options.size;
    let payload: BodyInit;
    let streamed = false;
    if (body instanceof ReadableStream) {
      payload = counting(body, total, options.onProgress);
      streamed = true;
    } else if (body instanceof Blob) {
      total = body.size;
      contentType ??= body.type || undefined;
      const named = body as Blob & { name?: unknown };
      if (name === undefined && typeof named.name === "string") name = named.name;
      if (canStreamUploads()) {
        payload = counting(body.stream(), total, options.onProgress);
        streamed = true;
      } else {
        payload = body;
      }
    } else {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : new Uint8Array(body);
      total = bytes.byteLength;
      payload = bytes;
    }
    if (!streamed) options.onProgress?.(0, total);
    const url = new URL(`${this.c.baseUrl}/v1/ingest/files`);
    if (name !== undefined) url.searchParams.set("name", name);
    const init: RequestInit & { duplex?: "half" } = {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": contentType ?? "application/octet-stream" },
      body: payload,
      ...(streamed ? { duplex: "half" as const } : {}),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    const response = await this.c.fetch(new Request(url, init), {
      replayable: !streamed,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (!response.ok) throw await problemFrom(response);
    if (!streamed && total !== undefined) options.onProgress?.(total, total);
    const accepted = (await response.json()) as FileAccepted & { job?: IngestJob };
    if (options.wait && accepted.job_id) {
      accepted.job = await this.c.jobs.wait(accepted.job_id, {
        ...(options.onJobProgress === undefined ? {} : { onProgress: options.onJobProgress }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    }
    return accepted;
  }

  get(id: string): Promise<DfdaFile> {
    return this.c.unwrap(this.c.api.GET("/v1/files/{id}", { params: { path: { id } } }));
  }

  list(query: FileQuery = {}): AsyncGenerator<DfdaFile> {
    return this.c.paginate((cursor) =>
      this.c.unwrap(
        this.c.api.GET("/v1/files", { params: { query: cursor === undefined ? query : { ...query, cursor } } }),
      ),
    );
  }
}

class Exports {
  constructor(private readonly c: DfdaClient) {}

  /** Asks for an export (`json`, `csv`, `fhir-ndjson`; filters and `include_files` as POST /v1/me/exports takes). */
  create(request: ExportRequest, options: { userId?: string } = {}): Promise<ExportAccepted> {
    return this.c.unwrap(
      this.c.api.POST("/v1/me/exports", {
        body: { include_files: false, filters: {}, ...request },
        ...(options.userId === undefined ? {} : { params: { query: { user_id: options.userId } } }),
      }),
    );
  }

  get(id: string): Promise<Export> {
    return this.c.unwrap(this.c.api.GET("/v1/me/exports/{id}", { params: { path: { id } } }));
  }

  /** Polls until the export is completed (its `download_url` set); `failed` or `expired` throw {@link DfdaError}. */
  async wait(id: string, options: WaitOptions & { onProgress?: (e: Export) => void } = {}): Promise<Export> {
    const done = await poll(() => this.get(id), FINAL_EXPORT_STATES, `export ${id}`, options);
    if (done.status !== "completed") throw new DfdaError(`export ${id} ended ${done.status}`);
    return done;
  }

  /**
   * The completed export's bytes as a streamed Response. The signed `download_url` is the capability
   * (no bearer token is sent with it), valid until `expires_at`.
   */
  async download(exported: Export, options: { signal?: AbortSignal } = {}): Promise<Response> {
    const link = exported.download_url;
    if (typeof link !== "string") throw new DfdaError("the export has no download_url yet: wait for it to complete");
    const request = new Request(new URL(link, this.c.baseUrl), {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const response = await fetchWithRetry((r) => globalThis.fetch(r), request, this.c.retry, options.signal);
    if (!response.ok) throw await problemFrom(response);
    return response;
  }
}

class Variables {
  constructor(private readonly c: DfdaClient) {}

  list(query: VariableQuery = {}): AsyncGenerator<Variable> {
    return this.c.paginate((cursor) =>
      this.c.unwrap(
        this.c.api.GET("/v1/variables", { params: { query: cursor === undefined ? query : { ...query, cursor } } }),
      ),
    );
  }

  get(id: string) {
    return this.c.unwrap(this.c.api.GET("/v1/variables/{id}", { params: { path: { id } } }));
  }
}

export type { Exports, Files, Jobs, Observations, Variables };
