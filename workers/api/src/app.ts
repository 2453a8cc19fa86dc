/**
 * The API Worker's app factory: one place for request ids, CORS, authentication, database access,
 * validation errors, problem+json error handling, 404/405, the OpenAPI document and the docs.
 */
import { ApiError } from "@dfda/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { FHIR_PREFIX, fhirErrors, registerFhir } from "./fhir";
import { authenticate } from "./lib/auth";
import { BODY_LIMITS, bodyLimits, DEFAULT_BODY_LIMIT } from "./lib/body-limit";
import { apiConfig } from "./lib/config";
import { database } from "./lib/db";
import { oauth2SecurityScheme, securityRequirement } from "./lib/openapi";
import { handleError, nulInUrl, problemResponse, validationError } from "./lib/problem";
import { rateLimit } from "./lib/rate-limit";
import type { AppEnv } from "./lib/types";
import { TUS_REQUEST_HEADERS, TUS_RESPONSE_HEADERS, tusHeaders } from "./lib/uploads";
import { oauthRoutes } from "./oauth/routes";
import * as appPortal from "./routes/app_portal";
import * as docs from "./routes/docs";
import * as health from "./routes/health";
import * as problemsGet from "./routes/problems_get";
import * as adminAuditCheckpoints from "./routes/v1_admin_audit_checkpoints";
import * as adminAuditVerify from "./routes/v1_admin_audit_verify";
import * as adminCodeMappings from "./routes/v1_admin_codeMappings";
import * as adminCustodianLinks from "./routes/v1_admin_custodianLinks";
import * as adminGroups from "./routes/v1_admin_groups";
import * as adminPlugins from "./routes/v1_admin_plugins";
import * as adminRetentionGet from "./routes/v1_admin_retention_get";
import * as adminRetentionPut from "./routes/v1_admin_retention_put";
import * as adminUnmappedCodes from "./routes/v1_admin_unmappedCodes";
import * as analysesCreate from "./routes/v1_analyses_create";
import * as analysesGet from "./routes/v1_analyses_get";
import * as analysesList from "./routes/v1_analyses_list";
import * as connectorsCallback from "./routes/v1_connectors_callback";
import * as connectorsList from "./routes/v1_connectors_list";
import * as connectorsWebhook from "./routes/v1_connectors_webhook";
import * as connectorsWebhookCheck from "./routes/v1_connectors_webhook_check";
import * as consentsCreate from "./routes/v1_consents_create";
import * as consentsDelete from "./routes/v1_consents_delete";
import * as consentsGet from "./routes/v1_consents_get";
import * as consentsList from "./routes/v1_consents_list";
import * as filesColumnsGet from "./routes/v1_files_columns_get";
import * as filesColumnsPut from "./routes/v1_files_columns_put";
import * as filesContent from "./routes/v1_files_content";
import * as filesDelete from "./routes/v1_files_delete";
import * as filesGet from "./routes/v1_files_get";
import * as filesList from "./routes/v1_files_list";
import * as filesReprocess from "./routes/v1_files_reprocess";
import * as ingestFiles from "./routes/v1_ingest_files_create";
import * as ingestJobsGet from "./routes/v1_ingest_jobs_get";
import * as ingestObservations from "./routes/v1_ingest_observations_create";
import * as meAccessLog from "./routes/v1_me_accessLog";
import * as meApps from "./routes/v1_me_apps";
import * as meConnectionsCreate from "./routes/v1_me_connections_create";
import * as meConnectionsDelete from "./routes/v1_me_connections_delete";
import * as meConnectionsList from "./routes/v1_me_connections_list";
import * as meConnectionsSync from "./routes/v1_me_connections_sync";
import * as meDelete from "./routes/v1_me_delete";
import * as meExportsCreate from "./routes/v1_me_exports_create";
import * as meExportsDownload from "./routes/v1_me_exports_download";
import * as meExportsGet from "./routes/v1_me_exports_get";
import * as meExportsList from "./routes/v1_me_exports_list";
import * as mfaRecoveryCodesCreate from "./routes/v1_me_mfaRecoveryCodes_create";
import * as mfaTotpConfirm from "./routes/v1_me_mfaTotp_confirm";
import * as mfaTotpCreate from "./routes/v1_me_mfaTotp_create";
import * as mfaTotpDelete from "./routes/v1_me_mfaTotp_delete";
import * as meNoticesList from "./routes/v1_me_notices_list";
import * as meNoticesRead from "./routes/v1_me_notices_read";
import * as meObservationsDelete from "./routes/v1_me_observations_delete";
import * as meSecurityGet from "./routes/v1_me_security_get";
import * as meSessionsDelete from "./routes/v1_me_sessions_delete";
import * as meSessionsList from "./routes/v1_me_sessions_list";
import * as meStats from "./routes/v1_me_stats";
import * as observationsList from "./routes/v1_observations_list";
import * as observationsSummary from "./routes/v1_observations_summary";
import * as pluginsList from "./routes/v1_plugins_list";
import * as studiesCreate from "./routes/v1_studies_create";
import * as studiesObservationsList from "./routes/v1_studies_observations_list";
import * as unitsList from "./routes/v1_units_list";
import * as uploadsCreate from "./routes/v1_uploads_create";
import * as uploadsDelete from "./routes/v1_uploads_delete";
import * as uploadsGet from "./routes/v1_uploads_get";
import * as uploadsPatch from "./routes/v1_uploads_patch";
import * as variableCategoriesList from "./routes/v1_variableCategories_list";
import * as variablesGet from "./routes/v1_variables_get";
import * as variablesList from "./routes/v1_variables_list";
import * as visualizationsGet from "./routes/v1_visualizations_get";
import * as webhooksCreate from "./routes/v1_webhooks_create";
import * as webhooksDelete from "./routes/v1_webhooks_delete";
import * as webhooksDeliveriesList from "./routes/v1_webhooks_deliveries_list";
import * as webhooksDeliveriesReplay from "./routes/v1_webhooks_deliveries_replay";
import * as webhooksGet from "./routes/v1_webhooks_get";
import * as webhooksList from "./routes/v1_webhooks_list";
import * as webhooksRotateSecret from "./routes/v1_webhooks_rotateSecret";
import * as webhooksUpdate from "./routes/v1_webhooks_update";

