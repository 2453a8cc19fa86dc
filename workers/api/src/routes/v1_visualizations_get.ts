/**
 * GET /v1/visualizations/{kind} (issue 14, docs/plugins.md "Visualizations"): a chart as SVG, drawn by the
 * platform's charts plugin (plugins/charts, reached over the `PLUGIN_CHARTS` service binding).
 *
 * - `timeline` and `heatmap` draw observations: the table is read with the CALLER's own access rights
 *   (the owner, a custodian, or a grantee narrowed to what their live grants open), never with a plugin's
 *   grant. A variable the caller may not read is refused (403), not silently left out.
 * - `scatter`, `delay-curve` and `outcome-label` draw a stored analysis result (`analysis`): the person's
 *   own analyses only (an analysis is not observation data a grant shares).
 *
 * PNG (`format=png`): the SVG rasterized in this Worker, without a browser, by the charts plugin's resvg
 * WebAssembly build and its bundled fonts (plugins/charts/src/png.ts), loaded on the first PNG asked for.
 */
import { ApiError, type GrantScope, SYSTEM_TENANT_ID } from "@dfda/core";
import { findAnalysis } from "@dfda/db/repositories/analyses";
import { ObservationReader } from "@dfda/db/repositories/observations-read";
import { ZERO_FILLED_CATEGORIES } from "@dfda/db/repositories/plugin-data";
import {
  type AlignedTable,
  connectPlugin,
  type PluginEndpoint,
  type PluginManifest,
  type RenderRequest,
  VariableSlug,
  VISUALIZATION_KINDS,
} from "@dfda/plugins";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { Context } from "hono";
import { protectedRoute } from "../lib/auth";
import { exampleProblem, exampleSvg } from "../lib/examples";
import * as reads from "../lib/observations";
import { callPlugin } from "../lib/plugins";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A timeline of at most a week is drawn from hourly buckets, a longer one from daily buckets. */
const HOURLY_UP_TO = 7 * DAY;
/** The longest window a chart reads: ten years of days, or a year of hours for a heatmap. */
const MAX_DAYS = 3660;
const MAX_HEATMAP_DAYS = 366;
const TABLE_KINDS = new Set(["timeline", "heatmap"]);

const Query = z
  .object({
    variables: z
      .string()
      .max(900)
      .optional()
      .openapi({
        description:
          "timeline: up to 8 variable slugs, comma-separated (`heart-rate,steps`); heatmap: one. Default: the " +
          "variable the person recorded most recently.",
        example: "heart-rate,steps",
      }),
    from: reads.InstantParam.optional().openapi({ description: "Start of the window (default: `to` − 30 days)." }),
    to: reads.InstantParam.optional().openapi({ description: "End of the window, exclusive (default: now)." }),
    analysis: z
      .uuid()
      .optional()
      .openapi({ description: "scatter, delay-curve, outcome-label: one of your succeeded analyses." }),
    user_id: reads.UserIdParam,
    format: z
      .enum(["svg", "png"])
      .default("svg")
      .openapi({ description: "`png`: the same chart rasterized (at twice its size with `scale=2`)." }),
    scale: z.coerce.number().int().min(1).max(3).default(1).openapi({ description: "png: pixels per SVG unit." }),
    title: z.string().min(1).max(200).optional(),
    width: z.coerce.number().int().min(320).max(2000).optional(),
    height: z.coerce.number().int().min(200).max(2000).optional(),
    timezone: z.string().max(64).optional().openapi({ description: "heatmap: the IANA zone of hours and weekdays." }),
    top: z.coerce
      .number()
      .int()
      .min(1)
      .max(25)
      .optional()
      .openapi({ description: "outcome-label: predictors listed." }),
  })
  .refine(reads.toAfterFrom, { message: "Must be later than from", path: ["to"] });

