/**
 * Worker configuration (issue 11): each Worker parses its vars and secrets once, at its entry point,
 * with one schema, and a setting that does not parse is refused there, by name, without its value.
 */
import { generateMasterKey } from "@dfda/auth";
import { ApiError, ConfigError, PipelineEnv, parseConfig, pipelineSettingsOf } from "@dfda/core";
import { MasterKeysEnv, masterKeysOf } from "@dfda/vault";
import { afterEach, describe, expect, it, vi } from "vitest";
import { newApp } from "../../workers/api/src/app";
import { apiConfig } from "../../workers/api/src/lib/config";
import { authConfig } from "../../workers/api/src/oauth/config";

const key = generateMasterKey();
const keys = JSON.stringify({ k1: key });
const Schema = MasterKeysEnv.transform((env, ctx) => ({ masterKeys: masterKeysOf(env, ctx) }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("parseConfig with the master keys", () => {
  it("parses the AUTH_MASTER_KEYS secret into the keyring, once per environment object", () => {
    const env = { AUTH_MASTER_KEYS: keys, AUTH_MASTER_KEY_ID: "k1" };
    const config = parseConfig("test", Schema, env);
    expect(config.masterKeys).toEqual({ keys: { k1: key }, currentKeyId: "k1" });
    expect(parseConfig("test", Schema, env)).toBe(config);
  });

  it.each([
    ["missing", {}, "AUTH_MASTER_KEYS"],
    ["not JSON", { AUTH_MASTER_KEYS: "k1=abc", AUTH_MASTER_KEY_ID: "k1" }, "AUTH_MASTER_KEYS"],
    [
      "a short key",
      { AUTH_MASTER_KEYS: JSON.stringify({ k1: "c2hvcnQ" }), AUTH_MASTER_KEY_ID: "k1" },
      "AUTH_MASTER_KEYS",
    ],
    ["a current id that names no key", { AUTH_MASTER_KEYS: keys, AUTH_MASTER_KEY_ID: "k9" }, "AUTH_MASTER_KEYS"],
  ])("refuses %s, naming the variable and never its value", (_, env, variable) => {
    let caught: unknown;
    try {
      parseConfig("test", Schema, env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.issues.map((i) => i.variable)).toContain(variable);
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain("c2hvcnQ");
  });
});

describe("the validation pipeline's settings", () => {
  const Pipeline = PipelineEnv.transform(pipelineSettingsOf);

  it("takes each default when a var is unset or empty", () => {
    expect(parseConfig("test", Pipeline, { OUTLIER_Z_THRESHOLD: "" })).toEqual({
      maxFutureSkewSeconds: 300,
      outlierZThreshold: 4,
      outlierIqrMultiplier: 3,
      outlierMinHistory: 20,
    });
  });

  it("parses the vars into numbers once, at the entry point", () => {
    const env = {
      MAX_FUTURE_SKEW_SECONDS: "60",
      OUTLIER_Z_THRESHOLD: "3.5",
      OUTLIER_IQR_MULTIPLIER: "1.5",
      OUTLIER_MIN_HISTORY: "50",
    };
    expect(parseConfig("test", Pipeline, env)).toEqual({
      maxFutureSkewSeconds: 60,
      outlierZThreshold: 3.5,
      outlierIqrMultiplier: 1.5,
      outlierMinHistory: 50,
    });
  });

  it.each([
    ["a negative skew", { MAX_FUTURE_SKEW_SECONDS: "-5" }, "MAX_FUTURE_SKEW_SECONDS"],
    ["a threshold that is not a number", { OUTLIER_Z_THRESHOLD: "four" }, "OUTLIER_Z_THRESHOLD"],
    ["a fractional history length", { OUTLIER_MIN_HISTORY: "2.5" }, "OUTLIER_MIN_HISTORY"],
  ])("refuses %s, naming the variable", (_, env, variable) => {
    expect(() => parseConfig("test", Pipeline, env)).toThrow(ConfigError);
    expect(() => parseConfig("test", Pipeline, env)).toThrow(variable);
  });
});

describe("the API Worker's config", () => {
  it("answers every request with one problem+json 500 when a setting does not parse, and logs which", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await newApp().request(
      "/health",
      {},
      { ENVIRONMENT: "development", AUTH_MASTER_KEYS: keys, AUTH_MASTER_KEY_ID: "k1", MAX_UPLOAD_BYTES: "lots" },
    );
    expect(res.status).toBe(500);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe("internal_error");
    expect(body.detail).toBe("The server is not configured.");
    const lines = logged.mock.calls.map((call) => String(call[0]));
    const line = lines.find((l) => l.includes("config_invalid"));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({
      event: "config_invalid",
      worker: "dfda-api",
      issues: [{ variable: "MAX_UPLOAD_BYTES" }],
    });
    expect(lines.join("\n")).not.toContain(key);
  });

  it("takes REAUTH_MAX_AGE_SECONDS as whole seconds up to a day, 300 when unset (issue 12)", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const base = { AUTH_MASTER_KEYS: keys, AUTH_MASTER_KEY_ID: "k1", ENVIRONMENT: "development" };
    expect(apiConfig({ ...base }).reauthMaxAgeSeconds).toBe(300);
    expect(apiConfig({ ...base, REAUTH_MAX_AGE_SECONDS: "" }).reauthMaxAgeSeconds).toBe(300);
    expect(apiConfig({ ...base, REAUTH_MAX_AGE_SECONDS: "600" }).reauthMaxAgeSeconds).toBe(600);
    for (const bad of ["-1", "1.5", "lots", "86401"]) {
      expect(() => apiConfig({ ...base, REAUTH_MAX_AGE_SECONDS: bad }), bad).toThrow("The server is not configured.");
    }
  });

  it("refuses an ISSUER that is not an http(s) URL", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await newApp().request(
      "/health",
      {},
      { AUTH_MASTER_KEYS: keys, AUTH_MASTER_KEY_ID: "k1", ISSUER: "api.example" },
    );
    expect(res.status).toBe(500);
  });
});

