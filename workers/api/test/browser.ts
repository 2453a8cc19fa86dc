/**
 * A minimal browser for tests of the server-rendered pages: a cookie jar, redirects followed on the
 * platform's own origin and stopped at the client's redirect URI, and forms submitted by their
 * names, as a person (or `dfda login`) submits them without JavaScript.
 */
import { expect } from "vitest";
import { api, BASE } from "./helpers";

export interface Page {
  status: number;
  url: string;
  html: string;
  /** Where the last redirect pointed when it left the platform (the client's redirect URI). */
  location: string | null;
}

export interface Form {
  action: string;
  fields: Record<string, string>;
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function attr(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1] === undefined ? null : decode(match[1]);
}

/** The form posting to `action`, with its hidden and prefilled inputs. */
export function findForm(html: string, action: string): Form {
  const forms = html.split(/<form\b/).slice(1);
  for (const chunk of forms) {
    const open = chunk.slice(0, chunk.indexOf(">"));
    if (attr(` ${open}`, "action") !== action) continue;
    const fields: Record<string, string> = {};
    for (const input of chunk.slice(0, chunk.indexOf("</form>")).match(/<input\b[^>]*>/g) ?? []) {
      // As a browser does (HTML, "constructing the entry list"): an unticked checkbox is not submitted.
      if (attr(input, "type") === "checkbox" && !/\schecked\b/.test(input)) continue;
      const name = attr(input, "name");
      if (name !== null) fields[name] = attr(input, "value") ?? "";
    }
    return { action, fields };
  }
  throw new Error(`no form with action ${action} in:\n${html.slice(0, 2000)}`);
}

/**
 * A documentation address (RFC 5737 TEST-NET-3) for one simulated device. The per-IP limiters count 60
 * requests a minute per address within a test file; requests that all came from one address would
 * trip them in a file that signs many people in.
 */
export function deviceIp(): string {
  return `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
}

export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly stopAt: string,
    private readonly ip = deviceIp(),
  ) {}

  private async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("CF-Connecting-IP", this.ip);
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await api(url, { ...init, headers, redirect: "manual" });
    // workerd's Headers.getAll is defined for Set-Cookie, which must not be comma-joined (RFC 6265 §3).
    for (const cookie of res.headers.getAll("Set-Cookie")) {
      const [pair = ""] = cookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(cookie) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Requests `url` and follows redirects on the platform; stops at the client's redirect URI. */
  async open(url: string, init: RequestInit = {}): Promise<Page> {
    let current = new URL(url, BASE).toString();
    let res = await this.request(current, init);
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      const location = new URL(res.headers.get("location") ?? "", current).toString();
      if (location.startsWith(this.stopAt) || !location.startsWith(BASE)) {
        return { status: res.status, url: current, html: "", location };
      }
      current = location;
      res = await this.request(current);
    }
    return { status: res.status, url: current, html: await res.text(), location: null };
  }

  /** Submits a form (its fields, overridden or extended by `values`) and follows the outcome. */
  submit(form: Form, values: Record<string, string> = {}): Promise<Page> {
    return this.open(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form.fields, ...values }),
    });
  }

  /** Signs in on a login page and, when asked, approves consent; returns the final page. */
  async signIn(
    page: Page,
    email: string,
    password: string,
    consent: "approve" | "deny" | null = "approve",
  ): Promise<Page> {
    expect(page.status).toBe(200);
    let next = await this.submit(findForm(page.html, "/oauth/login"), { email, password });
    if (consent !== null && next.location === null && next.html.includes('action="/oauth/consent"')) {
      next = await this.submit(findForm(next.html, "/oauth/consent"), { decision: consent });
    }
    return next;
  }
}
