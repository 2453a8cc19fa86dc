/**
 * POST /v1/consents: the owner (or their custodian) shares data with a user, an OAuth client, a group
 * or a research study: which actions, which categories and/or variables, from which data window,
 * until when, for what purpose, under which consent document (its SHA-256; the document itself is
 * not stored). Modelled on FHIR R4 Consent (provision.actor, .action, .class/.code, .dataPeriod,
 * .period; sourceReference for the document). docs/consent.md.
 */
import { ApiError, GRANTEE_TYPES, type Principal, VARIABLE_CATEGORY_SLUGS } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { createConsent, granteeExists, personByVerifiedEmail } from "@dfda/db/repositories/consents";
import { codingKey } from "@dfda/db/repositories/reference";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { protectedRoute } from "../lib/auth";
import { ConsentSchema, OwnerQuery, ownerActedFor, toConsentResponse } from "../lib/consents";
import { exampleConsent } from "../lib/examples";
import { overLimit, rateLimitedError } from "../lib/rate-limit";
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
        id: z.string().min(1).max(200).optional().openapi({ example: "0193a5c4-…" }),
        email: z
          .email()
          .max(320)
          .optional()
          .openapi({
            description:
              "Instead of `id`, for a person only: their verified e-mail address in this organisation, looked up by " +
              "the platform. Only in the platform's own apps (403 `first_party_only` otherwise), at most " +
              "10 a minute per person (429), and every lookup is audited. An address that names no one answers the " +
              "same 400 whatever the reason (no account, not verified, disabled, the owner).",
            example: "dr.lee@example.org",
          }),
      })
      .strict()
      .openapi({
        description:
          "Whom the grant names: a user id, a `client_id`, a group id, a study id, or the id (slug) of a plugin " +
          "enabled in the organisation (`n-of-1`): what the plugin may analyse for you (docs/plugins.md). A person " +
          "may be named by `email` instead of `id`.",
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
    if ((b.grantee.id === undefined) === (b.grantee.email === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["grantee", "id"],
        message: "Name the grantee by id or (a person) by email",
      });
      return;
    }
    if (b.grantee.email !== undefined) {
      if (b.grantee.type !== "user") {
        ctx.addIssue({ code: "custom", path: ["grantee", "email"], message: "Only a person is named by e-mail" });
      }
    } else if (b.grantee.type === "plugin") {
      if (!PLUGIN_SLUG.test(b.grantee.id ?? "")) {
        ctx.addIssue({ code: "custom", path: ["grantee", "id"], message: "Expected a plugin id (its slug)" });
      }
      // A plugin receives data to analyse; nothing it computes is written back as the person's data.
      if (b.actions.includes("write")) {
        ctx.addIssue({ code: "custom", path: ["actions"], message: "Plugins only read" });
      }
    } else if (b.grantee.type !== "client" && !UUID.test(b.grantee.id ?? "")) {
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

/**
 * The person a grant names by e-mail (issue 17: share without pasting an account id). A lookup by address
 * could tell anyone which addresses hold accounts, so it is bounded on every side:
 * - only a person in one of the platform's own apps (a third-party app holding `consents:manage` could
 *   otherwise probe addresses for its own ends);
 * - only verified, active accounts of the same organisation (personByVerifiedEmail);
 * - the same 400 for every address that names no one, so the reasons cannot be told apart;
 * - at most API_LOOKUP_LIMITER's count per person a minute (wrangler.toml), each lookup audited with its
 *   outcome (never the address: the audit log keeps no contact data of someone who may not have an account).
 * What remains is what sharing by e-mail means: a person may learn that an address they typed has an
 * account here, a few at a time, recorded. The answer names only the account id, as a grant by id does.
 */
async function granteeByEmail(
  c: Context<AppEnv>,
  principal: Principal,
  ownerId: string,
  email: string,
): Promise<string> {
  if (principal.kind !== "user" || !principal.firstParty) {
    throw new ApiError("first_party_only", {
      detail: "Naming a person by e-mail needs the person themselves, in one of the platform's own apps.",
    });
  }
  const key = `grantee-email:${principal.tenantId}:${principal.userId}`;
  if (await overLimit([{ limiter: c.env.API_LOOKUP_LIMITER, key }])) throw rateLimitedError("e-mail lookup");
  const db = await c.var.db();
  const found = await personByVerifiedEmail(db, principal.tenantId, ownerId, email);
  await recordAudit(db, {
    tenantId: principal.tenantId,
    action: "consent.grantee_lookup",
    outcome: found === null ? "failure" : "success",
    actorUserId: principal.userId,
    actorClientId: principal.clientId,
    subjectUserId: ownerId,
    resourceType: found === null ? null : "user",
    resourceId: found,
    requestId: c.var.requestId,
  });
  if (found === null) {
    throw invalid(
      "grantee.email",
      "No person with this verified e-mail",
      "No person in this organisation has this verified e-mail address. Ask them for their account id, or to " +
        "verify their address first.",
    );
  }
  return found;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const { principal, ownerId } = await ownerActedFor(c, c.req.valid("query").user_id, "consent.grant");
    const db = await c.var.db();
    if (body.expires_at !== undefined && Date.parse(body.expires_at) <= Date.now()) {
      throw invalid("expires_at", "Must be in the future", "The grant would already have expired.");
    }
    const granteeId = body.grantee.id ?? (await granteeByEmail(c, principal, ownerId, body.grantee.email ?? ""));
    if (!(await granteeExists(db, principal.tenantId, ownerId, body.grantee.type, granteeId))) {
      throw invalid(
        "grantee.id",
        "No such grantee",
        `No ${body.grantee.type} ${JSON.stringify(granteeId)} in this organisation (and not the owner).`,
      );
    }
    const variableIds = await resolveVariableIds(c, body.scope.variables ?? []);
    const row = await createConsent(db, {
      tenantId: principal.tenantId,
      ownerId,
      granteeType: body.grantee.type,
      granteeId: body.grantee.type === "client" || body.grantee.type === "plugin" ? granteeId : granteeId.toLowerCase(),
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
