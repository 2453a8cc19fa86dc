/**
 * POST /v1/consents: the owner (or their custodian) shares data with a user, an OAuth client, a group
 * or a research study: which actions, which categories and/or variables, from which data window,
 * until when, for what purpose, under which consent document (its SHA-256; the document itself is
 * not stored). Modelled on FHIR R4 Consent (provision.actor, .action, .class/.code, .dataPeriod,
 * .period; sourceReference for the document). docs/consent.md.
 */
import { ApiError, GRANTEE_TYPES, VARIABLE_CATEGORY_SLUGS } from "@dfda/core";
import { createConsent, granteeExists } from "@dfda/db/repositories/consents";
import { codingKey } from "@dfda/db/repositories/reference";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { protectedRoute } from "../lib/auth";
import { ConsentSchema, OwnerQuery, ownerActedFor, toConsentResponse } from "../lib/consents";
import { exampleConsent } from "../lib/examples";
import { referenceRepository } from "../lib/reference";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

/** A plugin's id (its slug), as @dfda/plugins' `PluginId` spells it. */
const PLUGIN_SLUG = /^[a-z][a-z0-9-]{1,47}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const Instant = z.iso.datetime({
  offset: true,
  message: "An RFC 3339 date-time with offset, e.g. 2026-03-01T00:00:00Z",
});

const GrantBody = z
  .object({
    grantee: z
      .object({
        type: z.enum(GRANTEE_TYPES),
        id: z.string().min(1).max(200).openapi({ example: "0193a5c4-…" }),
      })
      .strict()
      .openapi({
        description:
          "Whom the grant names: a user id, a `client_id`, a group id, a study id, or the id (slug) of a plugin " +
          "enabled in the organisation (`n-of-1`): what the plugin may analyse for you (docs/plugins.md).",
      }),
    actions: z
      .array(z.enum(["read", "write"]))
      .min(1)
      .max(2)
      .refine((a) => new Set(a).size === a.length, "Each action once"),
    scope: z
      .object({
        categories: z.array(z.enum(VARIABLE_CATEGORY_SLUGS)).max(50).optional(),
        variables: z
          .array(z.string().min(1).max(400))
          .max(200)
          .optional()
          .openapi({ description: "Variable ids, or codings as `system|code` (e.g. `http://loinc.org|8867-4`)." }),
      })
      .strict()
      .refine((s) => (s.categories?.length ?? 0) + (s.variables?.length ?? 0) > 0, {
        message: "Name at least one category or variable",
      }),
    data_window: z
      .object({ from: Instant.optional(), to: Instant.optional() })
      .strict()
      .refine((w) => w.from === undefined || w.to === undefined || Date.parse(w.to) > Date.parse(w.from), {
        message: "Must be later than from",
        path: ["to"],
      })
      .optional(),
    expires_at: Instant.optional().openapi({ description: "The grant stops working at this instant (future)." }),
    purpose: z.string().min(1).max(500).optional(),
    document_hash: z
      .string()
      .regex(SHA256_HEX, "A SHA-256 digest as 64 lowercase hex digits")
      .optional()
      .openapi({ description: "SHA-256 (hex) of the consent document version accepted; required for a study." }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.grantee.type === "study" && b.document_hash === undefined) {
      ctx.addIssue({ code: "custom", path: ["document_hash"], message: "A study grant records its consent document" });
    }
    if (b.grantee.type === "study" && b.actions.includes("write")) {
      ctx.addIssue({ code: "custom", path: ["actions"], message: "Studies only read" });
    }
    if (b.grantee.type === "plugin") {
      if (!PLUGIN_SLUG.test(b.grantee.id)) {
        ctx.addIssue({ code: "custom", path: ["grantee", "id"], message: "Expected a plugin id (its slug)" });
      }
      // A plugin receives data to analyse; nothing it computes is written back as the person's data.
      if (b.actions.includes("write")) {
        ctx.addIssue({ code: "custom", path: ["actions"], message: "Plugins only read" });
      }
    } else if (b.grantee.type !== "client" && !UUID.test(b.grantee.id)) {
      ctx.addIssue({ code: "custom", path: ["grantee", "id"], message: "Expected a UUID" });
    }
  })
  .openapi("ConsentGrantRequest");

