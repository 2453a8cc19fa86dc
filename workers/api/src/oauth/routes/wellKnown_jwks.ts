import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../lib/types";
import { configOf } from "../http";
import { clearKeyCache, currentSigningKey, verificationKeys } from "../keys";
import { internalErrorResponse, mount } from "../openapi";

export const route = createRoute({
  method: "get",
  path: "/.well-known/jwks.json",
  operationId: "getJwks",
  tags: ["Authorization server"],
  security: [],
  summary: "Token signing keys (JWK Set, RFC 7517 §5)",
  description:
    "The public keys that verify access and ID tokens (ES256), the current one and those still valid after a " +
    "rotation. Cached for a minute.",
  responses: {
    200: {
      description: "The JWK Set.",
      content: {
        "application/json": {
          schema: z
            .object({
              keys: z.array(
                z
                  .object({
                    kty: z.string().openapi({ example: "EC" }),
                    crv: z.string().optional().openapi({ example: "P-256" }),
                    x: z.string().optional(),
                    y: z.string().optional(),
                    kid: z.string().optional(),
                    alg: z.string().optional().openapi({ example: "ES256" }),
                    use: z.string().optional().openapi({ example: "sig" }),
                  })
                  .openapi("Jwk"),
              ),
            })
            .openapi("JwkSet"),
          // RFC 7517 Appendix A.1's P-256 public key.
          example: {
            keys: [
              {
                kty: "EC",
                crv: "P-256",
                x: "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
                y: "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
                kid: "k1",
                alg: "ES256",
                use: "sig",
              },
            ],
          },
        },
      },
    },
    500: internalErrorResponse,
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  mount(app, route, async (c) => {
    const db = await c.var.db();
    let keys = await verificationKeys(db);
    if (keys.length === 0) {
      // First start: create the signing key so the JWKS is never empty.
      await currentSigningKey(db, configOf(c).master);
      clearKeyCache();
      keys = await verificationKeys(db);
    }
    return c.json({ keys: keys.map((k) => k.jwk) }, 200, { "Cache-Control": "public, max-age=60" });
  });
}
