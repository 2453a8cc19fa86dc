import { ApiError, COMBINATION_OPERATIONS } from "@dfda/core";
import { ObservationReader, type Summary, type SummaryBucket } from "@dfda/db/repositories/observations-read";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import * as reads from "../lib/observations";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

/** The most buckets one request may span. */
export const MAX_BUCKETS = 10_000;

const BUCKETS = ["hour", "day", "week", "month"] as const satisfies readonly SummaryBucket[];

const HOUR_MS = 3_600_000;
/** Nominal bucket lengths, for counting the buckets of a window (a DST day is within an hour of it). */
const BUCKET_MS: Record<Exclude<SummaryBucket, "month">, number> = {
  hour: HOUR_MS,
  day: 24 * HOUR_MS,
  week: 7 * 24 * HOUR_MS,
};

/** IANA names only (`Europe/Berlin`, `UTC`, `Etc/GMT+5`): no bare offsets, which PostgreSQL reads POSIX-inverted. */
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Whether the runtime knows the time zone (`Intl` throws a RangeError for an unknown one). */
export function isTimeZone(name: string): boolean {
  if (!TIME_ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** How many buckets of the kind the window [from, to) spans. */
export function bucketCount(from: Date, to: Date, bucket: SummaryBucket): number {
  if (bucket === "month") {
    const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()) + 1;
    return Math.max(1, months);
  }
  return Math.ceil((to.getTime() - from.getTime()) / BUCKET_MS[bucket]);
}

export const route = createRoute({
  method: "get",
  path: "/v1/observations/summary",
  operationId: "summarizeObservations",
  tags: ["Observations"],
  summary: "Summarize one variable per hour, day, week or month",
  description:
    "Per time bucket of the window (`from` inclusive, `to` exclusive): count, min, max, mean and sum of the " +
    "numeric values, and `value`, the values combined as the variable's `combination_operation` says (steps " +
    "add up, heart rate averages, weight takes the bucket's last reading). Buckets start at local midnight (local " +
    "Monday for weeks, the local first of the month) in `tz`; buckets without observations are omitted. " +
    "Values flagged invalid are left out unless `include_invalid=true`; outliers are real measurements and count. " +
    "A censored value (`comparator` set, e.g. `<5`) is counted in `count` but adds nothing to `min`, `max`, `mean`, " +
    "`sum` or `value`: its bound is not its value. " +
    `A window may span at most ${MAX_BUCKETS.toLocaleString("en")} buckets. With \`user_id\`, another person's ` +
    "record through their consent grant: only from the granted data window.",
  ...protectedRoute({ scopes: ["observations:read"], action: "read", allowClients: true }, reads.readRequirement),
  request: {
    query: z
      .object({
        variable: reads.VariableParam,
        from: reads.InstantParam.openapi({
          description: "Start of the window (inclusive).",
          example: "2026-03-01T00:00:00Z",
        }),
        to: reads.InstantParam.openapi({
          description: "End of the window (exclusive); after `from`.",
          example: "2026-03-08T00:00:00Z",
        }),
        bucket: z.enum(BUCKETS).default("day").openapi({ description: "Bucket width." }),
        tz: z
          .string()
          .max(64)
          .refine(isTimeZone, "An IANA time zone name, e.g. America/New_York")
          .default("UTC")
          .openapi({ description: "IANA time zone the buckets align to.", example: "America/New_York" }),
        include_invalid: z
          .enum(["true", "false"])
          .default("false")
          .openapi({ description: "Also count values flagged invalid (outside the valid range)." }),
        user_id: reads.UserIdParam,
      })
      .refine(reads.toAfterFrom, { message: "Must be later than from", path: ["to"] }),
  },
  responses: {
    200: {
      description: "The buckets, oldest first.",
      content: {
        "application/json": {
          schema: z
            .object({
              variable: z.object({
                id: z.uuid(),
                slug: z.string().openapi({ example: "steps" }),
                unit: z.string().nullable().openapi({ description: "Canonical UCUM unit of every number below." }),
                combination_operation: z.enum(COMBINATION_OPERATIONS),
              }),
              bucket: z.enum(BUCKETS),
              tz: z.string(),
              data: z.array(
                z.object({
                  start: z.iso.datetime({ offset: true }).openapi({ description: "The bucket's first instant." }),
                  count: z.number().int(),
                  min: z.number().nullable(),
                  max: z.number().nullable(),
                  mean: z.number().nullable(),
                  sum: z.number().nullable(),
                  value: z.number().nullable().openapi({ description: "Combined per `combination_operation`." }),
                }),
              ),
            })
            .openapi("ObservationSummary"),
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export type SummaryResponse = z.infer<(typeof route.responses)[200]["content"]["application/json"]["schema"]>;

/** PostgreSQL's "invalid_parameter_value": here, a zone name the runtime knows and the database does not. */
function isUnknownZoneError(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return typeof cause === "object" && cause !== null && (cause as { code?: unknown }).code === "22023";
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const query = c.req.valid("query");
    const { principal, owner } = reads.callerAndOwner(c, query.user_id);
    const from = new Date(query.from);
    const to = new Date(query.to);
    const buckets = bucketCount(from, to, query.bucket);
    if (buckets > MAX_BUCKETS) {
      throw new ApiError("validation_failed", {
        detail: `The window spans ${buckets.toLocaleString("en")} ${query.bucket} buckets; at most ${MAX_BUCKETS.toLocaleString("en")} are allowed. Use a wider bucket or a shorter window.`,
        errors: [{ location: "query", path: "bucket", pointer: "/bucket", message: "Too many buckets in the window" }],
      });
    }
    const variable = await reads.requireVariable(c, query.variable);
    const observations = new ObservationReader(await c.var.db(), { tenantId: principal.tenantId, userId: owner });
    // Through a grant: only the windows of the grants covering this variable (the decision narrowed them).
    const windows = reads.grantScope(c)?.map((s) => ({ from: s.from, to: s.to }));
    let summary: Summary;
    try {
      summary = await observations.summary({
        ...(windows !== undefined && { windows }),
        variableId: variable.id,
        from,
        to,
        bucket: query.bucket,
        tz: query.tz,
        includeInvalid: query.include_invalid === "true",
      });
    } catch (error) {
      if (!isUnknownZoneError(error)) throw error;
      throw new ApiError("validation_failed", {
        detail: `The database does not know the time zone ${JSON.stringify(query.tz)}.`,
        errors: [{ location: "query", path: "tz", pointer: "/tz", message: "Unknown time zone" }],
      });
    }
    const body: SummaryResponse = {
      variable: {
        id: variable.id,
        slug: variable.slug,
        unit: variable.canonicalUnit,
        combination_operation: summary.combinationOperation ?? variable.combinationOperation,
      },
      bucket: query.bucket,
      tz: query.tz,
      data: summary.buckets.map((b) => ({
        start: b.start.toISOString(),
        count: b.count,
        min: b.min,
        max: b.max,
        mean: b.mean,
        sum: b.sum,
        value: b.value,
      })),
    };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
}
