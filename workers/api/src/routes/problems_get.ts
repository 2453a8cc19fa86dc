import { ApiError, ERROR_CODE_LIST, ERROR_CODES, ERROR_DESCRIPTIONS } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { exampleProblem } from "../lib/examples";
import { problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

/** RFC 9457 §3.1.1: a problem type URI should resolve to human-readable documentation. */
export const route = createRoute({
  method: "get",
  path: "/problems/{code}",
  operationId: "getProblemType",
  tags: ["Operations"],
  security: [],
  summary: "Describe a problem type",
  description: "Each problem+json `type` URI points here; this documents what the error means and how to react.",
  request: {
    params: z.object({
      code: z.string().openapi({ param: { name: "code", in: "path" }, example: "validation_failed" }),
    }),
  },
  responses: {
    200: {
      description: "The problem type.",
      content: {
        "application/json": {
          schema: z
            .object({
              code: z.enum(ERROR_CODE_LIST),
              status: z.number().int(),
              title: z.string(),
              description: z.string(),
            })
            .openapi("ProblemType"),
          example: {
            code: "validation_failed",
            status: 400,
            title: "The request is not valid",
            description:
              "A parameter, header or body field does not match the operation's schema; `errors` lists each bad field with its location and a JSON Pointer.",
          },
        },
      },
    },
    404: problemResponse(
      "No such problem type.",
      exampleProblem("not_found", { detail: "No problem type no_such_code." }),
    ),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) => {
    const { code } = c.req.valid("param");
    const known = ERROR_CODE_LIST.find((k) => k === code);
    if (known === undefined) throw new ApiError("not_found", { detail: `No problem type ${code}.` });
    const def = ERROR_CODES[known];
    return c.json({ code: known, status: def.status, title: def.title, description: ERROR_DESCRIPTIONS[known] }, 200, {
      "Cache-Control": "public, max-age=86400",
    });
  });
}
