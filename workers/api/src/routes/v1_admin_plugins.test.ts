/**
 * The plugin registry: administrators register a plugin through a real service binding (the template
 * plugin, an auxiliary Worker, over Workers RPC) or an HTTPS URL (signed with the platform's key and
 * verified by the plugin against the published JWKS), list, disable and remove it; people see the enabled
 * ones of their own tenant; bad manifests and unreachable plugins answer problems; every change is
 * audited; nobody else's tenant is ever touched.
 */
import { env } from "cloudflare:workers";
import type { DbHandle } from "@dfda/db";
import { findPlugin } from "@dfda/db/repositories/plugins";
import type { AlignedTable } from "@dfda/plugins";
import { servePluginHttp } from "@dfda/plugins";
import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TEMPLATE_MANIFEST } from "../../../../plugins/template/src/manifest";
import { templatePlugin } from "../../../../plugins/template/src/plugin";
import { api, BASE, expectProblem, json, testDb } from "../../test/helpers";
import {
  adminToken as adminTokenFor,
  makeClient,
  makeTenant,
  makeUser,
  type TestTenant,
  userToken,
} from "../../test/identity";
import { registeredPluginClient } from "../lib/plugins";
import { authConfig } from "../oauth/config";

let handle: DbHandle;
let tenant: TestTenant;
let adminToken: string;
let personToken: string;
let foreignAdminToken: string;
let foreignPersonToken: string;

beforeAll(async () => {
  handle = await testDb();
  tenant = await makeTenant();
  const client = await makeClient(tenant, { type: "public", scopes: ["openid", "tenant:manage", "consents:read"] });
  const foreign = await makeTenant();
  const foreignClient = await makeClient(foreign, { type: "public", scopes: ["openid", "tenant:manage"] });
  [adminToken, personToken, foreignAdminToken, foreignPersonToken] = await Promise.all([
    adminTokenFor(client, await makeUser(tenant, ["admin", "data_owner"]), "tenant:manage"),
    userToken(client, await makeUser(tenant), "openid consents:read"),
    adminTokenFor(foreignClient, await makeUser(foreign, ["admin"]), "tenant:manage"),
    userToken(foreignClient, await makeUser(foreign), "openid"),
  ]);
}, 120_000);
afterAll(async () => handle.close());
afterEach(() => vi.restoreAllMocks());

