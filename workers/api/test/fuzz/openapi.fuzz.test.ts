/**
 * Property-based fuzzing of every operation in the app's own OpenAPI document (issue 12, "Tests that
 * keep it closed"), against the real Worker entry, the real database and the real tokens.
 *
 * For each operation, fast-check draws requests from the operation's parameter and body schemas
 * (./schema-arbitrary.ts): valid ones, and ones with a single defect: a wrong type, a missing required
 * member, an unknown member, a value one past a bound, a broken format, hostile text (NUL, lone
 * surrogates, 1 MiB), 10,000 levels of nested arrays, 100,000-item arrays, malformed JSON, a wrong or
 * missing Content-Type, malformed percent-escapes in the path and query. Properties:
 * - the server answers (each request is awaited to the end of its body; the test timeout bounds it)
 *   and never with a 5xx;
 * - every 4xx of the API is RFC 9457 problem+json with a stable `code` (the authorization server's
 *   endpoints answer in their own standards' formats, RFC 6749 §5.2 and HTML, as the document says);
 * - a `validation_failed` problem lists each bad field (`errors`, with location and RFC 6901 pointer),
 *   and when the defect is one the schema must refuse, the request is refused and the problem names
 *   the field the defect is in.
 *
 * Reproducible: the seed is fixed (FUZZ_SEED overrides it, FUZZ_RUNS the runs per operation), printed
 * at the start; a failure prints fast-check's shrunk counterexample and the seed and path to replay.
 *
 * Side effects stay in tenants made for this file; operations that erase or lock an account run with
 * an account of their own, last (see ACCOUNT_SCOPES and the ordering below).
 */
import { env } from "cloudflare:workers";
import { ERROR_CODE_LIST, type ProblemDetails } from "@dfda/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { findForm } from "../browser";
import { api, json } from "../helpers";
import { adminToken, CHALLENGE, makeClient, makeTenant, makeUser, userToken } from "../identity";
import {
  type Json,
  type JsonSchema,
  type Location,
  type Mutant,
  mutatedParam,
  mutatedValue,
  RawJson,
  toJsonText,
  toParamText,
  toPointer,
  validValue,
} from "./schema-arbitrary";

/** The shell's FUZZ_SEED and FUZZ_RUNS, passed in as bindings by vitest.config.ts (workerd has no process.env of the host). */
const settings = env as unknown as { FUZZ_SEED?: string; FUZZ_RUNS?: string };
const SEED = settings.FUZZ_SEED ? Number(settings.FUZZ_SEED) : 20261206;
const RUNS = settings.FUZZ_RUNS ? Number(settings.FUZZ_RUNS) : 14;
console.info(`[fuzz] seed ${SEED}, ${RUNS} runs per operation (FUZZ_SEED and FUZZ_RUNS change them)`);

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface Doc {
  security?: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

const doc = await json<Doc>(await api("/openapi.json"));
const components = doc.components.schemas;

/** Scopes only a tenant administrator's token carries (admins enrol TOTP first). */
const ADMIN_SCOPES = new Set(["tenant:manage", "audit:read"]);
/** Scopes of an app developer (RFC 7591 registration). */
const DEVELOPER_SCOPES = new Set(["clients:manage"]);
/**
 * Scopes of operations that can erase the account or lock it (TOTP enrolment and removal, erasure):
 * they are fuzzed with an account of their own, so erasing it or locking it after failed codes cannot
 * turn the rest of the run into 401s.
 */
const ACCOUNT_SCOPES = new Set(["profile:write"]);

const operations = Object.entries(doc.paths)
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const security = op.security ?? doc.security ?? [];
      const scopes = security.flatMap((s) => Object.values(s).flat());
      return {
        path,
        method: method.toUpperCase(),
        op,
        /** The authorization server: its errors follow RFC 6749 §5.2 and its pages are HTML. */
        oauth: path.startsWith("/oauth/") || path.startsWith("/.well-known/"),
        caller: (security.length === 0
          ? "none"
          : scopes.some((s) => ADMIN_SCOPES.has(s))
            ? "admin"
            : scopes.some((s) => DEVELOPER_SCOPES.has(s))
              ? "developer"
              : scopes.some((s) => ACCOUNT_SCOPES.has(s))
                ? "account"
                : "owner") as Caller,
      };
    }),
  )
  // Deletions last, the account's own operations (erasure among them) after everything else.
  .sort((a, b) => rank(a) - rank(b));

