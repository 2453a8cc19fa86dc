/**
 * The portal's page (routes/app_portal.ts): one HTML document for /app and every deep link under it, with
 * a Content-Security-Policy that allows no inline script or style and nothing from another origin, and
 * the built script and stylesheet it names present among the Worker's static assets (packages/portal,
 * built on install). The portal itself is driven in Chromium in test/platform/portal.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, BASE, expectProblem } from "../../test/helpers";

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe("/app", () => {
  it("serves the portal's page at /app and at deep links, under a strict CSP", async () => {
    for (const path of ["/app", "/app/", "/app/upload", "/app/callback?code=x&state=y", "/app/no/such/page"]) {
      const response = await api(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(response.headers.get("referrer-policy"), path).toBe("no-referrer");
      const csp = directives(response.headers.get("content-security-policy") ?? "");
      expect(csp.get("default-src")).toEqual(["'none'"]);
      expect(csp.get("script-src")).toEqual(["'self'"]);
      expect(csp.get("style-src")).toEqual(["'self'"]);
      expect(csp.get("connect-src")).toEqual(["'self'"]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      const html = await response.text();
      // No inline script or style: every script has a src, no style element or attribute.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=/);
      expect(html).toContain('<script src="/app/assets/portal.js" defer></script>');
    }
  });

  it("names assets that the build put into the Worker's static assets, from this origin only", async () => {
    const html = await (await api("/app")).text();
    // Every URL the page loads, but the empty data: icon (which keeps browsers from asking for /favicon.ico).
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "").filter((u) => u !== "data:,");
    expect(urls).toEqual(expect.arrayContaining(["/app/assets/portal.css", "/app/assets/portal.js"]));
    for (const url of urls) {
      expect(url.startsWith("/"), url).toBe(true);
      const asset = await env.ASSETS.fetch(new Request(new URL(url, BASE)));
      if (url.startsWith("/app/assets/")) expect(asset.status, url).toBe(200);
      await asset.body?.cancel();
    }
  });

  it("answers a missing asset with a 404 problem, not the page", async () => {
    await expectProblem(await api("/app/assets/missing.js"), 404, "route_not_found");
  });
});
