/**
 * `dfda login` as a person uses it, against the running platform: in a real browser (Chromium driven by
 * playwright-core: the CLI's loopback redirect, RFC 8252 §7.3, receives the code) and headless with the
 * device grant (RFC 8628: the person approves in the browser of "another device"); the tokens saved
 * 0600 under XDG_CONFIG_HOME, `dfda logout` revoking them; and the operator's `dfda token issue`.
 *
 * Needs Chromium (Debian: `apt-get install chromium`; CHROMIUM_PATH overrides the path).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@dfda/db";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, databaseUrl, dfda, LOCAL_TENANT, newPerson, ROOT } from "./fixtures";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let browser: Browser;
let configHome: string;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
  });
  configHome = mkdtempSync(join(tmpdir(), "dfda-cli-config-"));
});
afterAll(async () => {
  await browser?.close();
  rmSync(configHome, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  /** Resolves with the first stderr text matching `pattern`. */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `dfda` as a person runs it (no DATABASE_URL), with its own config folder. */
function start(args: string[], env: Record<string, string | undefined>): Running {
  const { DATABASE_URL: _db, DISPLAY: _display, WAYLAND_DISPLAY: _wayland, BROWSER: _browser, ...rest } = process.env;
  const child = spawn(join(ROOT, "node_modules/.bin/dfda"), args, {
    cwd: tmpdir(),
    env: { ...rest, XDG_CONFIG_HOME: configHome, DFDA_BASE_URL: baseUrl, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiters]) {
      const match = w.pattern.exec(stderr);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return {
    child,
    done,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const match = pattern.exec(stderr);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        void done.then(({ stderr: err }) => reject(new Error(`dfda exited before ${pattern}: ${err}`)));
      }),
  };
}

async function signInPage(url: string, email: string, password: string) {
  const tab = await browser.newPage();
  await tab.goto(url);
  await tab.fill('input[name="email"]', email);
  await tab.fill('input[name="password"]', password);
  await tab.click('button[type="submit"]');
  return tab;
}

function stats(token: string): Promise<Response> {
  return fetch(`${baseUrl}/v1/me/stats`, { headers: { Authorization: `Bearer ${token}` } });
}

describe("dfda login", () => {
  it("signs in in the system browser with PKCE and a loopback redirect, and saves the tokens 0600", async () => {
    const person = await newPerson();
    // BROWSER=true: the CLI "opens" the URL with a command that does nothing; Chromium opens it instead.
    const login = start(["login", "--browser", "--scope", "openid offline_access observations:read"], {
      BROWSER: "true",
    });
    const [, url = ""] = await login.waitFor(/visit:\n(\S+)\n/);
    expect(url).toMatch(/redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback/);
    const tab = await signInPage(url, person.email, person.password);
    await tab.click('button[value="approve"]');
    await tab.waitForURL(/127\.0\.0\.1:\d+\/callback/);
    expect(await tab.textContent("h1")).toBe("Signed in");
    await tab.close();
    const result = await login.done;
    expect(result.code, result.stderr).toBe(0);
    const tokens = JSON.parse(result.stdout) as { access_token: string; refresh_token: string };
    expect((await stats(tokens.access_token)).status).toBe(200);
    const file = join(configHome, "dfda", "credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(configHome, "dfda")).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      base_url: baseUrl,
      client_id: "dfda-cli",
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
    });
  }, 120_000);

  it("uses the device grant on a machine without a browser; dfda logout revokes and deletes", async () => {
    const person = await newPerson();
    // No DISPLAY, no BROWSER: headless, so the device grant without being asked.
    const login = start(["login", "--scope", "openid offline_access observations:read"], {});
    const [, code = "", complete = ""] = await login.waitFor(/enter the code ([A-Z]{4}-[A-Z]{4})\n\(or open (\S+)\)/);
    expect(complete).toBe(`${baseUrl}/oauth/device?user_code=${code}`);
    // The person on their phone: types the code at the verification URI, signs in, compares and allows.
    const tab = await browser.newPage();
    await tab.goto(`${baseUrl}/oauth/device`);
    await tab.fill('input[name="user_code"]', code.toLowerCase());
    await tab.click('button[type="submit"]');
    await tab.fill('input[name="email"]', person.email);
    await tab.fill('input[name="password"]', person.password);
    await tab.click('button[type="submit"]');
    expect(await tab.textContent("main")).toContain(code);
    await tab.click('button[value="approve"]');
    expect(await tab.textContent("h1")).toBe("Device connected");
    await tab.close();
    const result = await login.done;
    expect(result.code, result.stderr).toBe(0);
    const tokens = JSON.parse(result.stdout) as { access_token: string; refresh_token: string };
    expect((await stats(tokens.access_token)).status).toBe(200);

    const logout = start(["logout"], {});
    const out = await logout.done;
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain("Signed out");
    expect(() => statSync(join(configHome, "dfda", "credentials.json"))).toThrow();
    expect((await stats(tokens.access_token)).status).toBe(401);
    const refresh = await fetch(`${baseUrl}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: "dfda-cli",
      }),
    });
    expect(refresh.status).toBe(400);
  }, 120_000);

  it("says the sign-in was denied when the person denies on the other device", async () => {
    const person = await newPerson();
    const login = start(["login", "--device", "--scope", "openid"], {});
    const [, , complete = ""] = await login.waitFor(/enter the code ([A-Z]{4}-[A-Z]{4})\n\(or open (\S+)\)/);
    const tab = await signInPage(complete, person.email, person.password);
    await tab.click('button[value="deny"]');
    await tab.close();
    const result = await login.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("denied");
  }, 120_000);
});

describe("dfda token issue (operator)", () => {
  it("prints an ordinary token of the server for a person, and audits the issuance", async () => {
    const email = `issued-${randomUUID()}@example.org`;
    await dfda(["user", "create", "--tenant", LOCAL_TENANT, "--email", email, "--password", `pw ${randomUUID()}`]);
    const tokens = JSON.parse(
      await dfda([
        "token",
        "issue",
        "--tenant",
        LOCAL_TENANT,
        "--email",
        email,
        "--base-url",
        baseUrl,
        "--scope",
        "observations:read",
      ]),
    ) as { access_token: string; scope: string; token_type: string };
    expect(tokens).toMatchObject({ token_type: "Bearer", scope: "observations:read" });
    expect((await stats(tokens.access_token)).status).toBe(200);
    const handle = await connect(databaseUrl);
    try {
      const { rows } = await handle.client.query<{ action: string }>(
        "select a.action from audit_log a join users u on u.id = a.subject_user_id where u.email = $1 order by a.occurred_at",
        [email],
      );
      expect(rows.map((r) => r.action)).toEqual(
        expect.arrayContaining(["oauth.token_issued_by_operator", "oauth.token_issued"]),
      );
    } finally {
      await handle.close();
    }
    await expect(
      dfda(["token", "issue", "--tenant", LOCAL_TENANT, "--email", "nobody@example.org", "--base-url", baseUrl]),
    ).rejects.toThrow("no active user");
    await expect(
      dfda(["token", "issue", "--tenant", LOCAL_TENANT, "--email", email, "--base-url", baseUrl, "--scope", "x:y"]),
    ).rejects.toThrow("Unknown scope");
  }, 60_000);
});
