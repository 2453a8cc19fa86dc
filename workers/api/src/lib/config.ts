/**
 * The API Worker's config: its wrangler vars and secrets (wrangler.toml `[vars]`, `[secrets]`), parsed
 * once per environment at the entry point (`newApp`'s first middleware, and the Cron handler) into
 * typed settings. A setting that does not parse is logged by name and every request is answered with
 * a problem+json 500, instead of a crash in whichever handler first reads it.
 */
import { ApiError, ConfigError, intVar, parseConfigLogged } from "@dfda/core";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";
import { z } from "zod";

/** The largest upload accepted when `MAX_UPLOAD_BYTES` is unset (2 GiB, the multipart writer's reach). */
const DEFAULT_MAX_UPLOAD_BYTES = 2 ** 31;

/**
 * Where the Worker runs: wrangler.toml's top-level `[vars]` say `development` (`npm start`, the tests),
 * `[env.staging.vars]` and `[env.production.vars]` say theirs. Unset counts as deployed: wrangler does
 * not inherit `vars` into a named environment, so a new `[env.*]` without them must not fall back to
 * local-development defaults (fail closed).
 */
export const ENVIRONMENTS = ["development", "staging", "production"] as const;

/** How old a sign-in may be for an operation that needs the person themselves, when unset: five minutes. */
export const DEFAULT_REAUTH_MAX_AGE_SECONDS = 300;

const ApiConfigSchema = MasterKeysEnv.extend({
  ENVIRONMENT: z.enum(ENVIRONMENTS).optional(),
  /** Comma-separated origins allowed by CORS, or `*`. */
  CORS_ORIGINS: z.string().optional(),
  /**
   * The `iss` of every token (RFC 8414 §2, RFC 9068 §2.2) and the origin of the links in e-mails and of
   * the cookies' `Secure` flag. Required outside `ENVIRONMENT=development`: taken from the request's
   * `Host` instead, it is whatever a caller sends (a password-reset link pointing at an attacker's host,
   * OWASP Forgot Password Cheat Sheet, "Host header injection"). Empty in development: the request's origin.
   */
  ISSUER: z.union([z.literal(""), z.url({ protocol: /^https?$/ })]).optional(),
  /** The cron expression (wrangler.toml `[triggers]`) of the weekly key rotation. */
  KEY_ROTATION_CRON: z.string().optional(),
  MAX_UPLOAD_BYTES: intVar(DEFAULT_MAX_UPLOAD_BYTES, 1, DEFAULT_MAX_UPLOAD_BYTES),
  /**
   * How recent a sign-in must be for an operation that needs the person themselves (seconds, default
   * 300; RFC 9470 `max_age`). At most a day: a longer window would make the requirement meaningless.
   */
  REAUTH_MAX_AGE_SECONDS: intVar(DEFAULT_REAUTH_MAX_AGE_SECONDS, 0, 86_400),
})
  .superRefine((env, ctx) => {
    if (env.ENVIRONMENT !== "development" && (env.ISSUER === undefined || env.ISSUER === "")) {
      ctx.addIssue({
        code: "custom",
        path: ["ISSUER"],
        message:
          "required outside local development (ENVIRONMENT is " +
          `${env.ENVIRONMENT ?? "unset"}): set it to the API's public origin, e.g. https://api.example.org`,
      });
    }
  })
  .transform((env, ctx) => ({
    masterKeys: masterKeysOf(env, ctx),
    corsOrigins:
      (env.CORS_ORIGINS ?? "*") === "*" ? ("*" as const) : (env.CORS_ORIGINS ?? "").split(",").map((o) => o.trim()),
    issuer: env.ISSUER === undefined || env.ISSUER === "" ? null : env.ISSUER.replace(/\/$/, ""),
    keyRotationCron: env.KEY_ROTATION_CRON ?? null,
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    reauthMaxAgeSeconds: env.REAUTH_MAX_AGE_SECONDS,
    /** Deployed (staging, production, unset): webhook URLs must be public https (docs/webhooks.md). */
    deployed: env.ENVIRONMENT !== "development",
  }));

export type ApiConfig = z.output<typeof ApiConfigSchema>;

/**
 * The API Worker's config of `env`; a problem+json 500 (`internal_error`) when it does not parse, with
 * the settings at fault logged, not returned (RFC 9457 §3.1: the detail is for the client, the
 * diagnosis for the operator).
 */
export function apiConfig(env: object): ApiConfig {
  try {
    return parseConfigLogged("dfda-api", ApiConfigSchema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ApiError("internal_error", { detail: "The server is not configured.", cause: error });
  }
}
