/**
 * The plugin registry (issue 14, docs/plugins.md "The registry"): a tenant's administrators register,
 * list, enable, disable and remove the plugins their people may use. Registering names how the platform
 * reaches the plugin (a `PLUGIN_*` service binding of the API Worker, or an HTTPS URL), calls the
 * plugin's `describe()`, validates the manifest it answers and stores it; registering the same plugin id
 * again updates it (a new version). Every change is audited.
 */
import { ApiError, type FieldError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import {
  deletePlugin,
  findPlugin,
  listPlugins,
  type PluginRow,
  setPluginEnabled,
  upsertPlugin,
} from "@dfda/db/repositories/plugins";
import {
  connectPlugin,
  PLUGIN_KINDS,
  PluginCallError,
  PluginId,
  type PluginManifest,
  schemaProblem,
} from "@dfda/plugins";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_TIME, exampleProblem, exampleRegisteredPlugin } from "../lib/examples";
import { PLUGIN_BINDING_PATTERN, pluginEndpoint, pluginProblem } from "../lib/plugins";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";
import { configOf } from "../oauth/http";

const admin = protectedRoute({ scopes: ["tenant:manage"], anyRole: ["admin"] });

export const RegisteredPluginSchema = z
  .object({
    id: z.string().openapi({ example: "n-of-1", description: "The plugin's id (its manifest's `id`)." }),
    name: z.string().openapi({ example: "N-of-1 predictor → outcome analysis" }),
    kind: z.enum(PLUGIN_KINDS),
    version: z.string().openapi({ example: "1.0.0" }),
    enabled: z.boolean(),
    service_binding: z.string().nullable().openapi({ example: "PLUGIN_N_OF_1" }),
    url: z.string().nullable().openapi({ example: null }),
    manifest: z.record(z.string(), z.unknown()).openapi({ description: "The manifest `describe()` answered." }),
    registered_by: z.uuid().nullable(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi("RegisteredPlugin");
type RegisteredPlugin = z.infer<typeof RegisteredPluginSchema>;

export function registeredPlugin(row: PluginRow): RegisteredPlugin {
  return {
    id: row.slug,
    name: row.name,
    kind: row.kind as RegisteredPlugin["kind"],
    version: row.version,
    enabled: row.enabled,
    service_binding: row.serviceBinding,
    url: row.url,
    manifest: row.manifest,
    registered_by: row.registeredBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * `https:` only, no user information (a password in a URL would be stored and shown), no query or
 * fragment (the methods are paths below it: `<url>/run`). At most 2,000 characters.
 */
const PluginUrl = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain })
  .max(2000)
  .refine((value) => {
    // zod runs a refinement even after `url` refused the value, so the parse is guarded here.
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    return url.username === "" && url.password === "" && url.search === "" && url.hash === "";
  }, "an https URL without credentials, query or fragment")
  .openapi({ example: "https://plugins.example.org/my-plugin" });

const RegisterBody = z
  .union([
    z
      .object({
        service_binding: z.string().regex(PLUGIN_BINDING_PATTERN, "a binding named PLUGIN_<NAME>").openapi({
          example: "PLUGIN_N_OF_1",
          description: "A service binding of the API Worker (workers/api/wrangler.toml `[[services]]`).",
        }),
      })
      .strict(),
    z
      .object({
        url: PluginUrl.openapi({ description: "The plugin's HTTPS base URL; the platform signs each request." }),
      })
      .strict(),
  ])
  .openapi("PluginRegistration");

const IdParams = z.object({
  // The manifest's id grammar (@dfda/plugins PluginId), in the OpenAPI-aware zod.
  id: z
    .string()
    .refine((id) => PluginId.safeParse(id).success, "lowercase letters, digits and '-' (2–48)")
    .openapi({ param: { name: "id", in: "path" }, example: "n-of-1", pattern: "^[a-z][a-z0-9-]{1,47}$" }),
});

const pluginProblems = {
  422: problemResponse(
    "`binding_not_found` (the API Worker has no such binding) or `invalid_manifest` (the plugin answered a manifest " +
      "the platform does not accept; `errors` points into it).",
    exampleProblem("binding_not_found", { detail: "The API Worker has no service binding PLUGIN_SLEEP." }),
  ),
  502: problemResponse(
    "The plugin could not be used: `plugin_unreachable`, `plugin_failed`, `plugin_invalid_output`, `plugin_output_too_large`.",
    exampleProblem("plugin_unreachable", { detail: "The plugin could not be reached: connection refused" }),
  ),
  504: problemResponse(
    "`plugin_timeout`: describe() did not answer in time.",
    exampleProblem("plugin_timeout", { detail: "describe() did not answer in time." }),
  ),
} as const;

export const registerRoute = createRoute({
  method: "post",
  path: "/v1/admin/plugins",
  operationId: "registerPlugin",
  tags: ["Administration"],
  summary: "Register a plugin, or update a registered one",
  description:
    "Calls the plugin's `describe()` over the service binding or the URL (signed as every call is), validates the " +
    "manifest (docs/plugins.md) and stores it in this tenant. A new plugin starts enabled (201); a plugin id already " +
    "registered is updated to what it answers now, its endpoint and version included, and keeps its enabled state (200).",
  ...admin,
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: RegisterBody, example: { service_binding: "PLUGIN_N_OF_1" } } },
    },
  },
  responses: {
    200: {
      description: "Updated.",
      content: {
        "application/json": {
          schema: RegisteredPluginSchema,
          example: { ...exampleRegisteredPlugin, updated_at: EXAMPLE_TIME },
        },
      },
    },
    201: {
      description: "Registered.",
      content: { "application/json": { schema: RegisteredPluginSchema, example: exampleRegisteredPlugin } },
      headers: z.object({ Location: z.string() }),
    },
    ...errorResponses,
    ...authErrorResponses,
    ...pluginProblems,
  },
});

