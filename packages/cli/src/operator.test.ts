/**
 * The operator commands end to end against the real PostgreSQL database of the test run: `run` is
 * called in-process with captured output, and the rows it wrote are read back with SQL.
 */
import { createHash } from "node:crypto";
import { verifyPassword } from "@dfda/auth";
import { allScopes } from "@dfda/core";
import { connect, type DbHandle } from "@dfda/db";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { run } from "./main";

const databaseUrl = inject("databaseUrl");
/** Unique per run: the node project's other test files share this database. */
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const slug = `cli-${suffix}`;

let handle: DbHandle;

beforeAll(async () => {
  handle = await connect(databaseUrl);
});

afterAll(async () => {
  await handle?.close();
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

async function dfda(
  args: string[],
  env: Record<string, string | undefined> = { DATABASE_URL: databaseUrl },
): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, env, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    fetch: () => Promise.reject(new Error("operator commands must not use the network")),
  });
  let json: Record<string, unknown> = {};
  if (code === 0 && stdout.trim().startsWith("{")) json = JSON.parse(stdout) as Record<string, unknown>;
  return { code, stdout, stderr, json };
}

/** A failure is one clear line (or a usage hint), never a stack trace or a query with its parameters. */
function expectCleanFailure(result: Result, code: 1 | 2, message: string | RegExp) {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  // drizzle prints "params: [...]" (with a space; the device grant type has "ietf:params:oauth").
  expect(result.stderr).not.toMatch(/Failed query|params: /);
}

const query = <T extends Record<string, unknown>>(sql: string, params: unknown[]) =>
  handle.client.query<T>(sql, params).then((r) => r.rows);