function rank(o: { method: string; caller: Caller }): number {
  return (o.caller === "account" ? 2 : 0) + (o.method === "DELETE" ? 1 : 0);
}

type Caller = "none" | "owner" | "admin" | "developer" | "account";

/** The scopes a person can grant an app, read from the document (every scope but the admin and developer ones). */
const personScopes = [
  "openid",
  ...new Set(
    operations
      .flatMap((o) => (o.op.security ?? []).flatMap((s) => Object.values(s).flat()))
      .filter((s) => !ADMIN_SCOPES.has(s) && !DEVELOPER_SCOPES.has(s) && s !== "openid"),
  ),
];

/**
 * The sign-in pages' forms need their page's CSRF cookie and token (a double-submit pair): without
 * them every post stops at the CSRF check. For the forms a page hands out without a session (sign-in,
 * sign-up, forgot password), the page is opened first and its cookies and hidden fields are sent with
 * the drawn requests, so the fuzz reaches the handlers behind the check.
 */
interface FormSession {
  cookie: string;
  fields: Record<string, string>;
}
const formSessions = new Map<string, FormSession>();

async function openForm(pageUrl: string, action: string): Promise<FormSession> {
  const res = await api(pageUrl, { headers: { "CF-Connecting-IP": "203.0.113.254" } });
  const html = await res.text();
  const cookie = res.headers
    .getAll("Set-Cookie")
    .map((c) => c.split(";")[0] ?? "")
    .join("; ");
  const { fields } = findForm(html, action);
  return { cookie, fields: { csrf_token: fields.csrf_token ?? "", return_to: fields.return_to ?? "" } };
}

const tokens: Partial<Record<Caller, string>> = {};
/** Real ids of the owner's objects, so path ids reach handlers and not only "not found". */
const knownIds: string[] = [];

beforeAll(async () => {
  const tenant = await makeTenant();
  const client = await makeClient(tenant, { type: "public", scopes: personScopes });
  tokens.owner = await userToken(client, await makeUser(tenant), personScopes.join(" "));
  const accountScopes = personScopes.filter((s) => s === "openid" || ACCOUNT_SCOPES.has(s)).join(" ");
  tokens.account = await userToken(client, await makeUser(tenant), accountScopes);
  const adminClient = await makeClient(tenant, { type: "public", scopes: ["openid", ...ADMIN_SCOPES] });
  tokens.admin = await adminToken(
    adminClient,
    await makeUser(tenant, ["admin", "data_owner"]),
    [...ADMIN_SCOPES].join(" "),
  );
  const devClient = await makeClient(tenant, { type: "public", scopes: ["openid", ...DEVELOPER_SCOPES] });
  tokens.developer = await userToken(devClient, await makeUser(tenant, ["app_developer"]), "openid clients:manage");

  const authorize = `/oauth/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid",
    state: "s",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  })}`;
  formSessions.set("/oauth/login", await openForm(authorize, "/oauth/login"));
  const returnTo = encodeURIComponent(authorize);
  formSessions.set("/oauth/signup", await openForm(`/oauth/signup?return_to=${returnTo}`, "/oauth/signup"));
  formSessions.set(
    "/oauth/forgot-password",
    await openForm(`/oauth/forgot-password?return_to=${returnTo}`, "/oauth/forgot-password"),
  );

  const owner = { Authorization: `Bearer ${tokens.owner}` };
  const file = await api("/v1/ingest/files?name=f.csv", {
    method: "POST",
    headers: { ...owner, "Content-Type": "text/csv" },
    body: "date,weight (kg)\n2026-01-01,70.5\n",
  });
  const job = await api("/v1/ingest/observations", {
    method: "POST",
    headers: { ...owner, "Content-Type": "application/json" },
    body: JSON.stringify({
      observations: [
        {
          variable: { system: "http://loinc.org", code: "29463-7" },
          value: 70,
          unit: "kg",
          start_at: "2026-01-01T00:00:00Z",
        },
      ],
    }),
  });
  for (const res of [file, job]) {
    const body = await json<{ id?: string; job_id?: string; file_id?: string }>(res);
    for (const id of [body.id, body.job_id, body.file_id]) if (typeof id === "string") knownIds.push(id);
  }
  // A file id and two job ids (the file's mapping job, the batch's): the fixtures worked.
  expect(new Set(knownIds).size).toBe(3);
}, 240_000);

