/**
 * The `dfda` data commands as a person runs them, against the running platform: the bundled command
 * (packages/cli/dist/dfda.mjs, built by the global setup) in its own process, signed in with tokens
 * saved where `dfda login` saves them (a temporary XDG_CONFIG_HOME): upload with progress and the
 * mapping's counts, jobs watch, observations in each format over several pages, exports downloaded,
 * connections and consents, a refresh that rotates the saved tokens, problems as one line. Then the
 * packed package installed outside the repository (`npm pack`, `npm install -g --prefix`) runs too.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, databaseUrl, LOCAL_CLIENT_ID, newPerson, ROOT, tokenFor } from "./fixtures";

const SCOPE =
  "openid offline_access observations:read observations:write files:read files:write consents:read consents:manage";
const DFDA = join(ROOT, "node_modules/.bin/dfda");

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command as a person does: no DATABASE_URL, not a terminal, the given config folder. */
function run(
  command: string,
  args: readonly string[],
  configHome: string,
  cwd = tmpdir(),
  env: Record<string, string> = {},
): Promise<Result> {
  const { DATABASE_URL: _db, ...rest } = process.env;
  const child = spawn(command, [...args], {
    cwd,
    env: { ...rest, XDG_CONFIG_HOME: configHome, DFDA_BASE_URL: baseUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Saved {
  base_url: string;
  client_id: string;
  access_token: string;
  refresh_token?: string;
  expires_at: number;
  token_type: string;
  scope: string;
}

/** Signs a new person in the way `dfda login` leaves them: credentials.json, 0600, in a 0700 folder. */
async function signedIn(): Promise<{ configHome: string; email: string; file: string }> {
  const person = await newPerson({ scope: SCOPE });
  const tokens = await tokenFor(person.email, { scope: SCOPE });
  const configHome = mkdtempSync(join(tmpdir(), "dfda-cli-data-"));
  mkdirSync(join(configHome, "dfda"), { mode: 0o700 });
  const file = join(configHome, "dfda", "credentials.json");
  const saved: Saved = {
    base_url: baseUrl,
    client_id: LOCAL_CLIENT_ID,
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_at: Date.now() + tokens.expires_in * 1000,
    scope: tokens.scope ?? SCOPE,
    ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
  };
  writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
  return { configHome, email: person.email, file };
}

const STACK_LINE = /^\s+at /m;
/** A problem in one line: status, code, detail, request id. */
const PROBLEM_LINE = /^dfda [a-z ]+: \d{3} [a-z_]+: .+\(request [^)]+\)/;

let me: { configHome: string; email: string; file: string };
let work: string;
/** 6,000 heart rates a minute apart from 2026-08-01T00:00Z: a file several read chunks long. */
const ROWS = 6000;
let jobId = "";

beforeAll(async () => {
  me = await signedIn();
  work = mkdtempSync(join(tmpdir(), "dfda-cli-work-"));
  const start = Date.parse("2026-08-01T00:00:00Z");
  const lines = ["date,heart rate (bpm)"];
  for (let i = 0; i < ROWS; i++) lines.push(`${new Date(start + i * 60_000).toISOString()},${55 + (i % 40)}`);
  writeFileSync(join(work, "heart.csv"), `${lines.join("\n")}\n`);
}, 120_000);
afterAll(() => {
  rmSync(me.configHome, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe("dfda upload and dfda jobs watch", () => {
  it("uploads with upload progress on stderr, follows the mapping and reports its counts in words", async () => {
    const size = statSync(join(work, "heart.csv")).size;
    expect(size).toBeGreaterThan(2 * 64 * 1024);
    const result = await run(DFDA, ["upload", "heart.csv", "--wait"], me.configHome, work);
    expect(result.code, result.stderr).toBe(0);
    // Not a terminal: plain lines at each tenth of the way, from 0% to 100% of the file's bytes.
    const upload = result.stderr.split("\n").filter((l) => l.startsWith("Uploading heart.csv: "));
    expect(upload[0]).toMatch(/^Uploading heart\.csv: 0% \(0 B of \d+\.\d+ kB\)$/);
    expect(upload.at(-1)).toMatch(/^Uploading heart\.csv: 100% \((\d+\.\d+) kB of \1 kB\)$/);
    expect(upload.length).toBeGreaterThanOrEqual(3);
    expect(result.stderr).not.toContain("\r");
    const [, file, job] = /Uploaded heart\.csv \(\S+ kB\) as file (\S+); mapping job (\S+)\./.exec(result.stderr) ?? [];
    expect(file).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.stderr).toMatch(/^Mapping completed\.$/m);
    expect(result.stdout).toContain(
      `Job ${job} completed. 6,000 observations received, 6,000 stored (0 flagged out of range, 0 outliers), 0 duplicates, 0 rejected.`,
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
    jobId = job ?? "";
  }, 120_000);

  it("says the same bytes were uploaded before, and prints the file id for scripts", async () => {
    const result = await run(DFDA, ["upload", join(work, "heart.csv")], me.configHome);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/heart\.csv was uploaded before: file \S+; nothing new to map\./);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);

  it("watches a job by id, in words and as JSON", async () => {
    const words = await run(DFDA, ["jobs", "watch", jobId], me.configHome);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toContain(`Job ${jobId} completed. 6,000 observations received, 6,000 stored`);
    const json = await run(DFDA, ["jobs", "watch", jobId, "--json"], me.configHome);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: jobId,
      status: "completed",
      counts: { received: ROWS, stored: ROWS },
      progress: { processed: ROWS, total: ROWS },
      issues: [],
      issues_next_cursor: null,
    });
  }, 60_000);

  it("exits 1 when the mapping fails: a format no mapper reads", async () => {
    writeFileSync(join(work, "notes.bin"), `not health data ${randomUUID()}\n`);
    const result = await run(DFDA, ["upload", "notes.bin", "--wait", "--json"], me.configHome, work);
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout) as { job: { status: string } };
    expect(answer.job.status).toBe("unsupported_format");
    expect(result.stderr).toMatch(/^dfda upload: job \S+ ended: the file's format is not one the platform reads/m);
    expect(result.stderr).not.toMatch(STACK_LINE);
  }, 60_000);

  it("refuses a missing file and a bad job id as usage errors (exit 2), before any request", async () => {
    const missing = await run(DFDA, ["upload", "no-such-file.csv"], me.configHome, work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read no-such-file.csv: ENOENT");
    const bad = await run(DFDA, ["jobs", "watch", "12"], me.configHome);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("the job ID 12 is not an id");
  });
});

describe("dfda observations", () => {
  const window = ["--variable", "http://loinc.org|8867-4", "--from", "2026-08-01T00:00:00Z", "--to"];

  it("pages through the cursor: 300 rows in CSV (RFC 4180, CRLF, a header) over two pages of 200", async () => {
    const result = await run(
      DFDA,
      ["observations", ...window, "2026-08-01T05:00:00Z", "--format", "csv"],
      me.configHome,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(
      "id,start_at,end_at,variable_id,variable_slug,variable_name,value,comparator,value_code,value_text,value_boolean,unit,original_value,original_unit,source,valid,outlier,note,file_id,job_id",
    );
    const rows = lines.slice(1, -1).map((l) => l.split(","));
    expect(rows).toHaveLength(300);
    // Newest first; the last row is the first minute.
    expect(rows[0]?.[1]).toBe("2026-08-01T04:59:00.000Z");
    expect(rows.at(-1)?.[1]).toBe("2026-08-01T00:00:00.000Z");
    expect(rows.at(-1)?.slice(4, 7)).toEqual(["heart-rate", "Heart rate", "55"]);
    expect(rows.at(-1)?.[11]).toBe("/min");
    expect(new Set(rows.map((r) => r[0])).size).toBe(300);
  }, 60_000);

  it("prints NDJSON (the API's objects) and stops at --limit", async () => {
    const result = await run(
      DFDA,
      ["observations", ...window, "2026-08-02T00:00:00Z", "--format", "ndjson", "--limit", "250"],
      me.configHome,
    );
    expect(result.code, result.stderr).toBe(0);
    const items = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { variable: { slug: string }; value: number; unit: string; start_at: string });
    expect(items).toHaveLength(250);
    expect(items[0]).toMatchObject({
      variable: { slug: "heart-rate" },
      unit: "/min",
      start_at: "2026-08-01T23:59:00.000Z",
    });
  }, 60_000);

  it("prints a table for people", async () => {
    const result = await run(DFDA, ["observations", ...window, "2026-08-01T00:02:00Z"], me.configHome);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^START\s+VARIABLE\s+VALUE\s+UNIT\s+SOURCE\s+FLAGS$/);
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[2]).toMatch(/^2026-08-01T00:00:00\.000Z\s+heart-rate\s+55\s+\/min\s+\S+/);
    expect(result.stderr).toBe("2 observations\n");
  }, 60_000);

  it("shows a refused query as one line with the problem's code and request id, exit 1", async () => {
    const result = await run(DFDA, ["observations", "--from", "yesterday"], me.configHome);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(PROBLEM_LINE);
    expect(result.stderr).toContain("400 validation_failed");
    expect(result.stderr).toContain("query /from");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    const usage = await run(DFDA, ["observations", "--format", "xml"], me.configHome);
    expect(usage.code).toBe(2);
  }, 60_000);
});

describe("dfda export", () => {
  it("exports FHIR NDJSON with progress and downloads it into a folder", async () => {
    const dir = join(work, "exports");
    const result = await run(
      DFDA,
      [
        "export",
        "--format",
        "fhir-ndjson",
        "--from",
        "2026-08-01T00:00:00Z",
        "--to",
        "2026-08-01T01:00:00Z",
        "--download",
        dir,
      ],
      me.configHome,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Export \S+ queued\.$/m);
    expect(result.stderr).toMatch(/^Export \S+ built: 60 observations, \S+ \S?B\.$/m);
    const path = result.stdout.trim();
    expect(path).toMatch(/dfda-export-[0-9a-f-]{36}\.ndjson$/);
    expect(readdirSync(dir)).toEqual([path.slice(dir.length + 1)]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const resources = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { resourceType: string; valueQuantity?: { value: number; code: string } });
    expect(resources).toHaveLength(60);
    expect(resources.every((r) => r.resourceType === "Observation" && r.valueQuantity?.code === "/min")).toBe(true);
  }, 120_000);

  it("exports CSV with the original files as a ZIP, reporting it as JSON", async () => {
    const dir = join(work, "zip");
    const result = await run(
      DFDA,
      [
        "export",
        "--format",
        "csv",
        "--originals",
        "--from",
        "2026-08-01T00:00:00Z",
        "--to",
        "2026-08-01T00:10:00Z",
        "--download",
        dir,
        "--json",
      ],
      me.configHome,
    );
    expect(result.code, result.stderr).toBe(0);
    const exported = JSON.parse(result.stdout) as {
      status: string;
      path: string;
      bytes: number;
      include_files: boolean;
    };
    expect(exported).toMatchObject({ status: "completed", include_files: true });
    expect(exported.path).toMatch(/\.zip$/);
    const bytes = readFileSync(exported.path);
    expect(bytes.length).toBe(exported.bytes);
    // A ZIP archive starts with a local file header (APPNOTE.TXT §4.3.7, signature 0x04034b50).
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.includes(Buffer.from("files/"))).toBe(true);
  }, 120_000);
});

describe("dfda connections and dfda consents", () => {
  it("lists no connections for a new person, and a sync of an unknown one is a 404 problem in one line", async () => {
    const list = await run(DFDA, ["connections", "--json"], me.configHome);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const words = await run(DFDA, ["connections"], me.configHome);
    expect(words.stderr).toBe("0 connections\n");
    const sync = await run(DFDA, ["connections", "sync", randomUUID()], me.configHome);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(PROBLEM_LINE);
    expect(sync.stderr).toContain("404 not_found");
  }, 60_000);

  it("grants a clinician read access to vital signs, lists it, revokes it", async () => {
    const clinician = await newPerson({ scope: "openid" });
    const info = (await (
      await fetch(`${baseUrl}/oauth/userinfo`, { headers: { Authorization: `Bearer ${clinician.accessToken}` } })
    ).json()) as { sub: string };
    const grant = await run(
      DFDA,
      [
        "consents",
        "grant",
        "--grantee",
        `user:${info.sub}`,
        "--action",
        "read",
        "--category",
        "vital_signs",
        "--purpose",
        "My cardiologist",
        "--json",
      ],
      me.configHome,
    );
    expect(grant.code, grant.stderr).toBe(0);
    const created = JSON.parse(grant.stdout) as { id: string; status: string };
    expect(created.status).toBe("active");
    const listed = await run(DFDA, ["consents"], me.configHome);
    expect(listed.stdout).toContain(`${created.id}  active  user:${info.sub}  read  vital_signs "My cardiologist"`);
    const revoked = await run(DFDA, ["consents", "revoke", created.id], me.configHome);
    expect(revoked.code, revoked.stderr).toBe(0);
    const all = JSON.parse((await run(DFDA, ["consents", "list", "--json"], me.configHome)).stdout) as Array<{
      id: string;
      status: string;
    }>;
    expect(all.find((g) => g.id === created.id)?.status).toBe("revoked");
    const active = JSON.parse((await run(DFDA, ["consents", "--active", "--json"], me.configHome)).stdout) as unknown[];
    expect(active).toEqual([]);
    // A grant the server refuses (an unknown category) names the field, in one line.
    const bad = await run(
      DFDA,
      ["consents", "grant", "--grantee", `user:${info.sub}`, "--action", "read", "--category", "astrology"],
      me.configHome,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(PROBLEM_LINE);
    expect(bad.stderr).toContain("/scope/categories/0");
  }, 60_000);
});

describe("the saved sign-in", () => {
  it("refreshes an expired access token, writes the rotated tokens back 0600, and the old refresh token is spent", async () => {
    const session = await signedIn();
    try {
      const before = JSON.parse(readFileSync(session.file, "utf8")) as Saved;
      // The access token's expiry, moved into the past where the CLI reads it.
      writeFileSync(session.file, JSON.stringify({ ...before, expires_at: Date.now() - 60_000 }), { mode: 0o600 });
      const result = await run(DFDA, ["observations", "--format", "ndjson"], session.configHome);
      expect(result.code, result.stderr).toBe(0);
      const after = JSON.parse(readFileSync(session.file, "utf8")) as Saved;
      expect(after.access_token).not.toBe(before.access_token);
      expect(after.refresh_token).toBeTruthy();
      expect(after.refresh_token).not.toBe(before.refresh_token);
      expect(after.expires_at).toBeGreaterThan(Date.now());
      expect(after).toMatchObject({ base_url: baseUrl, client_id: LOCAL_CLIENT_ID });
      expect(statSync(session.file).mode & 0o777).toBe(0o600);
      expect(readdirSync(join(session.configHome, "dfda"))).toEqual(["credentials.json"]);
      const reuse = await fetch(`${baseUrl}/oauth/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: before.refresh_token ?? "",
          client_id: LOCAL_CLIENT_ID,
        }),
      });
      expect(reuse.status).toBe(400);
      // Reusing the spent token revoked the family (RFC 9700 §4.14.2): the CLI now says to sign in again.
      writeFileSync(session.file, JSON.stringify({ ...after, expires_at: Date.now() - 60_000 }), { mode: 0o600 });
      const refused = await run(DFDA, ["observations"], session.configHome);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^dfda observations: the saved sign-in could not be renewed \(invalid_grant.*run dfda login/,
      );
      expect(refused.stderr).not.toMatch(STACK_LINE);
    } finally {
      rmSync(session.configHome, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses to send the saved tokens to another server, and says to sign in when there are none", async () => {
    const other = await run(DFDA, ["observations", "--base-url", "http://127.0.0.1:9"], me.configHome);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`signed in to ${baseUrl}, not http://127.0.0.1:9: run dfda login`);
    const empty = mkdtempSync(join(tmpdir(), "dfda-cli-empty-"));
    try {
      const none = await run(DFDA, ["consents"], empty);
      expect(none.code).toBe(1);
      expect(none.stderr).toBe("dfda consents: not signed in: run dfda login first\n");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("installed outside the repository", () => {
  it("npm pack, npm install -g of the tarball: dfda --version, --help and a data command run without tsx", async () => {
    const prefix = mkdtempSync(join(tmpdir(), "dfda-cli-install-"));
    try {
      // --ignore-scripts: the global setup built dist/ already, and other files may be running it now.
      const pack = await run(
        "npm",
        ["pack", "--ignore-scripts", "--json", "--pack-destination", prefix],
        me.configHome,
        join(ROOT, "packages/cli"),
      );
      expect(pack.code, pack.stderr).toBe(0);
      const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const files = (packed?.files ?? []).map((f) => f.path).sort();
      expect(files).toEqual(["README.md", "dist/dfda.mjs", "dist/dfda.mjs.LEGAL.txt", "package.json"]);
      const install = await run(
        "npm",
        [
          "install",
          "-g",
          "--prefix",
          prefix,
          "--prefer-offline",
          "--no-audit",
          "--no-fund",
          join(prefix, packed?.filename ?? ""),
        ],
        me.configHome,
        prefix,
      );
      expect(install.code, install.stderr).toBe(0);
      const installed = join(prefix, "lib/node_modules/@dfda/cli");
      expect(readdirSync(join(installed, "node_modules"))).not.toContain("tsx");
      const bin = join(prefix, "bin/dfda");
      const version = await run(bin, ["--version"], me.configHome, prefix);
      expect(version).toMatchObject({ code: 0, stdout: "dfda 0.1.0\n" });
      const help = await run(bin, ["--help"], me.configHome, prefix);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("upload          Upload a file");
      const read = await run(
        bin,
        ["observations", "--variable", "http://loinc.org|8867-4", "--limit", "1", "--format", "ndjson"],
        me.configHome,
        prefix,
      );
      expect(read.code, read.stderr).toBe(0);
      expect(JSON.parse(read.stdout)).toMatchObject({ variable: { slug: "heart-rate" } });
      // The operator commands reach PostgreSQL with the declared `pg`, from the installed package's own dependencies.
      expect(readdirSync(join(installed, "node_modules"))).toContain("pg");
      const slug = `installed-${randomUUID().slice(0, 8)}`;
      const operator = await run(
        bin,
        ["tenant", "create", "--slug", slug, "--name", "Installed"],
        me.configHome,
        prefix,
        {
          DATABASE_URL: databaseUrl,
        },
      );
      expect(operator.code, operator.stderr).toBe(0);
      expect(operator.stdout).toContain(slug);
    } finally {
      rmSync(prefix, { recursive: true, force: true });
    }
  }, 180_000);
});