export const listRoute = createRoute({
  method: "get",
  path: "/v1/admin/plugins",
  operationId: "listAdminPlugins",
  tags: ["Administration"],
  summary: "The tenant's registered plugins",
  ...admin,
  responses: {
    200: {
      description: "Every plugin of the tenant, enabled or not, by id.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(RegisteredPluginSchema) }),
          example: { data: [exampleRegisteredPlugin] },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const getRoute = createRoute({
  method: "get",
  path: "/v1/admin/plugins/{id}",
  operationId: "getAdminPlugin",
  tags: ["Administration"],
  summary: "One registered plugin, with its manifest",
  ...admin,
  request: { params: IdParams },
  responses: {
    200: {
      description: "The plugin.",
      content: { "application/json": { schema: RegisteredPluginSchema, example: exampleRegisteredPlugin } },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const patchRoute = createRoute({
  method: "patch",
  path: "/v1/admin/plugins/{id}",
  operationId: "updateAdminPlugin",
  tags: ["Administration"],
  summary: "Enable or disable a plugin",
  description:
    "A disabled plugin is not listed to people (GET /v1/plugins), cannot be granted data and is not run; its stored " +
    "analyses and the grants to it stay.",
  ...admin,
  request: {
    params: IdParams,
    body: {
      required: true,
      content: {
        "application/json": { schema: z.object({ enabled: z.boolean() }).strict(), example: { enabled: false } },
      },
    },
  },
  responses: {
    200: {
      description: "The plugin, changed.",
      content: {
        "application/json": {
          schema: RegisteredPluginSchema,
          example: { ...exampleRegisteredPlugin, enabled: false, updated_at: EXAMPLE_TIME },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/admin/plugins/{id}",
  operationId: "deleteAdminPlugin",
  tags: ["Administration"],
  summary: "Remove a plugin from the tenant",
  description: "Nothing calls it any more. Its stored analyses stay; registering it again brings it back.",
  ...admin,
  request: { params: IdParams },
  responses: { 204: { description: "Removed." }, ...errorResponses, ...authErrorResponses },
});

function adminOf(c: Context<AppEnv>): { tenantId: string; userId: string | null; clientId: string } {
  const p = c.var.principal;
  if (p.kind === "anonymous") throw new ApiError("unauthorized");
  return { tenantId: p.tenantId, userId: p.kind === "user" ? p.userId : null, clientId: p.clientId };
}

/** The manifest's problems as field errors pointing into it (location `manifest`). */
function manifestErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldError[] {
  return issues.slice(0, 20).map((issue) => {
    const segments = issue.path.map((p) => String(p));
    return {
      location: "manifest",
      path: segments.join("."),
      pointer:
        segments.length === 0 ? "" : `/${segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`,
      message: issue.message,
    };
  });
}

/**
 * The manifest a plugin answers, validated: the protocol's shape (zod, `PluginManifest`), and input and
 * output schemas the platform can validate with. A PluginCallError `plugin_invalid_output` from
 * `describe()` is an invalid manifest here: the administrator is told what is wrong with it.
 */
async function describePlugin(
  c: Context<AppEnv>,
  endpoint: { serviceBinding: string | null; url: string | null },
): Promise<PluginManifest> {
  const db = await c.var.db();
  const client = connectPlugin(pluginEndpoint(endpoint, c.env, db, configOf(c)), null);
  let raw: PluginManifest;
  try {
    raw = await client.describe();
  } catch (error) {
    if (error instanceof PluginCallError && error.code === "plugin_invalid_output") {
      throw new ApiError("invalid_manifest", {
        detail: "describe() answered something that is not a valid manifest.",
        errors: (error.errors ?? []).map((e) => ({
          location: "manifest",
          path: e.path.replace(/^\//, "").split("/").join("."),
          pointer: e.path,
          message: e.message,
        })),
        cause: error,
      });
    }
    if (error instanceof PluginCallError) throw pluginProblem(error);
    throw error;
  }
  const problems: FieldError[] = [];
  for (const key of ["input_schema", "output_schema"] as const) {
    const problem = schemaProblem(raw[key]);
    if (problem !== null)
      problems.push(...manifestErrors([{ path: [key], message: `Not a usable JSON Schema: ${problem}` }]));
  }
  if (problems.length > 0)
    throw new ApiError("invalid_manifest", { detail: "The manifest's schemas cannot be used.", errors: problems });
  return raw;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(registerRoute, async (c) => {
    const { tenantId, userId, clientId } = adminOf(c);
    const body = c.req.valid("json");
    const endpoint =
      "service_binding" in body
        ? { serviceBinding: body.service_binding, url: null }
        : { serviceBinding: null, url: body.url };
    if (endpoint.serviceBinding !== null && Reflect.get(c.env, endpoint.serviceBinding) === undefined) {
      throw new ApiError("binding_not_found", {
        detail: `The API Worker has no service binding ${endpoint.serviceBinding}.`,
        errors: [
          {
            location: "body",
            path: "service_binding",
            pointer: "/service_binding",
            message: "No such binding in this Worker.",
          },
        ],
      });
    }
    const db = await c.var.db();
    let manifest: PluginManifest;
    try {
      manifest = await describePlugin(c, endpoint);
    } catch (error) {
      if (error instanceof ApiError) {
        await recordAudit(db, {
          tenantId,
          action: "admin.plugin.register",
          outcome: "failure",
          actorUserId: userId,
          actorClientId: clientId,
          resourceType: "plugin",
          resourceId: endpoint.serviceBinding ?? endpoint.url,
          requestId: c.var.requestId,
          details: { reason: error.code },
        });
      }
      throw error;
    }
    const { row, created } = await db.transaction(async (tx) => {
      const result = await upsertPlugin(tx, tenantId, {
        slug: manifest.id,
        name: manifest.name,
        kind: manifest.kind,
        version: manifest.version,
        serviceBinding: endpoint.serviceBinding,
        url: endpoint.url,
        manifest,
        registeredBy: userId,
      });
      await recordAudit(tx, {
        tenantId,
        action: "admin.plugin.register",
        outcome: "success",
        actorUserId: userId,
        actorClientId: clientId,
        resourceType: "plugin",
        resourceId: manifest.id,
        requestId: c.var.requestId,
        details: {
          version: manifest.version,
          previous_version: result.previousVersion,
          service_binding: endpoint.serviceBinding,
          url: endpoint.url,
          categories: manifest.data.categories,
        },
      });
      return result;
    });
    if (created) {
      return c.json(registeredPlugin(row), 201, { Location: `/v1/admin/plugins/${row.slug}` });
    }
    return c.json(registeredPlugin(row), 200);
  });

  app.openapi(listRoute, async (c) => {
    const { tenantId } = adminOf(c);
    const rows = await listPlugins(await c.var.db(), tenantId);
    return c.json({ data: rows.map(registeredPlugin) }, 200, { "Cache-Control": "no-store" });
  });

  app.openapi(getRoute, async (c) => {
    const { tenantId } = adminOf(c);
    const { id } = c.req.valid("param");
    const row = await findPlugin(await c.var.db(), tenantId, id);
    if (row === null) throw new ApiError("not_found", { detail: `No plugin ${id} in this organisation.` });
    return c.json(registeredPlugin(row), 200, { "Cache-Control": "no-store" });
  });

  app.openapi(patchRoute, async (c) => {
    const { tenantId, userId, clientId } = adminOf(c);
    const { id } = c.req.valid("param");
    const { enabled } = c.req.valid("json");
    const db = await c.var.db();
    const row = await db.transaction(async (tx) => {
      const changed = await setPluginEnabled(tx, tenantId, id, enabled);
      if (changed === null) return null;
      await recordAudit(tx, {
        tenantId,
        action: enabled ? "admin.plugin.enable" : "admin.plugin.disable",
        outcome: "success",
        actorUserId: userId,
        actorClientId: clientId,
        resourceType: "plugin",
        resourceId: id,
        requestId: c.var.requestId,
      });
      return changed;
    });
    if (row === null) throw new ApiError("not_found", { detail: `No plugin ${id} in this organisation.` });
    return c.json(registeredPlugin(row), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { tenantId, userId, clientId } = adminOf(c);
    const { id } = c.req.valid("param");
    const db = await c.var.db();
    const removed = await db.transaction(async (tx) => {
      const row = await deletePlugin(tx, tenantId, id);
      if (row === null) return null;
      await recordAudit(tx, {
        tenantId,
        action: "admin.plugin.delete",
        outcome: "success",
        actorUserId: userId,
        actorClientId: clientId,
        resourceType: "plugin",
        resourceId: id,
        requestId: c.var.requestId,
        details: { version: row.version },
      });
      return row;
    });
    if (removed === null) throw new ApiError("not_found", { detail: `No plugin ${id} in this organisation.` });
    return c.body(null, 204);
  });
}