export const route = createRoute({
  method: "get",
  path: "/v1/visualizations/{kind}",
  operationId: "getVisualization",
  tags: ["Analyses"],
  summary: "Draw a chart of your data or of an analysis",
  description:
    "An accessible SVG chart (title, description, axis labels) drawn by the charts plugin: a `timeline` of up to " +
    "eight variables or a `heatmap` of one by hour of day and weekday (from your observations, or with `user_id` " +
    "another person's that their consent grant lets you read), or a `scatter`, `delay-curve` or `outcome-label` " +
    "of one of your succeeded analyses (`analysis`).",
  ...protectedRoute({ scopes: ["observations:read"], action: "read", allowClients: true }, reads.readRequirement),
  request: {
    params: z.object({
      kind: z.enum(VISUALIZATION_KINDS).openapi({ param: { name: "kind", in: "path" }, example: "timeline" }),
    }),
    query: Query,
  },
  responses: {
    200: {
      description: "The chart.",
      content: {
        "image/svg+xml": { schema: z.string(), example: exampleSvg },
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    409: problemResponse(
      "The analysis has not succeeded (yet).",
      exampleProblem("conflict", { detail: "The analysis is running; charts draw a succeeded one." }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

/** The charts plugin's manifest, asked once per isolate (its `describe()`, validated by the client). */
let manifestOnce: Promise<PluginManifest> | null = null;

function chartsClient(env: object) {
  const endpoint: PluginEndpoint = { kind: "binding", stub: Reflect.get(env, "PLUGIN_CHARTS") };
  if (manifestOnce === null) {
    const asked = connectPlugin(endpoint, null).describe();
    // A failed describe is not remembered: the next request asks again.
    asked.catch(() => {
      manifestOnce = null;
    });
    manifestOnce = asked;
  }
  return manifestOnce.then((manifest) => connectPlugin(endpoint, manifest));
}

function badQuery(path: string, message: string, detail: string): ApiError {
  return new ApiError("validation_failed", {
    detail,
    errors: [{ location: "query", path, pointer: `/${path}`, message }],
  });
}

interface ChartVariable {
  id: string;
  slug: string;
  name: string;
  category: string;
  unit: string | null;
  combination: "sum" | "mean" | "last" | "max" | "min";
  isOutcome: boolean;
  isInputFactor: boolean;
}

/** The current numeric variables the tenant sees, by slug (the tenant's own before the platform's). */
async function variablesBySlug(c: Context<AppEnv>, tenantId: string, slugs: string[]): Promise<ChartVariable[]> {
  const db = await c.var.db();
  const { rows } = await db.execute<{
    id: string;
    slug: string;
    name: string;
    category: string;
    canonical_unit: string | null;
    combination_operation: ChartVariable["combination"];
    is_outcome: boolean;
    is_input_factor: boolean;
  }>(sql`
    select distinct on (v.slug) v.id, v.slug, v.name, c.slug as category, v.canonical_unit, v.combination_operation,
           v.is_outcome, v.is_input_factor
    from variables v join variable_categories c on c.id = v.category_id
    where v.valid_to is null and v.value_type = 'numeric' and v.tenant_id in (${tenantId}, ${SYSTEM_TENANT_ID})
      and v.slug = any(${sql.param(slugs)}::text[])
    order by v.slug, (v.tenant_id = ${tenantId}) desc`);
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    category: r.category,
    unit: r.canonical_unit,
    combination: r.combination_operation,
    isOutcome: r.is_outcome,
    isInputFactor: r.is_input_factor,
  }));
}

/** The slug of the numeric variable the person recorded most recently, or null. */
async function latestVariable(c: Context<AppEnv>, tenantId: string, owner: string, scope: GrantScope[] | undefined) {
  const db = await c.var.db();
  const { rows } = await db.execute<{ slug: string; category: string; id: string }>(sql`
    select v.slug, c.slug as category, v.id from observation_hourly h
    join variables v on v.id = h.variable_id and v.valid_to is null
    join variable_categories c on c.id = v.category_id
    where h.tenant_id = ${tenantId} and h.user_id = ${owner} and h.value_count > 0
    order by h.hour desc limit 50`);
  const readable = rows.find(
    (r) => scope === undefined || scope.some((s) => s.categories.includes(r.category) || s.variableIds.includes(r.id)),
  );
  return readable?.slug ?? null;
}

/** Builds the table of the variables over [from, to) from the caller's own view of the owner's data. */
async function tableOf(
  c: Context<AppEnv>,
  q: { tenantId: string; owner: string; variables: ChartVariable[]; from: number; to: number; hourly: boolean },
  scope: GrantScope[] | undefined,
): Promise<AlignedTable> {
  const size = q.hourly ? HOUR : DAY;
  const start = Math.floor(q.from / size) * size;
  const end = Math.ceil(q.to / size) * size;
  const count = Math.round((end - start) / size);
  const reader = new ObservationReader(await c.var.db(), { tenantId: q.tenantId, userId: q.owner });
  const columns = [];
  for (const v of q.variables) {
    const covering = scope?.filter((s) => s.categories.includes(v.category) || s.variableIds.includes(v.id));
    const summary = await reader.summary({
      variableId: v.id,
      from: new Date(start),
      to: new Date(end),
      bucket: q.hourly ? "hour" : "day",
      ...(covering !== undefined && { windows: covering.map((s) => ({ from: s.from, to: s.to })) }),
    });
    const values: Array<number | null> = new Array(count).fill(null);
    for (const b of summary.buckets) {
      const i = Math.round((b.start.getTime() - start) / size);
      if (i >= 0 && i < count) values[i] = b.value;
    }
    columns.push({
      slug: v.slug,
      name: v.name,
      category: v.category,
      unit: v.unit ?? "1",
      combination: v.combination,
      filling: ZERO_FILLED_CATEGORIES.has(v.category) ? ("zero" as const) : ("none" as const),
      is_outcome: v.isOutcome,
      is_input_factor: v.isInputFactor,
      values,
    });
  }
  return {
    resolution: q.hourly ? "hour" : "day",
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    times: Array.from({ length: count }, (_, i) => new Date(start + i * size).toISOString()),
    columns,
  };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { kind } = c.req.valid("param");
    const query = c.req.valid("query");
    const { principal, owner } = reads.callerAndOwner(c, query.user_id);
    const scope = reads.grantScope(c);
    const input: Record<string, unknown> = {};
    for (const key of ["title", "width", "height", "timezone", "top"] as const) {
      if (query[key] !== undefined) input[key] = query[key];
    }
    let request: RenderRequest;

    if (TABLE_KINDS.has(kind)) {
      if (query.analysis !== undefined) {
        throw badQuery("analysis", "Not for this kind", `A ${kind} draws observations, not an analysis.`);
      }
      const slugs =
        query.variables === undefined
          ? [await latestVariable(c, principal.tenantId, owner, scope)].filter((s): s is string => s !== null)
          : [...new Set(query.variables.split(",").map((s) => s.trim()))];
      const limit = kind === "heatmap" ? 1 : 8;
      if (slugs.length > limit || slugs.some((s) => !VariableSlug.safeParse(s).success)) {
        throw badQuery("variables", "Invalid list", `Give 1 to ${limit} variable slugs, comma-separated.`);
      }
      const variables = slugs.length === 0 ? [] : await variablesBySlug(c, principal.tenantId, slugs);
      const unknown = slugs.filter((s) => !variables.some((v) => v.slug === s));
      if (unknown.length > 0) {
        throw badQuery("variables", "Unknown variable", `No numeric variable ${unknown.join(", ")}.`);
      }
      // Category-limited tokens, and grantees: every variable must be readable, or the request is refused.
      const categories = reads.readableCategories(principal, owner);
      const refused = variables.filter(
        (v) =>
          (categories !== undefined && !categories.includes(v.category)) ||
          (scope !== undefined &&
            !scope.some((s) => s.categories.includes(v.category) || s.variableIds.includes(v.id))),
      );
      if (refused.length > 0) {
        throw new ApiError("forbidden", {
          detail: `Not readable with this token or grant: ${refused.map((v) => v.slug).join(", ")}.`,
          extensions: { reason: "out_of_scope" },
        });
      }
      const to = query.to === undefined ? Date.now() : Date.parse(query.to);
      const from = query.from === undefined ? to - 30 * DAY : Date.parse(query.from);
      const maxDays = kind === "heatmap" ? MAX_HEATMAP_DAYS : MAX_DAYS;
      if (to - from > maxDays * DAY) {
        throw badQuery("from", "Window too long", `A ${kind} spans at most ${maxDays} days.`);
      }
      const hourly = kind === "heatmap" || to - from <= HOURLY_UP_TO;
      const table = await tableOf(c, { tenantId: principal.tenantId, owner, variables, from, to, hourly }, scope);
      if (kind === "timeline" && slugs.length > 0) input.variables = slugs;
      if (kind === "heatmap" && slugs[0] !== undefined) input.variable = slugs[0];
      request = { protocol: 1, kind, input, table, analysis: null };
    } else {
      if (query.analysis === undefined) {
        throw badQuery("analysis", "Required", `A ${kind} draws an analysis: give its id.`);
      }
      // An analysis is its person's own: a grant to read observations does not show it.
      if (principal.kind !== "user" || owner !== principal.userId) {
        throw new ApiError("forbidden", {
          detail: "Analyses are drawn for their own person only.",
          extensions: { reason: "not_owner" },
        });
      }
      const analysis = await findAnalysis(
        await c.var.db(),
        { tenantId: principal.tenantId, userId: owner },
        query.analysis,
      );
      if (analysis === null) throw new ApiError("not_found", { detail: `No analysis ${query.analysis}.` });
      if (analysis.status !== "succeeded") {
        throw new ApiError("conflict", { detail: `The analysis is ${analysis.status}; charts draw a succeeded one.` });
      }
      request = { protocol: 1, kind, input, table: null, analysis: analysis.result ?? null };
    }

    const client = await callPlugin(() => chartsClient(c.env));
    const result = await callPlugin(() => client.render(request), "query");
    if (query.format === "png") {
      // Loaded on demand: the rasterizer and its fonts are large, and most charts are asked for as SVG.
      const { rasterize, RasterizeError } = await import("@dfda/plugin-charts/png");
      let png: Uint8Array;
      try {
        png = await rasterize(result.body, { scale: query.scale });
      } catch (error) {
        if (!(error instanceof RasterizeError)) throw error;
        throw new ApiError("format_unsupported", { detail: `This chart cannot be drawn as PNG: ${error.message}` });
      }
      return c.body(new Uint8Array(png), 200, {
        "Content-Type": "image/png",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
    }
    return c.body(result.body, 200, {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      // An SVG opened directly must not run anything (it carries none; this keeps it so).
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  });
}
