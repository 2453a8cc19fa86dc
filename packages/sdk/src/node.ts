/**
 * `@dfda/sdk/node`: what needs Node (20+): uploading a file by path, downloading an export to a path,
 * signing in through the system browser with a loopback redirect (RFC 8252 §7.3), and a token store in
 * a file only its owner can read. Everything of `@dfda/sdk` is re-exported.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, openAsBlob } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, dirname, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import { finishAuthorization, startAuthorization, type TokenStore, type Tokens } from "./auth";
import type { DfdaClient, Export, FileAccepted, IngestJob, UploadOptions } from "./client";
import { DfdaAuthError } from "./errors";
import { type ResumableUploadOptions, type Upload, uploadResumable } from "./resumable";

export * from "./index";

/** Uploads the file at `path`, streamed from disk with its size known (so progress has a total). */
export async function uploadPath(
  client: DfdaClient,
  path: string,
  options: UploadOptions = {},
): Promise<FileAccepted & { job?: IngestJob }> {
  const { size } = await stat(path);
  const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return client.files.upload(stream, { name: basename(path), ...options, size });
}

/**
 * Uploads the file at `path` with tus (resumable.ts), read from disk slice by slice (`fs.openAsBlob`),
 * so a dropped connection resumes from the server's offset; `uploadUrl` continues an earlier attempt.
 */
export async function uploadPathResumable(
  client: DfdaClient,
  path: string,
  options: ResumableUploadOptions = {},
): Promise<Upload & { url: string; job?: IngestJob }> {
  const blob = await openAsBlob(path);
  return uploadResumable(client, blob, { name: basename(path), ...options });
}

/** Writes a completed export to `path`, streamed; returns the bytes written. */
export async function downloadExport(client: DfdaClient, exported: Export, path: string): Promise<number> {
  const response = await client.exports.download(exported);
  let written = 0;
  const body = response.body;
  if (body === null) return 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        written += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  await counted.pipeTo(Writable.toWeb(createWriteStream(path)) as WritableStream<Uint8Array>);
  return written;
}

/** Tokens in a JSON file created with mode 0600 in a 0700 folder: they are bearer credentials. */
export class FileTokenStore implements TokenStore {
  readonly path: string;
  constructor(path: string) {
    this.path = resolve(path);
  }
  async load(): Promise<Tokens | null> {
    try {
      const parsed = JSON.parse(await readFile(this.path, "utf8")) as Tokens;
      return typeof parsed.access_token === "string" ? parsed : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }
  async save(tokens: Tokens | null): Promise<void> {
    if (tokens === null) {
      await rm(this.path, { force: true });
      return;
    }
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // Written whole to a private temporary file, then renamed: a reader never sees half a file.
    const tmp = `${this.path}.${randomBytes(4).toString("hex")}.tmp`;
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(JSON.stringify(tokens));
    } finally {
      await handle.close();
    }
    await rename(tmp, this.path);
  }
}

export interface LoopbackSignInOptions {
  baseUrl: string;
  clientId: string;
  scope?: string;
  /** 0 (default): the system picks a free port; the server accepts any port on a registered loopback URI. */
  port?: number;
  /** The path registered with the client (default `/callback`). */
  path?: string;
  /** Opens the authorization URL in the system browser (RFC 8252 §6); tests drive the pages instead. */
  openBrowser: (url: string) => void | Promise<void>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Authorization code + PKCE for a native app: listens on `http://127.0.0.1:<port><path>` (an IP
 * literal, not `localhost`, RFC 8252 §8.3), opens the browser, and redeems the code that comes back.
 */
export async function signInWithLoopback(options: LoopbackSignInOptions): Promise<Tokens> {
  const path = options.path ?? "/callback";
  let arrived: (url: URL) => void = () => undefined;
  let got = false;
  const redirect = new Promise<URL>((r) => {
    arrived = r;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== path) {
      res.writeHead(404).end();
      return;
    }
    const ok = url.searchParams.has("code");
    res.writeHead(ok ? 200 : 400, { "Content-Type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><title>dFDA</title><p>${ok ? "Signed in. You can close this window." : "Sign-in did not finish."}</p>`,
    );
    got = true;
    arrived(url);
  });
  await new Promise<void>((r) => server.listen(options.port ?? 0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  let timer: NodeJS.Timeout | undefined;
  try {
    const pending = await startAuthorization({
      baseUrl: options.baseUrl,
      clientId: options.clientId,
      redirectUri: `http://127.0.0.1:${port}${path}`,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DfdaAuthError("timeout", "the browser did not come back to the loopback redirect in time")),
        options.timeoutMs ?? 300_000,
      );
    });
    const opened = Promise.resolve(options.openBrowser(pending.url));
    // A browser opener that fails after the redirect has arrived (the tab closed) does not matter.
    const url = await Promise.race([
      redirect,
      timeout,
      opened.then(
        () => redirect,
        (error: unknown) => (got ? redirect : Promise.reject(error)),
      ),
    ]);
    return await finishAuthorization(pending, url, options.fetch);
  } finally {
    clearTimeout(timer);
    // Idle ones only: the browser may still be reading the "Signed in" page.
    server.closeIdleConnections();
    server.close();
  }
}
