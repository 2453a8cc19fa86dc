import { ApiError } from "@dfda/core";
import { recordAudit } from "@dfda/db/repositories/audit";
import { userActsForOwner } from "@dfda/db/repositories/custodians";
import { exportAad, exportById, exportDataKey } from "@dfda/db/repositories/exports";
import { DataKeyError } from "@dfda/db/repositories/file-keys";
import { getDecrypted, VaultError } from "@dfda/vault";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { exampleExportFiles, exampleProblem } from "../lib/examples";
import { verifyDownloadToken } from "../lib/export-links";
import { downloadable, ExportIdParam, exportContentType, exportExtension } from "../lib/exports";
import { errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/me/exports/{id}/download",
  operationId: "downloadMyExport",
  tags: ["Your data"],
  // The signed link is the capability (like a pre-signed object URL): no bearer token.
  security: [],
  summary: "Download an export",
  description:
    "The export's file, decrypted as it streams: the `download_url` of a completed export. Needs no bearer " +
    "token: the signed `token` grants this one download until `expires_at`, to the user it was signed for " +
    "(the owner, or a custodian acting for them) while they may still act for the owner. A link that is not " +
    "genuine, belongs to another export, or whose holder's custodian link has ended answers 403; an expired " +
    "one, 410. Content-Length is the full size, so a " +
    "download cut short by a failed integrity check is visibly incomplete.",
  request: {
    params: ExportIdParam,
    query: z.object({
      token: z
        .string()
        .min(1)
        .max(512)
        .openapi({ description: "The signature from `download_url`.", example: "eyJhbGciOiJFUzI1NiJ9.e30.sig" }),
    }),
  },
  responses: {
    200: {
      description: "The export: JSON, CSV, FHIR NDJSON, or a ZIP archive with the original files.",
      content: {
        "application/fhir+ndjson": { schema: { type: "string" }, example: exampleExportFiles["fhir-ndjson"] },
        "text/csv": { schema: { type: "string" }, example: exampleExportFiles.csv },
        "application/json": { schema: { type: "object" }, example: exampleExportFiles.json },
        "application/zip": { schema: { type: "string", format: "binary" } },
      },
    },
    403: problemResponse(
      "The link is not valid for this export, or its holder may no longer act for the owner (`forbidden`).",
      exampleProblem("forbidden", { detail: "This download link is not valid." }),
    ),
    410: problemResponse(
      "The link has expired, or the export is no longer stored (`gone`).",
      exampleProblem("gone", { detail: "This download link has expired. Ask for a new export." }),
    ),
    ...errorResponses,
  },
});

/** RFC 6266 Content-Disposition for the download. */
function disposition(id: string, extension: string): string {
  return `attachment; filename="dfda-export-${id}.${extension}"`;
}

async function refuse(
  c: Context<AppEnv>,
  record: { tenantId: string; userId: string; id: string },
  reason: string,
): Promise<void> {
  await recordAudit(await c.var.db(), {
    tenantId: record.tenantId,
    action: "export.download",
    outcome: "denied",
    subjectUserId: record.userId,
    resourceType: "export",
    resourceId: record.id,
    ip: c.req.header("CF-Connecting-IP") ?? null,
    requestId: c.var.requestId,
    details: { reason },
  });
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const { token } = c.req.valid("query");
    const db = await c.var.db();
    const invalid = new ApiError("forbidden", { detail: "This download link is not valid." });
    const record = await exportById(db, id);
    // An unknown export and a forged link look the same: the link must not reveal what exists.
    if (record === null) throw invalid;
    const keyring = c.var.config.masterKeys;
    const check = await verifyDownloadToken(keyring, token, {
      tenantId: record.tenantId,
      userId: record.userId,
      exportId: record.id,
    });
    if (!check.valid) {
      await refuse(c, record, check.reason);
      if (check.reason === "expired") {
        throw new ApiError("gone", { detail: "This download link has expired. Ask for a new export." });
      }
      throw invalid;
    }
    // The link is a capability delegated by a person who may act for the owner; it lasts only as long
    // as that person still may (a custodian link ended or the dependent deactivated stops it).
    const holder = { tenantId: record.tenantId, userId: check.holderId };
    if ((await userActsForOwner(db, holder, record.userId)) === null) {
      await refuse(c, record, "holder_not_permitted");
      throw invalid;
    }
    const gone = new ApiError("gone", { detail: "This export is no longer available. Ask for a new export." });
    if (!downloadable(record, new Date()) || record.r2Key === null) {
      await refuse(c, record, "expired");
      throw gone;
    }
    let dataKey: Uint8Array;
    try {
      dataKey = await exportDataKey(db, keyring, record);
    } catch (error) {
      if (error instanceof DataKeyError) throw gone;
      throw error;
    }
    const size = record.sizeBytes ?? 0;
    let plain: ReadableStream<Uint8Array>;
    try {
      plain = await getDecrypted(c.env.EXPORTS, record.r2Key, dataKey, exportAad(record.id), size);
    } catch (error) {
      if (error instanceof VaultError) throw gone;
      throw error;
    }
    await recordAudit(db, {
      tenantId: record.tenantId,
      action: "export.download",
      outcome: "success",
      subjectUserId: record.userId,
      resourceType: "export",
      resourceId: record.id,
      ip: c.req.header("CF-Connecting-IP") ?? null,
      requestId: c.var.requestId,
      details: { format: record.format, include_files: record.includeFiles, size_bytes: size },
    });
    return new Response(plain.pipeThrough(new FixedLengthStream(size)), {
      status: 200,
      headers: {
        "Content-Type": exportContentType(record),
        "Content-Length": String(size),
        "Content-Disposition": disposition(record.id, exportExtension(record)),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        // The URL carries the token: never send it on as a Referer.
        "Referrer-Policy": "no-referrer",
      },
    });
  });
}