// ---- requests -----------------------------------------------------------------------------------

/** Where a defect was put, so a validation problem can be checked for naming it. */
interface Defect {
  location: Location;
  path: Array<string | number>;
  kind: string;
  strong: boolean;
}

interface FuzzRequest {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | FormData | null;
  defect: Defect | null;
}

/** Short text for a counterexample: fast-check prints it instead of a 1 MiB body. */
function describeRequest(r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  const body =
    r.body === null
      ? "none"
      : typeof r.body === "string"
        ? cut(JSON.stringify(r.body))
        : r.body instanceof FormData
          ? "multipart form"
          : `${r.body.byteLength} bytes`;
  return `${cut(r.url)} headers=${JSON.stringify(r.headers)} body=${body} defect=${JSON.stringify(r.defect)}`;
}

function withPrinter(r: FuzzRequest): FuzzRequest {
  return Object.assign(r, { [fc.toStringMethod]: () => describeRequest(r) });
}

/** Lone surrogates as U+FFFD (String.prototype.toWellFormed, ES2024): encodeURIComponent throws on them. */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** A path segment: well-formed UTF-16 percent-encoded, or a raw malformed escape left as it is. */
function encodeSegment(text: string, raw: boolean): string {
  return raw ? text : encodeURIComponent(wellFormed(text));
}

const RAW_ESCAPES = ["%", "%E0%A4%A", "%C0%80", "%FF%FE", "%2F..%2F", "%00"];

type ParamValues = Record<string, { text: string; raw: boolean } | undefined>;

/** Valid values for every parameter (optional ones sometimes left out). */
function validParams(params: Parameter[]): fc.Arbitrary<ParamValues> {
  const shape: Record<string, fc.Arbitrary<{ text: string; raw: boolean } | undefined>> = {};
  for (const p of params) {
    let arb: fc.Arbitrary<string> = validValue(p.schema, { components }).map(toParamText);
    if (p.in === "path" && p.schema.format === "uuid" && knownIds.length > 0) {
      arb = fc.oneof(arb, fc.constantFrom(...knownIds));
    }
    if (p.in === "header") arb = arb.filter((v) => /^[\x20-\x7e]*$/.test(v));
    const value = arb.map((text) => ({ text, raw: false }));
    shape[`${p.in}:${p.name}`] = p.required === true ? value : fc.option(value, { nil: undefined, freq: 3 });
  }
  return fc.record(shape);
}

function buildUrl(path: string, params: Parameter[], values: ParamValues, extraQuery: string): string {
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[`path:${name}`];
    return v === undefined ? "" : encodeSegment(v.text, v.raw);
  });
  const query: string[] = [];
  for (const p of params) {
    const v = values[`query:${p.name}`];
    if (p.in !== "query" || v === undefined) continue;
    query.push(`${encodeURIComponent(p.name)}=${v.raw ? v.text : encodeURIComponent(wellFormed(v.text))}`);
  }
  if (extraQuery !== "") query.push(extraQuery);
  return query.length === 0 ? url : `${url}?${query.join("&")}`;
}

