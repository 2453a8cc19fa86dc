import { getDecrypted } from "@dfda/vault";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { EXAMPLE_IDS, exampleProblem } from "../lib/examples";
import { FileIdParam, openFileKey, ownFile, ownFilesRequirement } from "../lib/files";
import { authErrorResponses, errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/files/{id}/content",
  operationId: "getFileContent",
  tags: ["Files"],
  summary: "Download the original file",
  description:
    "The original bytes, decrypted as they stream (owner only). Content-Length is the original size, so a " +
    "download cut short by a failed integrity check is visibly incomplete.",
  ...protectedRoute({ scopes: ["files:read"] }, ownFilesRequirement),
  request: { params: FileIdParam },
  responses: {
    200: {
      description: "The original bytes.",
      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
    },
    410: problemResponse(
      "The owner's key was deleted: the file can never be read again.",
      exampleProblem("gone", {
        detail: `File ${EXAMPLE_IDS.file} can no longer be decrypted: the owner's key was deleted.`,
      }),
    ),
    ...errorResponses,
    ...authErrorResponses,
  },
});

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 8187). */
function disposition(name: string | null, id: string): string {
  const filename = name ?? id;
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { db, file } = await ownFile(c, c.req.valid("param").id);
    const dataKey = await openFileKey(c.env, db, file);
    const size = file.sizeBytes ?? 0;
    const plain = await getDecrypted(c.env.FILES, file.r2Key, dataKey, file.id, size);
    return new Response(plain.pipeThrough(new FixedLengthStream(size)), {
      status: 200,
      headers: {
        "Content-Type": file.contentType ?? "application/octet-stream",
        "Content-Length": String(size),
        "Content-Disposition": disposition(file.originalName, file.id),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Digest-SHA256": file.sha256,
      },
    });
  });
}