function call(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? adminToken : init.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  return api(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

interface Registered {
  id: string;
  kind: string;
  version: string;
  enabled: boolean;
  service_binding: string | null;
  url: string | null;
  manifest: { id: string; input_schema: unknown };
  created_at: string;
  updated_at: string;
}

async function auditActions(resourceId: string): Promise<{ action: string; outcome: string }[]> {
  const { rows } = await handle.client.query<{ action: string; outcome: string }>(
    "select action, outcome from audit_log where tenant_id = $1 and resource_type = 'plugin' and resource_id = $2 order by occurred_at, seq",
    [tenant.id, resourceId],
  );
  return rows;
}

const table: AlignedTable = {
  resolution: "day",
  start: "2026-03-01T00:00:00.000Z",
  end: "2026-03-05T00:00:00.000Z",
  times: [
    "2026-03-01T00:00:00.000Z",
    "2026-03-02T00:00:00.000Z",
    "2026-03-03T00:00:00.000Z",
    "2026-03-04T00:00:00.000Z",
  ],
  columns: [
    {
      slug: "heart-rate",
      name: "Heart rate",
      category: "vital_signs",
      unit: "/min",
      combination: "mean",
      filling: "none",
      is_outcome: true,
      is_input_factor: false,
      values: [60, null, 70, 65],
    },
  ],
};

describe("registering over a service binding", () => {
  it("calls describe() over RPC, stores the manifest, and a client then runs the plugin with it", async () => {
    const res = await call("/v1/admin/plugins", { method: "POST", body: { service_binding: "PLUGIN_TEMPLATE" } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get("Location")).toBe("/v1/admin/plugins/template");
    const body = await json<Registered>(res);
    expect(body).toMatchObject({
      id: "template",
      version: TEMPLATE_MANIFEST.version,
      enabled: true,
      service_binding: "PLUGIN_TEMPLATE",
      url: null,
    });
    expect(body.manifest).toEqual(JSON.parse(JSON.stringify(TEMPLATE_MANIFEST)));

    const row = await findPlugin(handle.db, tenant.id, "template");
    if (row === null) throw new Error("not stored");
    const client = registeredPluginClient(row, env, handle.db, authConfig(env, BASE));
    expect(await client.plan({ variables: ["heart-rate"], days: 30 })).toEqual({
      variables: ["heart-rate"],
      all_in_categories: [],
      resolution: "day",
      days: 30,
    });
    const output = await client.run({ protocol: 1, input: { variables: ["heart-rate", "steps"] }, table });
    expect(output).toEqual({
      resolution: "day",
      window: { start: table.start, end: table.end },
      variables: [
        {
          slug: "heart-rate",
          name: "Heart rate",
          unit: "/min",
          n: 3,
          buckets: 4,
          coverage: 0.75,
          mean: 65,
          sd: 5,
          min: 60,
          median: 65,
          max: 70,
          first: "2026-03-01T00:00:00.000Z",
          last: "2026-03-04T00:00:00.000Z",
        },
      ],
      missing: ["steps"],
    });
    // Input its schema refuses never reaches the plugin.
    await expect(client.plan({ variables: [] })).rejects.toMatchObject({ code: "plugin_invalid_input" });

    // Registering again updates it (200) and keeps a disabled plugin disabled.
    expect((await call("/v1/admin/plugins/template", { method: "PATCH", body: { enabled: false } })).status).toBe(200);
    const again = await call("/v1/admin/plugins", { method: "POST", body: { service_binding: "PLUGIN_TEMPLATE" } });
    expect(again.status).toBe(200);
    const updated = await json<Registered>(again);
    expect(updated.enabled).toBe(false);
    expect(updated.created_at).toBe(body.created_at);
    expect(Date.parse(updated.updated_at)).toBeGreaterThanOrEqual(Date.parse(body.updated_at));
    expect((await call("/v1/admin/plugins/template", { method: "PATCH", body: { enabled: true } })).status).toBe(200);

    expect(await auditActions("template")).toEqual([
      { action: "admin.plugin.register", outcome: "success" },
      { action: "admin.plugin.disable", outcome: "success" },
      { action: "admin.plugin.register", outcome: "success" },
      { action: "admin.plugin.enable", outcome: "success" },
    ]);
  });

  it("registers the reference plugins over the API's own bindings (PLUGIN_N_OF_1, PLUGIN_CHARTS)", async () => {
    for (const [binding, id, kind] of [
      ["PLUGIN_N_OF_1", "n-of-1", "analysis"],
      ["PLUGIN_CHARTS", "charts", "visualization"],
    ] as const) {
      const res = await call("/v1/admin/plugins", { method: "POST", body: { service_binding: binding } });
      expect(res.status, await res.clone().text()).toBe(201);
      expect(await json<Registered>(res)).toMatchObject({ id, kind, service_binding: binding, enabled: true });
    }
  });

  it("refuses a binding the Worker does not have, and any binding that is not a PLUGIN_* one", async () => {
    const missing = await expectProblem(
      await call("/v1/admin/plugins", { method: "POST", body: { service_binding: "PLUGIN_NOT_THERE" } }),
      422,
      "binding_not_found",
    );
    expect(missing.errors).toEqual([expect.objectContaining({ pointer: "/service_binding" })]);
    for (const binding of ["USER_WRITER", "HYPERDRIVE", "FILES"]) {
      await expectProblem(
        await call("/v1/admin/plugins", { method: "POST", body: { service_binding: binding } }),
        400,
        "validation_failed",
      );
    }
    await expectProblem(
      await call("/v1/admin/plugins", {
        method: "POST",
        body: { service_binding: "PLUGIN_TEMPLATE", url: "https://x.test" },
      }),
      400,
      "validation_failed",
    );
  });
});

describe("registering over HTTPS", () => {
  const url = "https://plugins.example.test/template";

  /** The plugin at `url`, reached through the Worker's `fetch`, verifying the platform's signature against its JWKS. */
  async function servePlugin(plugin: Parameters<typeof servePluginHttp>[0]) {
    const jwks = await json<JSONWebKeySet>(await api("/.well-known/jwks.json"));
    const keys = createLocalJWKSet(jwks);
    const seen: { method: string; authorization: string | null }[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      if (!request.url.startsWith(url)) return realFetch(input, init);
      seen.push({ method: new URL(request.url).pathname, authorization: request.headers.get("Authorization") });
      return servePluginHttp(plugin, request, { issuer: authConfig(env, BASE).issuer, audience: url, keys });
    });
    return seen;
  }

  it("signs describe() with the platform's key; the plugin verifies it against the published JWKS", async () => {
    const seen = await servePlugin({
      ...templatePlugin,
      describe: () => ({ ...TEMPLATE_MANIFEST, id: "template-https" }),
    });
    const res = await call("/v1/admin/plugins", { method: "POST", body: { url } });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await json<Registered>(res)).toMatchObject({ id: "template-https", url, service_binding: null });
    expect(seen).toEqual([{ method: "/template/describe", authorization: expect.stringMatching(/^Bearer ey/) }]);

    const row = await findPlugin(handle.db, tenant.id, "template-https");
    if (row === null) throw new Error("not stored");
    const client = registeredPluginClient(row, env, handle.db, authConfig(env, BASE));
    const output = (await client.run({ protocol: 1, input: { variables: ["heart-rate"] }, table })) as {
      variables: { mean: number }[];
    };
    expect(output.variables[0]?.mean).toBe(65);
  });

  it("answers an unreachable plugin, a plugin that refuses, and a bad manifest as problems, audited", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValueOnce(new TypeError("Network connection lost."));
    await expectProblem(await call("/v1/admin/plugins", { method: "POST", body: { url } }), 502, "plugin_unreachable");

    // Made inside the call: workerd refuses to read a body made in another request's context.
    vi.spyOn(globalThis, "fetch").mockImplementationOnce(
      async () =>
        new Response(JSON.stringify({ title: "Unauthorized", detail: "bad signature" }), {
          status: 401,
          headers: { "Content-Type": "application/problem+json" },
        }),
    );
    const refused = await expectProblem(
      await call("/v1/admin/plugins", { method: "POST", body: { url } }),
      502,
      "plugin_failed",
    );
    expect(refused.detail).toContain("bad signature");

    await servePlugin({ describe: () => ({ ...TEMPLATE_MANIFEST, id: "Not A Slug", version: "one" }) });
    const invalid = await expectProblem(
      await call("/v1/admin/plugins", { method: "POST", body: { url } }),
      422,
      "invalid_manifest",
    );
    expect(invalid.errors?.map((e) => e.pointer).sort()).toEqual(["/id", "/version"]);
    expect(invalid.errors?.every((e) => e.location === "manifest")).toBe(true);

    vi.restoreAllMocks();
    await servePlugin({
      describe: () => ({ ...TEMPLATE_MANIFEST, id: "broken-schema", input_schema: { $ref: "#/$defs/nowhere" } }),
    });
    const unusable = await expectProblem(
      await call("/v1/admin/plugins", { method: "POST", body: { url } }),
      422,
      "invalid_manifest",
    );
    expect(unusable.errors).toEqual([expect.objectContaining({ pointer: "/input_schema" })]);
    expect(await findPlugin(handle.db, tenant.id, "broken-schema")).toBeNull();

    expect(await auditActions(url)).toEqual([
      { action: "admin.plugin.register", outcome: "failure" },
      { action: "admin.plugin.register", outcome: "failure" },
      { action: "admin.plugin.register", outcome: "failure" },
      { action: "admin.plugin.register", outcome: "failure" },
    ]);
  });

  it("takes only https URLs without credentials, query or fragment", async () => {
    for (const bad of [
      "http://plugins.example.test/x",
      "https://user:pw@plugins.example.test/x",
      "https://plugins.example.test/x?a=1",
      "https://plugins.example.test/x#f",
      "ftp://plugins.example.test/x",
      "https://127.0.0.1/x",
      "not a uri",
    ]) {
      await expectProblem(
        await call("/v1/admin/plugins", { method: "POST", body: { url: bad } }),
        400,
        "validation_failed",
      );
    }
  });
});

