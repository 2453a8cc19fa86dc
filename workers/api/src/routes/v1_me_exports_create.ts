import {
  ApiError,
  EXPORT_FORMAT_LIST,
  type ExportFilters,
  type ExportMessage,
  type FieldError,
  scopeSatisfies,
} from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import {
  activeExportCount,
  createExport,
  deleteExport,
  MAX_ACTIVE_EXPORTS,
  unknownCategories,
  unknownSources,
} from "@dfda/db/repositories/exports";
import { codingKey } from "@dfda/db/repositories/reference";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { protectedRoute } from "../lib/auth";
import { exportScope, OwnerQuery } from "../lib/exports";
import { InstantParam } from "../lib/observations";
import { referenceRepository } from "../lib/reference";
import { authErrorResponses, errorResponses, problemContent } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Slug = z.string().min(1).max(64);

const ExportRequest = z
  .object({
    format: z.enum(EXPORT_FORMAT_LIST).openapi({
      description:
        "`json`: one JSON document; `csv`: RFC 4180 with a header row; `fhir-ndjson`: one FHIR R4 Observation " +
        "per line, as in a FHIR Bulk Data export.",
    }),
    include_files: z
      .boolean()
      .default(false)
      .openapi({
        description:
          "Also include your original uploaded files, byte for byte: the download is then a ZIP archive with the " +
          "observations file, `files/<id>-<name>` and `manifest.json`. Needs the `files:read` scope too.",
      }),
    filters: z
      .object({
        variables: z
          .array(z.string().min(1).max(400))
          .max(100)
          .optional()
          .openapi({ description: "Variable ids, or codings as `system|code` (e.g. `http://loinc.org|8867-4`)." }),
        categories: z.array(Slug).max(50).optional().openapi({ description: "Category slugs (`vital_signs`)." }),
        from: InstantParam.optional().openapi({ description: "Earliest start_at (inclusive)." }),
        to: InstantParam.optional().openapi({ description: "Latest start_at (exclusive); after `from`." }),
        sources: z.array(Slug).max(50).optional().openapi({ description: "Source slugs." }),
      })
      .refine((f) => f.from === undefined || f.to === undefined || Date.parse(f.to) > Date.parse(f.from), {
        message: "Must be later than from",
        path: ["to"],
      })
      .default({})
      .openapi({ description: "Only observations matching all of these (each list: any of its items)." }),
  })
  .openapi("ExportRequest");

const ExportAccepted = z
  .object({
    export_id: z.uuid(),
    status: z.literal("queued"),
    status_url: z.string().openapi({ description: "Follow the export here (`GET`)." }),
  })
  .openapi("ExportAccepted");
export type ExportAcceptedResponse = z.infer<typeof ExportAccepted>;