function headerParams(params: Parameter[], values: ParamValues): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const p of params) {
    const v = values[`header:${p.name}`];
    if (p.in === "header" && v !== undefined) headers[p.name] = v.text;
  }
  return headers;
}

/** A body of a media type from a value: JSON text, a form, or bytes. */
function encodeBody(
  mediaType: string,
  value: Json,
): { body: string | Uint8Array | FormData; contentType: string | null } {
  if (mediaType === "application/json") return { body: toJsonText(value), contentType: mediaType };
  if (mediaType === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams();
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RawJson)) {
      for (const [k, v] of Object.entries(value)) form.append(k, toParamText(v));
    } else form.append("value", toParamText(value));
    return { body: form.toString(), contentType: mediaType };
  }
  if (mediaType === "multipart/form-data") {
    // The browser's FormData sets the boundary; the `file` member (format binary) becomes a file part.
    const form = new FormData();
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof RawJson)) {
      for (const [k, v] of Object.entries(value)) {
        if (k === "file") form.append(k, new Blob([toParamText(v)], { type: "text/csv" }), "upload.csv");
        else form.append(k, toParamText(v));
      }
    }
    return { body: form, contentType: null };
  }
  return { body: new TextEncoder().encode(toParamText(value)), contentType: mediaType };
}

/** Request-level defects of a body: not well-formed, the wrong media type, none, too much. */
function bodyDefects(
  mediaType: string,
  schema: JsonSchema,
): fc.Arbitrary<{
  body: string | Uint8Array | null;
  contentType: string | null;
  kind: string;
}> {
  const validText = validValue(schema, { components }).map((v) => toJsonText(v));
  return fc.oneof(
    validText.map((text) => ({
      body: text.slice(0, Math.max(0, text.length - 1)),
      contentType: mediaType,
      kind: "truncated",
    })),
    fc
      .constantFrom("{", "[", '{"a":}', "nul", "\u0000", '{"a":1}{"b":2}', "\ufeff{}", '{"a":"\\ud800"}', "1e999999")
      .map((text) => ({ body: text, contentType: mediaType, kind: "malformed" })),
    fc
      .tuple(
        validText,
        fc.constantFrom(
          "text/plain",
          "application/xml",
          null,
          "application/json; charset=utf-16",
          "multipart/form-data",
          "application/x-www-form-urlencoded",
          "application/json",
        ),
      )
      .filter(([, ct]) => ct !== mediaType)
      .map(([text, contentType]) => ({ body: text, contentType, kind: "wrong-content-type" })),
    fc.constant({ body: null, contentType: mediaType, kind: "no-body" }),
    fc.constant({ body: `${"[".repeat(10_000)}${"]".repeat(10_000)}`, contentType: mediaType, kind: "deep-nesting" }),
    fc.constant({
      body: `{"a":${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}}`,
      contentType: mediaType,
      kind: "deep-objects",
    }),
    fc.constant({ body: new Uint8Array(4 << 20).fill(0x20), contentType: mediaType, kind: "oversized" }),
  );
}

