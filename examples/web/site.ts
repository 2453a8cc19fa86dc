/**
 * The web example's static files, built in memory: `src/app.ts` bundled with the SDK by esbuild into
 * one ES module (`app.js`), the page, its stylesheet, and `config.json` naming the platform and the
 * OAuth client. serve.ts serves them; build.ts writes them to a folder any static host can serve.
 *
 * The Content-Security-Policy (CSP Level 3) lets the page run only its own script and stylesheet and
 * talk only to itself and the platform: no inline script or style, no other origin. It goes in a
 * `<meta>` element of the page (so a static host without headers still applies it) and, from
 * serve.ts, also as a header, which alone can carry `frame-ancestors` (CSP3 §6.4.2; a page with
 * tokens must not be framed by another site).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface SiteOptions {
  /** The platform's origin, e.g. http://127.0.0.1:8787. */
  baseUrl: string;
  /** The public OAuth client registered with this app's redirect URI (`dfda client create --public`). */
  clientId: string;
}

export interface SiteFile {
  body: Uint8Array;
  contentType: string;
}

const SRC = fileURLToPath(new URL("./src/", import.meta.url));

/** The platform's origin from a base URL; refuses anything but an absolute http(s) URL. */
export function platformOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`--base-url ${baseUrl} is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--base-url ${baseUrl} is not http(s)`);
  return url.origin;
}

/** The page's policy; `forHeader` adds what only a header can carry. */
export function contentSecurityPolicy(baseUrl: string, forHeader = false): string {
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${platformOrigin(baseUrl)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (forHeader) directives.push("frame-ancestors 'none'");
  return directives.join("; ");
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

/** Every file of the site by its URL path (`/`, `/app.js`, …). */
export async function buildSite(options: SiteOptions): Promise<Map<string, SiteFile>> {
  const origin = platformOrigin(options.baseUrl);
  if (!/^[A-Za-z0-9._~-]{3,128}$/.test(options.clientId))
    throw new Error(`--client-id ${options.clientId} is not a client id (3-128 of A-Z a-z 0-9 . _ ~ -)`);
  const bundle = await build({
    entryPoints: { app: `${SRC}app.ts` },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2023",
    outdir: "/",
    sourcemap: "linked",
    // The SDK's browser entry only: a Node built-in reaching the bundle is a build error, not a runtime one.
    logLevel: "silent",
  });
  const encoder = new TextEncoder();
  const files = new Map<string, SiteFile>();
  for (const output of bundle.outputFiles) {
    const name = output.path.slice(output.path.lastIndexOf("/"));
    const contentType = name.endsWith(".map") ? "application/json" : "text/javascript; charset=utf-8";
    files.set(name, { body: output.contents, contentType });
  }
  const page = (await readFile(`${SRC}index.html`, "utf8")).replace(
    "<!-- content-security-policy -->",
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(options.baseUrl))}">`,
  );
  files.set("/", { body: encoder.encode(page), contentType: "text/html; charset=utf-8" });
  files.set("/style.css", {
    body: await readFile(`${SRC}style.css`),
    contentType: "text/css; charset=utf-8",
  });
  files.set("/favicon.svg", { body: await readFile(`${SRC}favicon.svg`), contentType: "image/svg+xml" });
  files.set("/config.json", {
    body: encoder.encode(`${JSON.stringify({ baseUrl: origin, clientId: options.clientId })}\n`),
    contentType: "application/json",
  });
  return files;
}
