/**
 * The demo connector's vendor for `npm start`: Oura's local fake (`@dfda/connectors/fakes`, the one the
 * tests use) served over HTTP on 127.0.0.1:8790, with a month of data up to the present (a heart rate
 * every 5 minutes, daily steps and SpO2). Its authorize page approves at once and sends the browser back
 * to the API's callback. Clearly a demo: it holds no real account and is never deployed.
 */
import { createServer, type Server } from "node:http";
import { DEMO_CLIENT, DEMO_VENDOR_ORIGIN } from "@dfda/connectors";
import { FakeOura } from "@dfda/connectors/fakes";

/** Starts the fake vendor; resolves once it listens (rejects when the port is taken). */
export async function startDemoVendor(port = Number(new URL(DEMO_VENDOR_ORIGIN).port)): Promise<Server> {
  const vendor = new FakeOura({
    ...DEMO_CLIENT,
    now: new Date(),
    days: 30,
    heartRateEveryMinutes: 5,
    pageSize: 1000,
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      // The demo's data runs up to the present.
      vendor.now = new Date();
      const body = chunks.length > 0 && req.method !== "GET" ? new Uint8Array(Buffer.concat(chunks)) : null;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      void vendor
        .fetch(new Request(`http://127.0.0.1:${port}${req.url ?? "/"}`, { method: req.method ?? "GET", headers, body }))
        .then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}
