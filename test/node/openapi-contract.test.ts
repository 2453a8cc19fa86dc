/**
 * The committed OpenAPI document (openapi/openapi.json) is the contract SDKs are generated from: it
 * must be the app's document, must not break clients of the latest release without a major version
 * (scripts/openapi-diff.ts), and must describe how to authorize (the `oauth2` scheme with every scope)
 * and how operations are grouped (every tag declared).
 */
import { readFileSync } from "node:fs";
import { allScopes, describeScope } from "@dfda/core";
import { beforeAll, describe, expect, it } from "vitest";
import { OPENAPI_PATH, openApiDocument, RELEASES_DIR } from "../../scripts/openapi";
import { checkAgainstRelease, formatChanges, type OpenApiDocument } from "../../scripts/openapi-diff";

interface Operation {
  operationId: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
}
interface Document {
  tags: Array<{ name: string; description?: string }>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<
      string,
      {
        type: string;
        flows?: Record<string, { authorizationUrl?: string; tokenUrl: string; scopes: Record<string, string> }>;
      }
    >;
  };
}

let served: string;
let doc: Document;
beforeAll(async () => {
  served = await openApiDocument();
  doc = JSON.parse(served) as Document;
});

describe("openapi/openapi.json", () => {
  it("is the app's document", () => {
    const committed = readFileSync(OPENAPI_PATH, "utf8");
    // Not toEqual on the text: a failure should say what to do, not print two 10,000-line documents.
    expect(committed === served, "openapi/openapi.json is stale: run `npm run openapi` and commit it").toBe(true);
  });

  it("breaks no client of the latest release unless the API version's major changes", () => {
    const check = checkAgainstRelease(JSON.parse(served) as OpenApiDocument, RELEASES_DIR);
    expect(
      check.ok,
      `breaking changes since release ${check.released} need a new major API version:\n${formatChanges(check.changes)}`,
    ).toBe(true);
  });
});

describe("authorization in the document", () => {
  it("declares an oauth2 scheme: authorization code (PKCE) and client credentials, with every scope described", () => {
    const scheme = doc.components.securitySchemes.oauth2;
    expect(scheme?.type).toBe("oauth2");
    const code = scheme?.flows?.authorizationCode;
    const clients = scheme?.flows?.clientCredentials;
    expect(code).toMatchObject({ authorizationUrl: "/oauth/authorize", tokenUrl: "/oauth/token" });
    expect(clients).toMatchObject({ tokenUrl: "/oauth/token" });
    const expected = Object.fromEntries(allScopes().map((s) => [s, describeScope(s)]));
    expect(code?.scopes).toEqual(expected);
    expect(clients?.scopes).toEqual(expected);
    for (const description of Object.values(expected)) expect(description.length).toBeGreaterThan(10);
  });

  it("names, for every protected operation, the same scopes under bearerAuth and oauth2", () => {
    const defined = new Set(allScopes());
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const security = op.security ?? doc.security;
        if (security.length === 0) continue;
        const where = `${method.toUpperCase()} ${path}`;
        const bearer = security.find((s) => "bearerAuth" in s)?.bearerAuth;
        const oauth = security.find((s) => "oauth2" in s)?.oauth2;
        expect(bearer, where).toBeDefined();
        expect(oauth, where).toEqual(bearer);
        for (const scope of oauth ?? []) expect(defined.has(scope), `${where}: ${scope}`).toBe(true);
      }
    }
  });
});

describe("tags", () => {
  it("declares every tag an operation uses, each with a description, and none unused", () => {
    const declared = new Map(doc.tags.map((t) => [t.name, t.description ?? ""]));
    const used = new Set(
      Object.values(doc.paths).flatMap((methods) => Object.values(methods).flatMap((op) => op.tags ?? [])),
    );
    expect([...used].filter((t) => !declared.has(t))).toEqual([]);
    expect([...declared.keys()].filter((t) => !used.has(t))).toEqual([]);
    for (const [name, description] of declared) expect(description.length, name).toBeGreaterThan(10);
    // Every operation is in exactly one group of the reference.
    for (const methods of Object.values(doc.paths)) {
      for (const op of Object.values(methods)) expect(op.tags?.length, op.operationId).toBe(1);
    }
  });
});
