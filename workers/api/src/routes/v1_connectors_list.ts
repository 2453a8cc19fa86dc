/** The connector catalog (GET /v1/connectors): the vendors a person can link, and which are available here. */
import { CONNECTORS } from "@dfda/connectors";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { protectedRoute } from "../lib/auth";
import { connectorSettings } from "../lib/connections";
import { authErrorResponses, errorResponses } from "../lib/schemas";
import type { AppEnv } from "../lib/types";

const Connector = z
  .object({
    id: z.string().openapi({ example: "oura" }),
    name: z.string().openapi({ example: "Oura Ring" }),
    data_types: z.array(z.string()).openapi({ example: ["heart_rate", "steps", "oxygen_saturation"] }),
    auth: z.literal("oauth2").openapi({ description: "How a person links an account: OAuth 2.0 at the vendor." }),
    status: z.enum(["available", "unavailable"]).openapi({
      description: "`unavailable`: this server has no OAuth client registered with the vendor.",
    }),
    demo: z.boolean().openapi({ description: "A demo connector talking to a fake vendor (never real accounts)." }),
  })
  .openapi("Connector");
export type ConnectorResponse = z.infer<typeof Connector>;

export const route = createRoute({
  method: "get",
  path: "/v1/connectors",
  operationId: "listConnectors",
  tags: ["Connectors"],
  summary: "Vendors you can connect",
  description:
    "The connectors this platform implements: each vendor's id, name, the kinds of data it brings in, how you " +
    "link an account, and whether this server offers it. Connect one with `POST /v1/me/connections`.",
  ...protectedRoute({ allowClients: true }),
  responses: {
    200: {
      description: "The catalog.",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(Connector) }),
          example: {
            data: [
              {
                id: "oura",
                name: "Oura Ring",
                data_types: ["heart_rate", "steps", "oxygen_saturation"],
                auth: "oauth2",
                status: "available",
                demo: false,
              },
              {
                id: "withings",
                name: "Withings",
                data_types: [
                  "weight",
                  "body_fat",
                  "blood_pressure",
                  "heart_rate",
                  "body_temperature",
                  "oxygen_saturation",
                  "steps",
                  "active_energy",
                  "sleep",
                ],
                auth: "oauth2",
                status: "unavailable",
                demo: false,
              },
            ],
          },
        },
      },
    },
    ...errorResponses,
    ...authErrorResponses,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, (c) => {
    const available = connectorSettings(c);
    const data: ConnectorResponse[] = [...CONNECTORS.values()].map(({ definition: d }) => ({
      id: d.id,
      name: d.name,
      data_types: d.data_types,
      auth: d.auth.kind,
      status: available.has(d.id) ? "available" : "unavailable",
      demo: d.demo,
    }));
    return c.json({ data }, 200);
  });
}