export const route = createRoute({
  method: "post",
  path: "/v1/me/exports",
  operationId: "createMyExport",
  tags: ["Your data"],
  summary: "Export your data",
  description:
    "Starts an export of your observations (optionally filtered by variables, categories, a time window on " +
    "start_at and sources) as JSON, CSV or FHIR R4 NDJSON, optionally with your original files. The export is " +
    "built in the background and streamed, encrypted, into storage; follow it at `status_url`, whose " +
    "`download_url` (a signed link, valid 24 hours) appears when it is completed. At most three exports may " +
    "be queued or running at once. A custodian exports a dependent's data with `user_id`. Values held as pending " +
    "(named by a local code no mapping resolves yet) are exported too, after the observations, as received and " +
    'never converted: in JSON the `pending` array (`status: "pending"`, the local `code`), in CSV records with ' +
    "`status` `pending` and the coding in `code_system`, `code`, `code_display`, in FHIR NDJSON Observations with " +
    "status `preliminary` coded by the local coding. Filters by variables or categories name no pending value; " +
    "time and source filters apply to them.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read" }, (c) =>
    c.var.principal.kind === "user" ? { ownerId: c.var.principal.userId } : {},
  ),
  request: {
    query: z.object({ user_id: OwnerQuery }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: ExportRequest,
          example: {
            format: "fhir-ndjson",
            include_files: false,
            filters: { categories: ["vital_signs"], from: "2026-01-01T00:00:00Z" },
          },
        },
      },
    },
  },
  responses: {
    202: {
      description: "Queued.",
      headers: { Location: { schema: { type: "string" }, description: "The export's status URL." } },
      content: {
        "application/json": {
          schema: ExportAccepted,
          example: {
            export_id: "0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
            status: "queued",
            status_url: "http://127.0.0.1:8787/v1/me/exports/0193a0c3-4d5e-7f6a-8b7c-8d9e0f1a2b34",
          },
        },
      },
    },
    429: {
      description: "Three exports are already queued or running (`rate_limited`, with `Retry-After`).",
      content: problemContent,
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

type Filters = z.infer<typeof ExportRequest>["filters"];

function badField(path: string, message: string): FieldError {
  return { location: "body", path, pointer: `/${path.replace(/\./g, "/")}`, message };
}

/** The filters as stored: variables resolved to ids. Every unknown name is a 400 naming it. */
async function resolveFilters(c: Context<AppEnv>, tenantId: string, filters: Filters): Promise<ExportFilters> {
  const errors: FieldError[] = [];
  const stored: ExportFilters = {};
  if (filters.variables !== undefined) {
    const repo = await referenceRepository(c);
    const refs = filters.variables.map((raw) => {
      if (UUID.test(raw)) return { raw, id: raw.toLowerCase() };
      const bar = raw.indexOf("|");
      return bar > 0 && bar < raw.length - 1
        ? { raw, coding: { system: raw.slice(0, bar), code: raw.slice(bar + 1) } }
        : { raw };
    });
    const { byId, byCoding } = await repo.resolveVariables(
      refs.flatMap((r) => (r.id === undefined ? [] : [r.id])),
      refs.flatMap((r) => (r.coding === undefined ? [] : [r.coding])),
    );
    const ids: string[] = [];
    refs.forEach((ref, i) => {
      const found =
        ref.id !== undefined
          ? byId.get(ref.id)
          : ref.coding !== undefined
            ? byCoding.get(codingKey(ref.coding.system, ref.coding.code))
            : undefined;
      if (found === undefined)
        errors.push(badField(`filters.variables.${i}`, `Unknown variable ${JSON.stringify(ref.raw)}`));
      else if (!ids.includes(found.id)) ids.push(found.id);
    });
    stored.variables = ids;
  }
  const db = await c.var.db();
  if (filters.categories !== undefined) {
    const unknown = new Set(await unknownCategories(db, tenantId, filters.categories));
    filters.categories.forEach((slug, i) => {
      if (unknown.has(slug))
        errors.push(badField(`filters.categories.${i}`, `Unknown category ${JSON.stringify(slug)}`));
    });
    stored.categories = [...new Set(filters.categories)];
  }
  if (filters.sources !== undefined) {
    const unknown = new Set(await unknownSources(db, tenantId, filters.sources));
    filters.sources.forEach((slug, i) => {
      if (unknown.has(slug)) errors.push(badField(`filters.sources.${i}`, `Unknown source ${JSON.stringify(slug)}`));
    });
    stored.sources = [...new Set(filters.sources)];
  }
  if (filters.from !== undefined) stored.from = new Date(filters.from).toISOString();
  if (filters.to !== undefined) stored.to = new Date(filters.to).toISOString();
  if (errors.length > 0) {
    throw new ApiError("validation_failed", {
      detail: errors.map((e) => `${e.path}: ${e.message}`).join("; "),
      errors,
    });
  }
  return stored;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { user_id } = c.req.valid("query");
    const body = c.req.valid("json");
    const { principal, scope, via } = await exportScope(c, user_id);
    if (body.include_files && !scopeSatisfies(principal.scopes, "files:read")) {
      throw new ApiError("forbidden", {
        detail: "Including your original files needs the files:read scope too.",
        headers: { "WWW-Authenticate": 'Bearer realm="dfda", error="insufficient_scope", scope="files:read"' },
        extensions: { reason: "insufficient_scope" },
      });
    }
    const filters = await resolveFilters(c, scope.tenantId, body.filters);
    const db = await c.var.db();
    if ((await activeExportCount(db, scope)) >= MAX_ACTIVE_EXPORTS) {
      throw new ApiError("rate_limited", {
        detail: `At most ${MAX_ACTIVE_EXPORTS} exports can be queued or running at once; wait for one to finish.`,
        headers: { "Retry-After": "60" },
      });
    }
    const record = await createExport(db, {
      ...scope,
      requestedBy: principal.userId,
      format: body.format,
      filters,
      includeFiles: body.include_files,
    });
    const message: ExportMessage = {
      v: 1,
      type: "export",
      export_id: record.id,
      tenant_id: scope.tenantId,
      user_id: scope.userId,
      base_url: new URL(c.req.url).origin,
    };
    try {
      await c.env.EXPORTS_QUEUE.send(message, { contentType: "json" });
    } catch (error) {
      // Not queued: no export that would wait for ever.
      await deleteExport(db, scope, record.id);
      throw error;
    }
    await recordAudit(db, {
      tenantId: scope.tenantId,
      action: "export.create",
      outcome: "success",
      actorUserId: principal.userId,
      actorClientId: principal.clientId,
      subjectUserId: scope.userId,
      resourceType: "export",
      resourceId: record.id,
      requestId: c.var.requestId,
      // What was asked for, never data: the format, the filters (ids and slugs), and on whose behalf.
      details: { format: body.format, include_files: body.include_files, filters, via },
    });
    const statusUrl = new URL(`/v1/me/exports/${record.id}`, c.req.url);
    if (via === "custodian") statusUrl.searchParams.set("user_id", scope.userId);
    const response: ExportAcceptedResponse = {
      export_id: record.id,
      status: "queued",
      status_url: statusUrl.toString(),
    };
    return c.json(response, 202, { Location: statusUrl.toString(), "Cache-Control": "no-store" });
  });
}
