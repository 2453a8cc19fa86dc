/**
 * `npm start` registering the API's plugins in the development tenant (scripts/local-plugins.ts), against
 * the test database: the template plugin stands in for a bound plugin (its manifest read from its source,
 * as for n-of-1 and charts), a binding without a plugin Worker is skipped, and a second start changes
 * nothing.
 */
import { fileURLToPath } from "node:url";
import { connect, type DbHandle } from "@dfda/db";
import { createTenant } from "@dfda/db/repositories/identity";
import { findPlugin } from "@dfda/db/repositories/plugins";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TEMPLATE_MANIFEST } from "../plugins/template/src/manifest";
import { pluginManifest, pluginServices, registerLocalPlugins } from "./local-plugins";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const databaseUrl = inject("databaseUrl");
let handle: DbHandle;

beforeAll(async () => {
  handle = await connect(databaseUrl);
});
afterAll(async () => handle.close());

describe("registerLocalPlugins", () => {
  it("reads the API's PLUGIN_* bindings from the root wrangler.toml", () => {
    expect(pluginServices(ROOT)).toEqual(
      expect.arrayContaining([
        { binding: "PLUGIN_N_OF_1", service: "dfda-plugin-n-of-1" },
        { binding: "PLUGIN_CHARTS", service: "dfda-plugin-charts" },
      ]),
    );
  });

  it("finds the manifests of the plugins the API binds in their sources", async () => {
    for (const { service } of pluginServices(ROOT)) {
      const { manifest } = await pluginManifest(ROOT, service);
      expect(`dfda-plugin-${manifest.id}`).toBe(service);
    }
  });

  it("registers a bound plugin from its source manifest once, keeps a disabled one disabled, skips a missing one", async () => {
    const slug = `plugins-${Date.now().toString(36)}`;
    const tenant = await createTenant(handle.db, { slug, name: "Plugins" });
    const lines: string[] = [];
    const services = [
      { binding: "PLUGIN_TEMPLATE", service: "dfda-plugin-template" },
      { binding: "PLUGIN_NOWHERE", service: "dfda-plugin-nowhere" },
    ];
    const first = await registerLocalPlugins(databaseUrl, slug, { root: ROOT, services, log: (l) => lines.push(l) });
    expect(first).toEqual(["template"]);
    expect(lines.some((l) => l.includes("PLUGIN_NOWHERE: not registered"))).toBe(true);
    const row = await findPlugin(handle.db, tenant.id, "template");
    expect(row).toMatchObject({ serviceBinding: "PLUGIN_TEMPLATE", version: TEMPLATE_MANIFEST.version, enabled: true });
    expect(row?.manifest).toEqual(JSON.parse(JSON.stringify(TEMPLATE_MANIFEST)));

    await handle.client.query("update plugins set enabled = false where tenant_id = $1", [tenant.id]);
    expect(await registerLocalPlugins(databaseUrl, slug, { root: ROOT, services })).toEqual([]);
    expect((await findPlugin(handle.db, tenant.id, "template"))?.enabled).toBe(false);
    const { rows } = await handle.client.query<{ n: string }>(
      "select count(*) as n from audit_log where tenant_id = $1 and action = 'admin.plugin.register'",
      [tenant.id],
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });
});
