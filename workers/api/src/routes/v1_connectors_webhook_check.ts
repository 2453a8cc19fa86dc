/**
 * A vendor's check of the notification URL (GET, or HEAD, /v1/connectors/{id}/webhook, issue 13): before
 * a vendor sends notifications it asks the URL to prove it is ours. Oura, when a subscription is created,
 * sends `verification_token` and `challenge` and wants `{"challenge": …}` back when the token is the one
 * the subscription was created with; Fitbit sends `verify=<code>` twice, wanting 204 for the code it
 * showed the operator and 404 for a wrong one; Withings sends a HEAD to the callback URL (with its token)
 * and wants a 2xx. Each connector's `webhook.check` decides; the keys are the API's webhook secret
 * (`CONNECTOR_WEBHOOK_SECRETS`) and, for Fitbit, `CONNECTOR_WEBHOOK_VERIFICATION_CODES`. Public: the
 * vendor has no token of ours; what it proves is knowledge of the values only the operator configured.
 */
import { ConnectorWebhookEnv, connectorOf, webhookKeysOf } from "@dfda/connectors";
import { ApiError, ConfigError, parseConfigLogged } from "@dfda/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { exampleProblem } from "../lib/examples";
import { errorResponses, problemResponse } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

export const route = createRoute({
  method: "get",
  path: "/v1/connectors/{id}/webhook",
  operationId: "connectorWebhookCheck",
  tags: ["Connectors"],
  summary: "A vendor's check of the notification URL",
  description:
    "Answers a vendor's verification of the notification URL (also as HEAD): Oura's " +
    "`verification_token` and `challenge` (200 with `{challenge}`), Fitbit's `verify` code (204), " +
    "Withings' check of its callback URL's token (204). A value that does not match is a 404, as Fitbit " +
    "asks; a connector that takes no notifications is a 404 too.",
  security: [],
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(32)
        .openapi({ param: { name: "id", in: "path" }, example: "fitbit" }),
    }),
    query: z
      .object({
        verification_token: z
          .string()
          .max(256)
          .optional()
          .openapi({ description: "Oura's verification token.", example: "vt_3k9QmZ" }),
        challenge: z
          .string()
          .max(512)
          .optional()
          .openapi({ description: "Oura's challenge, echoed back.", example: "9f8e7d6c5b4a" }),
        verify: z.string().max(256).optional().openapi({ description: "Fitbit's subscriber verification code." }),
        token: z.string().max(128).optional().openapi({ description: "The token in Withings' callback URL." }),
      })
      .loose(),
  },
  responses: {
    200: {
      description: "Oura's challenge, echoed.",
      content: {
        "application/json": { schema: z.object({ challenge: z.string() }), example: { challenge: "9f8e7d6c5b4a" } },
      },
    },
    204: { description: "The value matches (Fitbit, Withings)." },
    ...errorResponses,
    404: problemResponse(
      "No such connector, or the value does not match.",
      exampleProblem("not_found", { detail: "The verification value does not match." }),
    ),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const check = connectorOf(id)?.webhook?.check;
    if (check === undefined) throw new ApiError("not_found", { detail: `No connector ${id} takes notifications.` });
    let env: z.output<typeof ConnectorWebhookEnv>;
    try {
      env = parseConfigLogged("dfda-api", ConnectorWebhookEnv, c.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ApiError("internal_error", { detail: "The server is not configured.", cause: error });
    }
    const answer = await check(new URL(c.req.url), webhookKeysOf(env, id));
    if (!answer.ok) throw new ApiError("not_found", { detail: "The verification value does not match." });
    if (answer.json !== undefined) return c.json({ challenge: answer.json.challenge ?? "" }, 200);
    return c.body(null, 204);
  });
}