/** Every request an operation may get: valid, a defective parameter, a defective or malformed body. */
function requests(path: string, op: Operation): fc.Arbitrary<FuzzRequest> {
  const params = (op.parameters ?? []).filter((p) => p.in !== "cookie");
  const contents = Object.entries(op.requestBody?.content ?? {});
  const session = formSessions.get(path);
  /** A form's CSRF token and return path from its page, unless the drawn value is the defect. */
  const withSession = (value: Json, defectAt?: string | number): Json => {
    if (session === undefined || value === null || typeof value !== "object" || Array.isArray(value)) return value;
    if (value instanceof RawJson) return value;
    const filled: { [key: string]: Json } = { ...value };
    for (const [k, v] of Object.entries(session.fields)) if (k !== defectAt) filled[k] = v;
    return filled;
  };
  const bodies: Array<fc.Arbitrary<{ body: string | Uint8Array | FormData | null; contentType: string | null }>> =
    contents.map(([mediaType, c]) =>
      validValue(c.schema ?? {}, { components }).map((v) => encodeBody(mediaType, withSession(v))),
    );
  const validBody = bodies.length === 0 ? fc.constant({ body: null, contentType: null }) : fc.oneof(...bodies);
  const assemble = (
    values: ParamValues,
    body: { body: string | Uint8Array | FormData | null; contentType: string | null },
    defect: Defect | null,
    extraQuery = "",
  ): FuzzRequest => {
    const headers = headerParams(params, values);
    if (body.contentType !== null) headers["Content-Type"] = body.contentType;
    if (session !== undefined) headers.Cookie = session.cookie;
    return withPrinter({ url: buildUrl(path, params, values, extraQuery), headers, body: body.body, defect });
  };

  const kinds: Array<fc.Arbitrary<FuzzRequest>> = [
    fc.tuple(validParams(params), validBody).map(([values, body]) => assemble(values, body, null)),
  ];
  for (const p of params) {
    const location: Location = p.in === "path" ? "path" : p.in === "header" ? "header" : "query";
    const mutant = mutatedParam(p.schema, location, { components });
    kinds.push(
      fc.tuple(validParams(params), mutant, validBody).map(([values, m, body]) =>
        assemble({ ...values, [`${p.in}:${p.name}`]: { text: String(m.value), raw: false } }, body, {
          location,
          path: [p.name],
          kind: m.kind,
          // An empty path segment routes elsewhere (or nowhere): not a defect of this parameter.
          strong: m.strong && !(p.in === "path" && m.value === ""),
        }),
      ),
    );
    if (p.required === true) {
      kinds.push(
        fc.tuple(validParams(params), validBody).map(([values, body]) =>
          assemble({ ...values, [`${p.in}:${p.name}`]: undefined }, body, {
            location,
            path: [p.name],
            kind: "missing-required",
            strong: p.in !== "path",
          }),
        ),
      );
    }
    if (p.in === "path" || p.in === "query") {
      kinds.push(
        fc.tuple(validParams(params), fc.constantFrom(...RAW_ESCAPES), validBody).map(([values, text, body]) =>
          assemble({ ...values, [`${p.in}:${p.name}`]: { text, raw: true } }, body, {
            location,
            path: [p.name],
            kind: "raw-escape",
            strong: false,
          }),
        ),
      );
    }
    if (p.in === "query") {
      // The parameter twice, and an unknown one: ignored or refused, never a failure.
      kinds.push(
        fc
          .tuple(validParams(params), validBody)
          .map(([values, body]) =>
            assemble(
              values,
              body,
              null,
              `${encodeURIComponent(p.name)}=1&${encodeURIComponent(p.name)}=2&zz_unknown=1`,
            ),
          ),
      );
    }
  }
  for (const [mediaType, c] of contents) {
    const schema = c.schema ?? {};
    kinds.push(
      fc.tuple(validParams(params), mutatedValue(schema, { components })).map(([values, m]: [ParamValues, Mutant]) =>
        assemble(values, encodeBody(mediaType, withSession(m.value ?? null, m.path[0])), {
          location: "body",
          path: m.path,
          kind: m.kind,
          // Forms carry text: a wrong JSON type there is no defect, and multipart is parsed by hand.
          strong: m.strong && mediaType === "application/json",
        }),
      ),
    );
    kinds.push(
      fc.tuple(validParams(params), bodyDefects(mediaType, schema)).map(([values, d]) =>
        assemble(
          values,
          { body: d.body, contentType: d.contentType },
          {
            location: "body",
            path: [],
            kind: d.kind,
            // A body the operation must refuse: it is required and this one is not JSON of its type.
            strong:
              op.requestBody?.required === true &&
              mediaType === "application/json" &&
              contents.length === 1 &&
              d.kind !== "deep-objects" &&
              d.kind !== "wrong-content-type",
          },
        ),
      ),
    );
  }
  const [first, ...rest] = kinds;
  if (first === undefined) throw new Error("no requests");
  return fc.oneof(first, ...rest);
}

