/**
 * `GET /fhir/R4/metadata`: the CapabilityStatement (R4 capabilitystatement.html, http.html#capabilities)
 * a FHIR client reads first. It states exactly what this server does: R4 (4.0.1) in JSON, the
 * resources, interactions, search parameters and operation implemented here, and how to get a token:
 * SMART on FHIR (restful-security-service `SMART-on-FHIR`) with the authorization server's endpoints
 * in the `oauth-uris` extension (SMART App Launch 1.0 §Conformance, still read by SMART clients).
 * Public, as R4 requires of the capabilities interaction.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../lib/types";
import { authConfig } from "../oauth/config";
import { smartConfiguration } from "../oauth/smart";
import { OBSERVATION_SEARCH_PARAMS } from "./observation";
import { fhirJson } from "./outcome";

/** When this statement last changed (R4 CapabilityStatement.date is required). */
const STATEMENT_DATE = "2026-12-06";
const PAGING_PARAMS = [
  { name: "_count", type: "number", documentation: "Page size, 1 to 1000 (default 50)." },
  { name: "_sort", type: "string", documentation: "date, -date (default), _lastUpdated or -_lastUpdated." },
];

export function capabilityStatement(origin: string): Record<string, unknown> {
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: STATEMENT_DATE,
    publisher: "dFDA health-data platform",
    kind: "instance",
    software: { name: "dFDA health-data platform" },
    implementation: {
      description: "FHIR R4 API over the platform's store: the people, and their observations.",
      url: `${origin}/fhir/R4`,
    },
    fhirVersion: "4.0.1",
    format: ["json"],
    rest: [
      {
        mode: "server",
        documentation: "Errors are OperationOutcomes carrying the platform's stable error code.",
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: "http://terminology.hl7.org/CodeSystem/restful-security-service",
                  code: "SMART-on-FHIR",
                },
              ],
            },
          ],
          extension: [
            {
              url: "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
              extension: [
                { url: "authorize", valueUri: `${origin}/oauth/authorize` },
                { url: "token", valueUri: `${origin}/oauth/token` },
                { url: "revoke", valueUri: `${origin}/oauth/revoke` },
                { url: "introspect", valueUri: `${origin}/oauth/introspect` },
                { url: "register", valueUri: `${origin}/oauth/register` },
              ],
            },
          ],
          description:
            "OAuth 2.0 bearer tokens from this platform's authorization server: scopes observations:read and observations:write, or the " +
            "SMART App Launch 2.x aliases (patient/Observation.rs, user/Observation.rs, launch/patient, fhirUser; " +
            "[base]/.well-known/smart-configuration).",
        },
        // R4 §3.1.0.11: Bundles of Observation creates, all or nothing (transaction) or entry by entry (batch).
        interaction: [{ code: "transaction" }, { code: "batch" }],
        resource: [
          {
            type: "Patient",
            interaction: [{ code: "read" }, { code: "search-type" }],
            searchParam: [{ name: "_id", type: "token", documentation: "The Patient's id." }, PAGING_PARAMS[0]],
            operation: [
              { name: "everything", definition: "http://hl7.org/fhir/OperationDefinition/Patient-everything" },
            ],
          },
          {
            type: "Observation",
            supportedProfile: ["http://hl7.org/fhir/StructureDefinition/vitalsigns"],
            interaction: [
              { code: "read" },
              { code: "search-type" },
              {
                code: "create",
                documentation:
                  "Through the platform's validation pipeline (raw original kept encrypted, FHIR mapper, units, " +
                  "ranges, de-duplication); scope observations:write, another person's record needs their write grant.",
              },
            ],
            // R4 §3.1.0.8.1: If-None-Exist takes the search parameters below (not identifier: not stored).
            conditionalCreate: true,
            searchParam: [
              ...OBSERVATION_SEARCH_PARAMS.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
              ...PAGING_PARAMS,
            ],
          },
        ],
      },
    ],
  };
}

export function registerMetadata(app: Hono<AppEnv>): void {
  app.get("/fhir/R4/metadata", (c) => fhirJson(c, capabilityStatement(new URL(c.req.url).origin)));
  // SMART App Launch 2.x §"Retrieve .well-known/smart-configuration": clients ask `[base]/.well-known/…`.
  app.get("/fhir/R4/.well-known/smart-configuration", (c) =>
    c.json(smartConfiguration(authConfig(c.env, c.req.url).issuer), 200, { "Cache-Control": "public, max-age=300" }),
  );
}