describe("who sees and changes plugins", () => {
  it("lists the enabled plugins of the caller's own tenant to people, with what each reads, not how it is reached", async () => {
    const reg = await call("/v1/admin/plugins", { method: "POST", body: { service_binding: "PLUGIN_TEMPLATE" } });
    expect(reg.status).toBeLessThan(300);
    const listed = await json<{ data: Record<string, unknown>[] }>(await call("/v1/plugins", { token: personToken }));
    const template = listed.data.find((p) => p.id === "template");
    expect(template).toMatchObject({
      kind: "analysis",
      data: { categories: TEMPLATE_MANIFEST.data.categories, resolutions: ["day"] },
    });
    expect(template).not.toHaveProperty("service_binding");
    expect(JSON.stringify(listed)).not.toContain("PLUGIN_TEMPLATE");

    // Another tenant sees none of them, as a person or as an administrator.
    const foreignList = await json<{ data: unknown[] }>(await call("/v1/plugins", { token: foreignPersonToken }));
    expect(foreignList.data).toEqual([]);
    const foreignAdminList = await json<{ data: unknown[] }>(
      await call("/v1/admin/plugins", { token: foreignAdminToken }),
    );
    expect(foreignAdminList.data).toEqual([]);

    // Disabled: gone from people's list, still in the administrators'.
    expect((await call("/v1/admin/plugins/template", { method: "PATCH", body: { enabled: false } })).status).toBe(200);
    const after = await json<{ data: { id: string }[] }>(await call("/v1/plugins", { token: personToken }));
    expect(after.data.map((p) => p.id)).not.toContain("template");
    const adminList = await json<{ data: { id: string; enabled: boolean }[] }>(await call("/v1/admin/plugins"));
    expect(adminList.data.find((p) => p.id === "template")?.enabled).toBe(false);
    expect((await call("/v1/admin/plugins/template", { method: "PATCH", body: { enabled: true } })).status).toBe(200);
  });

  it("refuses people, other tenants' administrators and anonymous callers on the administrators' routes", async () => {
    await call("/v1/admin/plugins", { method: "POST", body: { service_binding: "PLUGIN_TEMPLATE" } });
    const routes: [string, string, unknown?][] = [
      ["POST", "/v1/admin/plugins", { service_binding: "PLUGIN_TEMPLATE" }],
      ["GET", "/v1/admin/plugins"],
      ["GET", "/v1/admin/plugins/template"],
      ["PATCH", "/v1/admin/plugins/template", { enabled: false }],
      ["DELETE", "/v1/admin/plugins/template"],
    ];
    for (const [method, path, body] of routes) {
      await expectProblem(await call(path, { method, body, token: personToken }), 403, "forbidden");
      await expectProblem(await call(path, { method, body, token: null }), 401, "unauthorized");
    }
    for (const [method, path, body] of routes.slice(2)) {
      await expectProblem(await call(path, { method, body, token: foreignAdminToken }), 404, "not_found");
    }
    await expectProblem(await call("/v1/plugins", { token: null }), 401, "unauthorized");
    // Nothing changed: still registered and enabled here.
    expect((await findPlugin(handle.db, tenant.id, "template"))?.enabled).toBe(true);
  });

  it("removes a plugin, audited; then it is gone", async () => {
    await call("/v1/admin/plugins", { method: "POST", body: { service_binding: "PLUGIN_TEMPLATE" } });
    expect((await call("/v1/admin/plugins/template", { method: "DELETE" })).status).toBe(204);
    await expectProblem(await call("/v1/admin/plugins/template"), 404, "not_found");
    await expectProblem(await call("/v1/admin/plugins/template", { method: "DELETE" }), 404, "not_found");
    expect((await auditActions("template")).at(-1)).toEqual({ action: "admin.plugin.delete", outcome: "success" });
    await expectProblem(await call("/v1/admin/plugins/NOT-A-SLUG"), 400, "validation_failed");
  });
});