// ---- properties ---------------------------------------------------------------------------------

function mediaType(res: Response): string | null {
  return res.headers.get("content-type")?.split(";")[0]?.trim() ?? null;
}

/** Whether one RFC 6901 pointer is the other or an ancestor of it. */
function related(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

async function checkResponse(target: (typeof operations)[number], request: FuzzRequest, res: Response): Promise<void> {
  // The whole body arrives (a stream that never ends would time the test out).
  const text = await res.text();
  // 502 and 504 are an upstream's failure (a plugin that cannot be reached, issue 14), not the API's own:
  // allowed where the operation documents them.
  const upstream = (res.status === 502 || res.status === 504) && target.op.responses[String(res.status)] !== undefined;
  if (!upstream) expect(res.status, `a server error: ${text.slice(0, 500)}`).toBeLessThan(500);
  if (request.defect?.strong === true && !target.oauth) {
    expect(res.status, `a defect the schema refuses was accepted: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  }
  if (res.status < 400) return;
  const type = mediaType(res);
  const documented = Object.keys(target.op.responses[String(res.status)]?.content ?? {});
  if (target.oauth) {
    // RFC 6749 §5.2 JSON, HTML pages, or problems: whatever the document lists for this status.
    if (documented.length > 0) expect(documented).toContain(type);
    if (type !== "application/problem+json") return;
  } else {
    expect(type, `a ${res.status} that is not a problem: ${text.slice(0, 300)}`).toBe("application/problem+json");
  }
  const problem = JSON.parse(text) as ProblemDetails;
  expect(ERROR_CODE_LIST).toContain(problem.code);
  expect(problem.status).toBe(res.status);
  expect(problem.type).toMatch(new RegExp(`/problems/${problem.code}$`));
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.detail).toBe("string");
  if (problem.code !== "validation_failed") return;
  // RFC 9457 §3.2 extension `errors`: every bad field, with where it is.
  expect(problem.errors, `validation_failed without errors: ${problem.detail}`).toBeInstanceOf(Array);
  expect(problem.errors?.length ?? 0).toBeGreaterThan(0);
  for (const e of problem.errors ?? []) {
    expect(["query", "path", "header", "body"]).toContain(e.location);
    expect(typeof e.pointer).toBe("string");
    expect(typeof e.message).toBe("string");
  }
  const defect = request.defect;
  // Validation stops at the first location that fails (path, query, header, body, in the order the
  // route declares them): the defect must be named when its location is among those reported.
  const sameLocation = (problem.errors ?? []).filter((e) => e.location === defect?.location);
  if (defect?.strong === true && defect.path.length > 0 && sameLocation.length > 0) {
    const pointer = toPointer(defect.path);
    const named = sameLocation.some((e) => related(e.pointer, pointer));
    expect(named, `the problem does not name ${defect.location} ${pointer}: ${JSON.stringify(problem.errors)}`).toBe(
      true,
    );
  }
}

let sent = 0;

function send(target: (typeof operations)[number], request: FuzzRequest): Promise<Response> {
  // One of 250 documentation addresses (RFC 5737 TEST-NET-3) in turn: the per-IP limiters (60 a
  // minute) would otherwise answer most of the run 429 before any handler.
  const headers: Record<string, string> = { "CF-Connecting-IP": `203.0.113.${(sent++ % 250) + 1}`, ...request.headers };
  const token = target.caller === "none" ? undefined : tokens[target.caller];
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  return api(request.url, {
    method: target.method,
    headers,
    ...(request.body === null || target.method === "GET" ? {} : { body: request.body }),
  });
}

describe.each(operations)("fuzz $method $path", (target) => {
  it("answers every drawn request without a 5xx; its 4xx are problems that name the bad field", async () => {
    await fc.assert(
      fc.asyncProperty(requests(target.path, target.op), async (request) => {
        await checkResponse(target, request, await send(target, request));
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false, interruptAfterTimeLimit: 60_000 },
    );
  }, 180_000);
});