export const API_VERSION = "0.1.0";

/** Request ids are echoed only when they are short and safe; otherwise a fresh UUID is used. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function newApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // Every schema failure (query, path, header, body) becomes one problem+json 400 naming each field.
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error);
    },
  });

  app.use(
    requestId({
      generator: (c) => {
        const incoming = c.req.header("X-Request-Id");
        return incoming !== undefined && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
      },
    }),
  );
  // The environment is parsed here, before anything reads it: a bad setting answers every request
  // with one clear 500 (and a log line naming it) instead of failing inside some handler.
  app.use((c, next) => {
    c.set("config", apiConfig(c.env));
    return next();
  });
  // The FHIR API answers failures as OperationOutcomes (R4 http.html), whichever layer below raises them.
  app.use(`${FHIR_PREFIX}/*`, fhirErrors());
  // Resumable uploads (tus 1.0): Tus-Resumable on every answer, and what the server supports on OPTIONS
  // (which the CORS middleware below answers).
  app.use("/v1/uploads", tusHeaders());
  app.use("/v1/uploads/*", tusHeaders());
  app.use((c, next) =>
    cors({
      origin: c.var.config.corsOrigins,
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", ...TUS_REQUEST_HEADERS],
      exposeHeaders: ["X-Request-Id", "Retry-After", "Location", ...TUS_RESPONSE_HEADERS],
      maxAge: 600,
    })(c, next),
  );
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        problemResponse(
          c,
          new ApiError("method_not_allowed", {
            detail: `${c.req.method} is not allowed here. Allowed: ${methods.join(", ")}.`,
            headers: { Allow: methods.join(", ") },
          }),
        ),
    }),
  );
  app.use(bodyLimits({ defaultBytes: DEFAULT_BODY_LIMIT, routes: BODY_LIMITS }));
  app.use(database());
  app.use(authenticate());
  // Per token, per client, per IP without a valid token: 429 + Retry-After (lib/rate-limit.ts).
  app.use("/v1/*", rateLimit());
  app.use(`${FHIR_PREFIX}/*`, rateLimit());
  // NUL in the URL of an API route: refused as a validation problem, before any handler (lib/problem.ts).
  // The authorization server's routes answer in their own formats and guard their own lookups.
  for (const prefix of ["/v1/*", `${FHIR_PREFIX}/*`]) {
    app.use(prefix, (c, next) => {
      const nul = nulInUrl(new URL(c.req.url));
      if (nul !== null) throw nul;
      return next();
    });
  }

  for (const route of [
    health,
    problemsGet,
    variablesList,
    variablesGet,
    variableCategoriesList,
    unitsList,
    ingestObservations,
    ingestJobsGet,
    ingestFiles,
    uploadsCreate,
    uploadsGet,
    uploadsPatch,
    uploadsDelete,
    filesList,
    filesGet,
    filesContent,
    filesReprocess,
    filesColumnsGet,
    filesColumnsPut,
    filesDelete,
    adminCodeMappings,
    adminUnmappedCodes,
    adminGroups,
    adminAuditVerify,
    adminAuditCheckpoints,
    adminRetentionGet,
    adminRetentionPut,
    meStats,
    meApps,
    meAccessLog,
    meObservationsDelete,
    meDelete,
    meExportsCreate,
    meExportsList,
    meExportsGet,
    meExportsDownload,
    observationsList,
    observationsSummary,
    consentsCreate,
    consentsList,
    consentsGet,
    consentsDelete,
    studiesCreate,
    studiesObservationsList,
    adminCustodianLinks,
    mfaTotpCreate,
    mfaTotpConfirm,
    mfaTotpDelete,
    mfaRecoveryCodesCreate,
    meSecurityGet,
    meSessionsList,
    meSessionsDelete,
    connectorsList,
    connectorsCallback,
    connectorsWebhook,
    connectorsWebhookCheck,
    meConnectionsCreate,
    meConnectionsList,
    meConnectionsSync,
    meConnectionsDelete,
    meNoticesList,
    meNoticesRead,
    webhooksCreate,
    webhooksList,
    webhooksGet,
    webhooksUpdate,
    webhooksDelete,
    webhooksRotateSecret,
    webhooksDeliveriesList,
    webhooksDeliveriesReplay,
    adminPlugins,
    pluginsList,
    analysesCreate,
    analysesList,
    analysesGet,
    visualizationsGet,
    docs,
    appPortal,
    ...oauthRoutes,
  ]) {
    route.register(app);
  }
  // FHIR R4 (docs/fhir.md): described by its CapabilityStatement, not by the OpenAPI document.
  registerFhir(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "OAuth 2.0 access token (RFC 6750), a JWT (RFC 9068) from the authorization server described at " +
      "/.well-known/oauth-authorization-server.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "oauth2", oauth2SecurityScheme());
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "dFDA health-data platform API",
      version: API_VERSION,
      description:
        "Ingest, standardize, own and share health data. Errors are RFC 9457 problem details " +
        "(`application/problem+json`) with a stable `code`; lists page with opaque cursors.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: new URL(c.req.url).origin }],
    tags: [
      {
        name: "Reference data",
        description: "Variables, categories and units: the vocabulary every observation uses.",
      },
      { name: "Ingestion", description: "Sending observations in, and following what became of them." },
      { name: "Observations", description: "Reading your observations back: lists and per-period summaries." },
      { name: "Account", description: "The signed-in person's own account settings." },
      {
        name: "Your data",
        description:
          "What the platform holds about you: an overview, exports, the apps you connected, who accessed your " +
          "data, and deleting observations or the whole account.",
      },
      {
        name: "Files",
        description: "Raw files you upload (FHIR, HL7 v2, C-CDA, CSV …): their status, content, and column mapping.",
      },
      { name: "Consent", description: "Sharing your data with people, groups, studies and apps, and revoking it." },
      {
        name: "Research",
        description: "Studies, their researchers, and pseudonymized queries over the data participants consented to.",
      },
      { name: "Plugins", description: "The analysis and mapping plugins available to you (docs/plugins.md)." },
      {
        name: "Administration",
        description:
          "For a tenant's administrators: groups, custodian links, local code mappings, retention, plugins " +
          "and the audit log.",
      },
      {
        name: "Connectors",
        description: "Linking a vendor account (a wearable, a ring …) once, so its data keeps flowing in.",
      },
      {
        name: "Analyses",
        description:
          "Findings from your data: analyses and charts by the plugins you granted data to (docs/plugins.md).",
      },
      {
        name: "Webhooks",
        description:
          "Signed notifications (Standard Webhooks) when something happens to data you may see: a job finished, " +
          "data refused, new observations, an export ready, a connection needing its owner, a grant made or revoked.",
      },
      { name: "Operations", description: "Health and error documentation." },
      {
        name: "Authorization server",
        description:
          "OAuth 2.0 and OpenID Connect endpoints. They answer errors in their own standards' formats " +
          "(RFC 6749 §5.2, RFC 6750 §3, RFC 7591 §3.2.2), not problem+json.",
      },
      { name: "Sign-in pages", description: "Server-rendered HTML pages and forms of the browser sign-in." },
    ],
    // Every operation needs a token unless it says otherwise (health, problem types).
    security: securityRequirement([]),
  }));

  app.notFound((c) =>
    problemResponse(c, new ApiError("route_not_found", { detail: `No route for ${new URL(c.req.url).pathname}.` })),
  );
  app.onError((error, c) => handleError(error, c));
  return app;
}