export const route = createRoute({
  method: "post",
  path: "/v1/consents",
  operationId: "createConsent",
  tags: ["Consent"],
  summary: "Share data: grant consent",
  description:
    "Grants a user (a clinician delegate), an OAuth client (an app acting for itself), a group, a research " +
    "study, or an analysis plugin enabled in the organisation (read only: what it may analyse for you) the actions `read` and/or `write` on the named categories and/or variables, only for data whose " +
    "start_at lies in `data_window`, until `expires_at`. Every later access by the grantee is decided against " +
    "the live grants by the owner's Durable Object and written to the owner's access log. A study grant gives " +
    "the owner a random per-study pseudonym: researchers never see who they are. The owner's custodian may " +
    "grant for the dependent (`user_id`).",
  ...protectedRoute({ scopes: ["consents:manage"] }),
  request: {
    query: OwnerQuery,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: GrantBody,
          example: {
            grantee: exampleConsent.grantee,
            actions: ["read"],
            scope: { categories: ["vital_signs"] },
            data_window: { from: "2026-01-01T00:00:00Z" },
            expires_at: "2027-12-31T00:00:00Z",
            purpose: "My cardiologist follows my resting heart rate.",
          },
        },
      },
    },
  },
  responses: {
    201: {
      description: "Granted.",
      content: {
        "application/json": {
          schema: ConsentSchema,
          example: exampleConsent,
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

function invalid(path: string, message: string, detail: string): ApiError {
  return new ApiError("validation_failed", {
    detail,
    errors: [{ location: "body", path, pointer: `/${path.replace(/\./g, "/")}`, message }],
  });
}

/** The variable ids named by id or by `system|code`, or a 400 naming the first unknown one. */
async function resolveVariableIds(c: Context<AppEnv>, names: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  const codings: Array<{ system: string; code: string; index: number }> = [];
  names.forEach((raw, index) => {
    if (UUID.test(raw)) {
      ids.push(raw.toLowerCase());
      return;
    }
    const bar = raw.indexOf("|");
    if (bar <= 0 || bar === raw.length - 1) {
      throw invalid(`scope.variables.${index}`, "Unknown variable", `Unknown variable ${JSON.stringify(raw)}.`);
    }
    codings.push({ system: raw.slice(0, bar), code: raw.slice(bar + 1), index });
  });
  const repo = await referenceRepository(c);
  const { byId, byCoding } = await repo.resolveVariables(ids, codings);
  const resolved = new Set<string>();
  for (const [index, raw] of names.entries()) {
    let found: string | undefined;
    if (UUID.test(raw)) found = byId.get(raw.toLowerCase())?.id;
    else {
      const coding = codings.find((x) => x.index === index);
      found = coding === undefined ? undefined : byCoding.get(codingKey(coding.system, coding.code))?.id;
    }
    if (found === undefined) {
      throw invalid(`scope.variables.${index}`, "Unknown variable", `Unknown variable ${JSON.stringify(raw)}.`);
    }
    resolved.add(found);
  }
  return [...resolved];
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { principal, ownerId } = await ownerActedFor(c, c.req.valid("query").user_id, "consent.grant");
    const db = await c.var.db();
    if (body.expires_at !== undefined && Date.parse(body.expires_at) <= Date.now()) {
      throw invalid("expires_at", "Must be in the future", "The grant would already have expired.");
    }
    if (!(await granteeExists(db, principal.tenantId, ownerId, body.grantee.type, body.grantee.id))) {
      throw invalid(
        "grantee.id",
        "No such grantee",
        `No ${body.grantee.type} ${JSON.stringify(body.grantee.id)} in this organisation (and not the owner).`,
      );
    }
    const variableIds = await resolveVariableIds(c, body.scope.variables ?? []);
    const row = await createConsent(db, {
      tenantId: principal.tenantId,
      ownerId,
      granteeType: body.grantee.type,
      granteeId:
        body.grantee.type === "client" || body.grantee.type === "plugin"
          ? body.grantee.id
          : body.grantee.id.toLowerCase(),
      actions: body.actions,
      categories: [...new Set(body.scope.categories ?? [])],
      variableIds,
      dataFrom: body.data_window?.from === undefined ? null : new Date(body.data_window.from),
      dataTo: body.data_window?.to === undefined ? null : new Date(body.data_window.to),
      expiresAt: body.expires_at === undefined ? null : new Date(body.expires_at),
      purpose: body.purpose ?? null,
      documentHash: body.document_hash ?? null,
      grantedBy: principal.userId,
      via: "api",
      actorClientId: principal.clientId,
      requestId: c.var.requestId,
      ip: c.req.header("CF-Connecting-IP") ?? null,
    });
    const location = new URL(`/v1/consents/${row.id}`, c.req.url).toString();
    return c.json(toConsentResponse(row), 201, { Location: location, "Cache-Control": "no-store" });
  });
}
