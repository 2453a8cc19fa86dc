/**
 * Writes the web example's static files to a folder, for any static host:
 *
 *   npm run build -w examples/web -- --out dist --base-url https://api.example.org --client-id my-web-app
 *
 * `index.html` (with its Content-Security-Policy as a `<meta>` element), `app.js` and its source map,
 * `style.css` and `config.json`. Register the client with the URL the host serves `index.html` at,
 * with a trailing slash, as its redirect URI; have the host send `Content-Security-Policy` with
 * `frame-ancestors 'none'` and `Referrer-Policy: no-referrer` too (see serve.ts).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildSite } from "./site";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      "base-url": { type: "string" },
      "client-id": { type: "string" },
    },
  });
  const out = resolve(values.out ?? "dist");
  const files = await buildSite({
    baseUrl: values["base-url"] ?? process.env.DFDA_BASE_URL ?? "http://127.0.0.1:8787",
    clientId: values["client-id"] ?? process.env.DFDA_CLIENT_ID ?? "dfda-web-example",
  });
  await mkdir(out, { recursive: true });
  for (const [path, file] of files) {
    await writeFile(join(out, path === "/" ? "index.html" : path.slice(1)), file.body);
  }
  process.stdout.write(`${[...files.keys()].length} files in ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