describe("ISSUER outside local development (issue 12)", () => {
  const base = { AUTH_MASTER_KEYS: keys, AUTH_MASTER_KEY_ID: "k1" };

  /** The ConfigError behind apiConfig's 500, or null when the environment parses. */
  function refusal(env: Record<string, string>): ConfigError | null {
    try {
      apiConfig(env);
      return null;
    } catch (error) {
      const cause = error instanceof ApiError ? error.cause : error;
      if (cause instanceof ConfigError) return cause;
      throw error;
    }
  }

  it.each([
    ["production", { ENVIRONMENT: "production" }],
    ["staging", { ENVIRONMENT: "staging", ISSUER: "" }],
    ["an environment that does not say what it is", {}],
  ])("refuses to run without ISSUER in %s, naming it", (_, vars) => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const error = refusal({ ...base, ...vars });
    expect(error?.issues.map((i) => i.variable)).toEqual(["ISSUER"]);
    expect(error?.message).toContain("required outside local development");
  });

  it("refuses an ENVIRONMENT it does not know", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const error = refusal({ ...base, ENVIRONMENT: "prod", ISSUER: "https://api.example.org" });
    expect(error?.issues.map((i) => i.variable)).toEqual(["ENVIRONMENT"]);
  });

  it("uses the configured ISSUER in production, for tokens and links whatever the Host", () => {
    const env = { ...base, ENVIRONMENT: "production", ISSUER: "https://api.example.org/" };
    expect(refusal(env)).toBeNull();
    expect(authConfig(env, "https://attacker.example/oauth/forgot-password").issuer).toBe("https://api.example.org");
  });

  it("keeps the request's origin as the issuer in local development", () => {
    const env = { ...base, ENVIRONMENT: "development", ISSUER: "" };
    expect(refusal(env)).toBeNull();
    expect(authConfig(env, "http://127.0.0.1:8787/oauth/authorize").issuer).toBe("http://127.0.0.1:8787");
  });
});
