/**
 * Serves the web example on a loopback address for development and for its test:
 *
 *   npm run dev -w examples/web -- --base-url http://127.0.0.1:8787 --client-id dfda-web-example
 *
 * Options (or the environment): `--port` (PORT, default 5173; 0 picks a free one), `--base-url`
 * (DFDA_BASE_URL, default http://127.0.0.1:8787), `--client-id` (DFDA_CLIENT_ID, default
 * dfda-web-example). The app's redirect URI is `http://127.0.0.1:<port>/`: register the client with
 * exactly that (README, "Examples"). Prints the app's URL on stdout once it listens.
 *
 * Only GET and HEAD of the site's own files are answered. Each answer carries the page's
 * Content-Security-Policy (site.ts), `Referrer-Policy: no-referrer` (the page's address briefly holds
 * the authorization code, which must not leak in a Referer; RFC 9700 §4.2.4) and `Cache-Control:
 * no-store`.
 */
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildSite, contentSecurityPolicy, type SiteOptions } from "./site";

export interface Running {
  url: string;
  server: Server;
}

/** Builds the site and serves it on 127.0.0.1:`port`; resolves once it listens. */
export async function serve(options: SiteOptions & { port: number }): Promise<Running> {
  const files = await buildSite(options);
  const policy = contentSecurityPolicy(options.baseUrl, true);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const common = {
      "Content-Security-Policy": policy,
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...common, Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" });
      response.end("Method not allowed\n");
      return;
    }
    const file = files.get(path === "/index.html" ? "/" : path);
    if (!file) {
      response.writeHead(404, { ...common, "Content-Type": "text/plain; charset=utf-8" });
      response.end("Not found\n");
      return;
    }
    response.writeHead(200, { ...common, "Content-Type": file.contentType, "Content-Length": file.body.byteLength });
    response.end(request.method === "HEAD" ? undefined : file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the server has no TCP address");
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "base-url": { type: "string" },
      "client-id": { type: "string" },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? "5173");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port ${values.port} is not a port`);
  const running = await serve({
    port,
    baseUrl: values["base-url"] ?? process.env.DFDA_BASE_URL ?? "http://127.0.0.1:8787",
    clientId: values["client-id"] ?? process.env.DFDA_CLIENT_ID ?? "dfda-web-example",
  });
  process.stdout.write(`${running.url}\n`);
  const stop = () => running.server.close(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Run as a script (`tsx serve.ts`), not imported.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