describe("dfda tenant create", () => {
  it("creates a tenant and prints its id and slug", async () => {
    const result = await dfda(["tenant", "create", "--slug", slug, "--name", "CLI Test Tenant"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({ id: expect.any(String), slug });
    const rows = await query("select id, slug, name, status, settings from tenants where slug = $1", [slug]);
    expect(rows).toEqual([{ id: result.json.id, slug, name: "CLI Test Tenant", status: "active", settings: {} }]);
  });

  it("stores mfa_required when asked", async () => {
    const mfaSlug = `cli-mfa-${suffix}`;
    const result = await dfda(["tenant", "create", "--slug", mfaSlug, "--name", "Strict", "--mfa-required"]);
    expect(result.code, result.stderr).toBe(0);
    const rows = await query("select settings from tenants where id = $1", [result.json.id]);
    expect(rows).toEqual([{ settings: { mfa_required: true } }]);
  });

  it("refuses a duplicate slug with exit code 1", async () => {
    expectCleanFailure(
      await dfda(["tenant", "create", "--slug", slug, "--name", "Again"]),
      1,
      /tenant with slug "cli-.*" already exists/,
    );
    const rows = await query("select count(*)::int as n from tenants where slug = $1", [slug]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("reports usage errors with exit code 2", async () => {
    expectCleanFailure(await dfda(["tenant", "create", "--slug", `x-${suffix}`]), 2, /--name is required/);
    expectCleanFailure(await dfda(["tenant", "create", "--slug", "Not A Slug", "--name", "X"]), 2, /not a valid slug/);
    expectCleanFailure(
      await dfda(["tenant", "create", "--slug", "ok", "--name", "X", "--colour", "red"]),
      2,
      /Unknown option '--colour'/,
    );
    expectCleanFailure(await dfda(["tenant", "create", "--slug"]), 2, /--slug/);
    expectCleanFailure(
      await dfda(["tenant", "create", "--slug", `x-${suffix}`, "--name", "X"], {}),
      2,
      /DATABASE_URL is not set/,
    );
    expectCleanFailure(await dfda(["tenant", "delete"]), 2, /unknown command: tenant delete/);
  });

  it("says plainly when the database cannot be reached", async () => {
    const result = await dfda(["tenant", "create", "--slug", `x-${suffix}`, "--name", "X"], {
      DATABASE_URL: "postgres://postgres:secret@127.0.0.1:1/postgres",
    });
    expectCleanFailure(
      result,
      1,
      /cannot connect to the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/,
    );
    expect(result.stderr).not.toContain("secret");
  });
});

describe("dfda user create / admin create", () => {
  const password = "correct horse battery staple";

  it("creates a verified user with a hashed password and the default role", async () => {
    const email = `ada-${suffix}@example.org`;
    const result = await dfda([
      "user",
      "create",
      "--tenant",
      slug,
      "--email",
      email,
      "--password",
      password,
      "--name",
      "Ada",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({ id: expect.any(String), email, roles: ["data_owner"] });
    const [user] = await query<{
      password_hash: string;
      display_name: string;
      email_verified_at: Date | null;
      slug: string;
    }>(
      "select u.password_hash, u.display_name, u.email_verified_at, t.slug from users u join tenants t on t.id = u.tenant_id where u.id = $1",
      [result.json.id],
    );
    expect(user?.slug).toBe(slug);
    expect(user?.display_name).toBe("Ada");
    expect(user?.email_verified_at).toBeInstanceOf(Date);
    expect(user?.password_hash).toEqual(expect.any(String));
    expect(user?.password_hash).not.toContain(password);
    expect(user?.password_hash).toMatch(/^\$scrypt\$/);
    expect((await verifyPassword(password, user?.password_hash ?? "")).valid).toBe(true);
    const roles = await query("select role from roles where user_id = $1 order by role", [result.json.id]);
    expect(roles).toEqual([{ role: "data_owner" }]);
  });

  it("grants repeated --role values, once each", async () => {
    const email = `grace-${suffix}@example.org`;
    const result = await dfda([
      "user",
      "create",
      "--tenant",
      slug,
      "--email",
      email,
      "--password",
      password,
      "--role",
      "researcher",
      "--role",
      "app_developer",
      "--role",
      "researcher",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.roles).toEqual(["researcher", "app_developer"]);
    const roles = await query("select role from roles where user_id = $1 order by role", [result.json.id]);
    expect(roles).toEqual([{ role: "app_developer" }, { role: "researcher" }]);
  });

  it("creates an administrator with admin and data_owner", async () => {
    const email = `root-${suffix}@example.org`;
    const result = await dfda(["admin", "create", "--tenant", slug, "--email", email, "--password", password]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toEqual({ id: expect.any(String), email, roles: ["admin", "data_owner"] });
    const roles = await query("select role from roles where user_id = $1 order by role", [result.json.id]);
    expect(roles).toEqual([{ role: "admin" }, { role: "data_owner" }]);
  });

  it("refuses a duplicate e-mail in the tenant, ignoring case", async () => {
    const result = await dfda([
      "user",
      "create",
      "--tenant",
      slug,
      "--email",
      `ADA-${suffix}@Example.org`,
      "--password",
      password,
    ]);
    expectCleanFailure(result, 1, /already exists in tenant/);
  });

  it("refuses an unknown tenant with exit code 1", async () => {
    const result = await dfda([
      "user",
      "create",
      "--tenant",
      `nope-${suffix}`,
      "--email",
      "x@example.org",
      "--password",
      password,
    ]);
    expectCleanFailure(result, 1, /no tenant with slug "nope-/);
  });

  it("reports usage errors with exit code 2", async () => {
    const base = ["user", "create", "--tenant", slug, "--email", `new-${suffix}@example.org`];
    expectCleanFailure(
      await dfda([...base, "--password", password, "--role", "owner"]),
      2,
      /Unknown role: owner\. Roles: data_owner/,
    );
    expectCleanFailure(await dfda([...base, "--password", "short"]), 2, /at least 12 characters/);
    expectCleanFailure(await dfda(base), 2, /--password is required/);
    expectCleanFailure(
      await dfda(["user", "create", "--tenant", slug, "--email", "not-an-email", "--password", password]),
      2,
      /not a valid e-mail/,
    );
    expectCleanFailure(
      await dfda(["admin", "create", ...base.slice(2), "--password", password, "--role", "researcher"]),
      2,
      /takes no --role/,
    );
    const rows = await query("select count(*)::int as n from users where email = $1", [`new-${suffix}@example.org`]);
    expect(rows).toEqual([{ n: 0 }]);
  });
});

describe("dfda client create", () => {
  it("registers a public client with the default grants and every scope", async () => {
    const result = await dfda([
      "client",
      "create",
      "--tenant",
      slug,
      "--name",
      "dfda CLI",
      "--public",
      "--redirect-uri",
      "http://127.0.0.1:8976/callback",
      "--redirect-uri",
      "com.example.app:/callback",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const clientId = String(result.json.client_id);
    expect(clientId).toMatch(/^dfda_[A-Za-z0-9_-]{16}$/);
    expect(result.json).not.toHaveProperty("client_secret");
    expect(result.json).toMatchObject({
      client_type: "public",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      redirect_uris: ["http://127.0.0.1:8976/callback", "com.example.app:/callback"],
      scope: allScopes().join(" "),
    });
    const rows = await query(
      `select c.name, c.client_type, c.secret_hash, c.redirect_uris, c.allowed_scopes, c.grant_types, t.slug
       from oauth_clients c join tenants t on t.id = c.tenant_id where c.client_id = $1`,
      [clientId],
    );
    expect(rows).toEqual([
      {
        name: "dfda CLI",
        client_type: "public",
        secret_hash: null,
        redirect_uris: ["http://127.0.0.1:8976/callback", "com.example.app:/callback"],
        allowed_scopes: allScopes(),
        grant_types: ["authorization_code", "refresh_token"],
        slug,
      },
    ]);
  });

  it("marks a client first-party only when asked (--first-party), never by default", async () => {
    const create = (extra: string[]) =>
      dfda([
        "client",
        "create",
        "--tenant",
        slug,
        "--name",
        "Own app",
        "--public",
        "--redirect-uri",
        "http://127.0.0.1:8976/callback",
        ...extra,
      ]);
    const own = await create(["--first-party"]);
    const other = await create([]);
    expect(own.code, own.stderr).toBe(0);
    expect(other.code, other.stderr).toBe(0);
    expect(own.json.first_party).toBe(true);
    expect(other.json.first_party).toBe(false);
    const rows = await query(
      "select client_id, first_party from oauth_clients where client_id = any($1::text[]) order by first_party",
      [[String(other.json.client_id), String(own.json.client_id)]],
    );
    expect(rows).toEqual([
      { client_id: String(other.json.client_id), first_party: false },
      { client_id: String(own.json.client_id), first_party: true },
    ]);
  });

  it("registers a confidential client whose secret is shown once and stored as its SHA-256", async () => {
    const clientId = `svc-${suffix}`;
    const result = await dfda([
      "client",
      "create",
      "--tenant",
      slug,
      "--name",
      "Sync service",
      "--confidential",
      "--client-id",
      clientId,
      "--redirect-uri",
      "https://sync.example.org/callback",
      "--scope",
      "observations:read observations:write",
      "--scope",
      "openid",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const secret = String(result.json.client_secret);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).toContain("shown only this once");
    expect(result.json).toMatchObject({
      client_id: clientId,
      client_type: "confidential",
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      scope: "observations:read observations:write openid",
    });
    const [row] = await query<{ secret_hash: string; allowed_scopes: string[]; grant_types: string[] }>(
      "select secret_hash, allowed_scopes, grant_types from oauth_clients where client_id = $1",
      [clientId],
    );
    expect(row?.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(row?.allowed_scopes).toEqual(["observations:read", "observations:write", "openid"]);
    expect(row?.grant_types).toEqual(["authorization_code", "refresh_token", "client_credentials"]);

    expectCleanFailure(
      await dfda([
        "client",
        "create",
        "--tenant",
        slug,
        "--name",
        "Again",
        "--confidential",
        "--client-id",
        clientId,
        "--grant-type",
        "client_credentials",
      ]),
      1,
      /client id "svc-.*" is already taken/,
    );
  });

  it("registers a machine client that only uses client_credentials, without redirect URIs", async () => {
    const result = await dfda([
      "client",
      "create",
      "--tenant",
      slug,
      "--name",
      "Cron",
      "--confidential",
      "--grant-type",
      "client_credentials",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ grant_types: ["client_credentials"], redirect_uris: [] });
  });

  it("reports usage errors with exit code 2", async () => {
    const base = ["client", "create", "--tenant", slug, "--name", "Bad"];
    const uri = ["--redirect-uri", "https://app.example.org/cb"];
    expectCleanFailure(await dfda([...base, ...uri]), 2, /Give --public or --confidential/);
    expectCleanFailure(await dfda([...base, "--public", "--confidential", ...uri]), 2, /not both/);
    expectCleanFailure(await dfda([...base, "--public", "--redirect-uri", "http://app.example.org/cb"]), 2, /loopback/);
    expectCleanFailure(
      await dfda([...base, "--public", "--redirect-uri", "https://app.example.org/cb#x"]),
      2,
      /fragment/,
    );
    expectCleanFailure(await dfda([...base, "--public", "--redirect-uri", "myapp:/cb"]), 2, /RFC 8252 §7.1/);
    expectCleanFailure(await dfda([...base, "--public"]), 2, /needs at least one --redirect-uri/);
    expectCleanFailure(
      await dfda([...base, "--public", ...uri, "--grant-type", "client_credentials"]),
      2,
      /public client cannot use client_credentials/,
    );
    expectCleanFailure(
      await dfda([...base, "--public", ...uri, "--grant-type", "password"]),
      2,
      /Unknown grant type: password/,
    );
    expectCleanFailure(
      await dfda([...base, "--public", ...uri, "--scope", "everything"]),
      2,
      /Unknown scope: everything/,
    );
    expectCleanFailure(await dfda([...base, "--public", ...uri, "--client-id", "a b"]), 2, /not a valid client id/);
    const rows = await query("select count(*)::int as n from oauth_clients where name = 'Bad'", []);
    expect(rows).toEqual([{ n: 0 }]);
  });
});

describe("help", () => {
  it("prints usage for dfda and for each command", async () => {
    const top = await dfda(["--help"], {});
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("Usage: dfda <command>");
    expect(top.stdout).toContain("DFDA_CLIENT_ID");
    for (const command of [
      ["tenant", "create"],
      ["user", "create"],
      ["admin", "create"],
      ["client", "create"],
      ["login"],
      ["token"],
    ]) {
      const result = await dfda([...command, "--help"], {});
      expect(result.code, command.join(" ")).toBe(0);
      expect(result.stdout).toContain(`Usage: dfda ${command.join(" ")}`);
    }
    expect((await dfda(["help", "login"], {})).stdout).toContain("DFDA_CLIENT_ID");
    const none = await dfda([], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Usage: dfda <command>");
    expectCleanFailure(await dfda(["frobnicate"], {}), 2, /unknown command: frobnicate/);
  });
});
