/**
 * A plugin's manifest (issue 14): what a plugin declares about itself, answered by its `describe()`
 * entry point and validated here, at the boundary, before the platform stores or calls it. One shape for
 * every kind; `kind` says which protocol the plugin serves (`mapper`: docs/plugins.md "Mapper plugins",
 * `connector`: packages/connectors, `analysis` and `visualization`: ./protocol.ts).
 *
 * How the plugin is reached is *not* part of the manifest: the administrator names it when registering
 * (a service binding of the Worker that calls it, or an HTTPS URL), since the same plugin build may be
 * deployed behind either.
 */
import { z } from "zod";

export const PLUGIN_PROTOCOL = 1 as const;

export const PLUGIN_KINDS = ["mapper", "analysis", "visualization", "connector"] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** A plugin id: a lowercase slug, as in URLs (`/v1/admin/plugins/{id}`) and in grants (`grantee.id`). */
export const PluginId = z.string().regex(/^[a-z][a-z0-9-]{1,47}$/, "lowercase letters, digits and '-' (2–48)");

/** Semantic Versioning 2.0.0 (semver.org), the grammar's core plus optional pre-release and build parts. */
export const SemVer = z
  .string()
  .max(64)
  .regex(
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/,
    "a semantic version (MAJOR.MINOR.PATCH)",
  );

/**
 * A JSON Schema (draft 2020-12) describing a plugin's input or output. Kept as data; the platform
 * validates instances against it at the boundary. Bounded in size so a manifest stays small.
 */
export const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((schema) => JSON.stringify(schema).length <= 64 * 1024, "a JSON Schema of at most 64 KiB");
export type JsonSchemaObject = Record<string, unknown>;

/**
 * The data a plugin asks to read. Only what the person (or a study) granted the plugin reaches it
 * (a consent with `grantee: {type: "plugin", id}`); `categories` bounds what the plugin may ever ask
 * for, and is what the consent screen shows. Empty for plugins that read nothing (a pure renderer).
 */
export const PluginDataNeeds = z
  .object({
    categories: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).max(32),
    resolutions: z
      .array(z.enum(["hour", "day"]))
      .min(1)
      .default(["day"]),
  })
  .strict();
export type PluginDataNeeds = z.output<typeof PluginDataNeeds>;

export const PluginManifest = z
  .object({
    protocol: z.literal(PLUGIN_PROTOCOL),
    id: PluginId,
    version: SemVer,
    kind: z.enum(PLUGIN_KINDS),
    name: z.string().min(1).max(100),
    description: z.string().max(2000).default(""),
    /** The plugin author's home page or repository, shown to administrators. */
    homepage: z.url().optional(),
    data: PluginDataNeeds.default({ categories: [], resolutions: ["day"] }),
    input_schema: JsonSchemaObject,
    output_schema: JsonSchemaObject,
    /** What the plugin needs from the platform per call; the platform enforces the smaller of these and its own. */
    limits: z
      .object({
        timeout_ms: z.int().min(100).max(300_000).default(30_000),
        max_output_bytes: z
          .int()
          .min(1024)
          .max(32 * 1024 * 1024)
          .default(4 * 1024 * 1024),
      })
      .strict()
      .default({ timeout_ms: 30_000, max_output_bytes: 4 * 1024 * 1024 }),
  })
  .strict();
export type PluginManifest = z.output<typeof PluginManifest>;
export type PluginManifestInput = z.input<typeof PluginManifest>;
