/**
 * Security (issue 17): two-step verification (TOTP, RFC 6238) set up, confirmed with a first code and
 * turned off; recovery codes shown once with copy and download, and replaced; where the person is signed
 * in (browser sessions at the sign-in page and apps' sign-ins) with "Sign out of this session". Every
 * change needs the person themselves after a recent sign-in (docs/identity.md): when the API asks for one
 * (401 reauthentication_required, RFC 9470), the error offers "Sign in again" and brings them back here.
 * No QR code: the otpauth:// URI (Google Authenticator's Key Uri Format) is a link an authenticator on
 * the same device opens, and the secret is shown as text to type in, so no third-party code is needed.
 */
import type { components } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { client } from "../session";
import { confirmIrreversible, empty, errorBox, loading, scroller, when } from "../ui";

type Security = components["schemas"]["SecurityOverview"];
type Session = components["schemas"]["SignInSession"];

export const security: Page = { path: "/app/security", title: "Security", render };

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Security"));
  const twoStep = h(
    "section",
    { "aria-labelledby": "two-step-title" },
    h("h2", { id: "two-step-title" }, "Two-step verification"),
  );
  const sessions = h(
    "section",
    { "aria-labelledby": "sessions-title" },
    h("h2", { id: "sessions-title" }, "Where you are signed in"),
  );
  main.append(twoStep, sessions);
  await Promise.all([showTwoStep(twoStep), listSessions(sessions)]);
}

/** Fills the section below its heading (kept), with a live message area for errors. */
function body(section: HTMLElement, ...children: HTMLElement[]): void {
  const heading = section.querySelector("h2");
  replace(section, heading, ...children);
}

async function showTwoStep(section: HTMLElement): Promise<void> {
  body(section, loading("your settings"));
  let state: Security;
  try {
    state = await client.unwrap(client.api.GET("/v1/me/security"));
  } catch (error) {
    body(section, errorBox(error));
    return;
  }
  const message = h("div", { "aria-live": "polite" });
  const refresh = () => showTwoStep(section);
  if (!state.two_step.enabled) {
    body(
      section,
      h(
        "p",
        { class: "status" },
        h("strong", null, "Off. "),
        "Signing in needs only your password. With two-step verification on, it also needs a code from an " +
          "authenticator app on your phone.",
      ),
      h(
        "button",
        { type: "button", onclick: () => void startEnrolment(section, message, refresh) },
        "Set up two-step verification",
      ),
      message,
    );
    return;
  }
  const regenerate = async () => {
    const sure = await confirmIrreversible(
      "Replace your recovery codes?",
      "You get ten new codes, shown once. Your current codes, used or not, stop working.",
      "Replace codes",
    );
    if (!sure) return;
    try {
      const { recovery_codes } = await client.unwrap(client.api.POST("/v1/me/mfa/recovery-codes"));
      replace(message, recoveryCodes(recovery_codes, refresh));
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  body(
    section,
    h(
      "p",
      { class: "status" },
      h("strong", null, "On"),
      state.two_step.enabled_at ? ` since ${when(state.two_step.enabled_at)}. ` : ". ",
      "Signing in asks for a code from your authenticator app.",
    ),
    h(
      "p",
      null,
      `Recovery codes left: ${state.recovery_codes_remaining} of 10. `,
      "Each lets you sign in once without your phone.",
    ),
    h(
      "div",
      { class: "actions-row" },
      h("button", { type: "button", class: "secondary", onclick: () => void regenerate() }, "New recovery codes"),
      state.two_step.required
        ? h("p", { class: "hint" }, "Your account must keep two-step verification on.")
        : h(
            "button",
            { type: "button", class: "danger", onclick: () => turnOffForm(message, refresh) },
            "Turn off two-step verification",
          ),
    ),
    message,
  );
}

async function startEnrolment(section: HTMLElement, message: HTMLElement, refresh: () => Promise<void>) {
  let enrolment: { secret: string; otpauth_uri: string };
  try {
    enrolment = await client.unwrap(client.api.POST("/v1/me/mfa/totp"));
  } catch (error) {
    replace(message, errorBox(error));
    return;
  }
  const codeError = h("div", { "aria-live": "polite" });
  const input = h("input", {
    id: "totp-code",
    name: "code",
    inputmode: "numeric",
    autocomplete: "one-time-code",
    pattern: "[0-9]{6}",
    maxlength: 6,
    required: true,
  });
  const form = h(
    "form",
    { class: "grant-form enrol" },
    h("p", null, "1. Add this account to an authenticator app (Google Authenticator, 1Password, Aegis, …):"),
    h(
      "p",
      null,
      h("a", { href: enrolment.otpauth_uri, class: "button secondary" }, "Open in an authenticator app"),
      " or type this key in:",
    ),
    h("p", null, h("code", { class: "account-id secret", "data-testid": "totp-secret" }, enrolment.secret)),
    h("div", { class: "field" }, h("label", { for: "totp-code" }, "2. Enter the six-digit code it shows"), input),
    h("button", { type: "submit" }, "Turn on"),
    codeError,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const { recovery_codes } = await client.unwrap(
        client.api.POST("/v1/me/mfa/totp/confirm", { body: { code: input.value.trim() } }),
      );
      body(
        section,
        h("p", { class: "status", role: "status" }, h("strong", null, "Two-step verification is on.")),
        recoveryCodes(recovery_codes, refresh),
      );
    } catch (error) {
      replace(codeError, errorBox(error));
    }
  });
  replace(message, form);
  input.focus();
}

/** The codes, shown once: copy, download as a text file, then "Done" shows the settings again. */
function recoveryCodes(codes: readonly string[], done: () => Promise<void>): HTMLElement {
  const text = `Recovery codes for your health data account (each works once):\n\n${codes.join("\n")}\n`;
  const copied = h("span", { role: "status", class: "hint" });
  const download = h(
    "a",
    { class: "button secondary", download: "recovery-codes.txt", href: "#" },
    "Download",
  ) as HTMLAnchorElement;
  download.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  return h(
    "div",
    { class: "recovery-codes", "aria-labelledby": "codes-title", role: "group" },
    h("h3", { id: "codes-title" }, "Your recovery codes"),
    h(
      "p",
      { class: "warning" },
      "Keep these somewhere safe. They are shown only now. Each signs you in once if you lose your phone.",
    ),
    h(
      "ul",
      { class: "codes", "data-testid": "recovery-codes" },
      codes.map((c) => h("li", null, h("code", null, c))),
    ),
    h(
      "div",
      { class: "actions-row" },
      h(
        "button",
        {
          type: "button",
          class: "secondary",
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(text);
              copied.textContent = "Copied.";
            } catch {
              copied.textContent = "Copying is not allowed here: select the codes and copy them.";
            }
          },
        },
        "Copy",
      ),
      download,
      h("button", { type: "button", onclick: () => void done() }, "I have saved them"),
      copied,
    ),
  );
}

function turnOffForm(message: HTMLElement, refresh: () => Promise<void>): void {
  const error = h("div", { "aria-live": "polite" });
  const input = h("input", { id: "off-code", name: "code", autocomplete: "one-time-code", required: true });
  const form = h(
    "form",
    { class: "grant-form" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "off-code" }, "A current code from your app, or a recovery code"),
      input,
    ),
    h("button", { type: "submit", class: "danger" }, "Turn off"),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const sure = await confirmIrreversible(
      "Turn off two-step verification?",
      "Signing in will need only your password, and your recovery codes are deleted.",
      "Turn off",
    );
    if (!sure) return;
    try {
      await client.unwrap(client.api.DELETE("/v1/me/mfa/totp", { body: { code: input.value.trim() } }));
      await refresh();
    } catch (e) {
      replace(error, errorBox(e));
    }
  });
  replace(message, form);
  input.focus();
}

const METHOD_WORDS: Record<string, string> = { pwd: "password", otp: "code" };

/** Lists the sessions; `notice` (what was just done) is said again in the new list's live region. */
async function listSessions(section: HTMLElement, notice?: string): Promise<void> {
  body(section, loading("your sessions"));
  let data: Session[];
  try {
    ({ data } = await client.unwrap(client.api.GET("/v1/me/sessions")));
  } catch (error) {
    body(section, errorBox(error));
    return;
  }
  const message = h("div", { "aria-live": "polite" }, notice ? h("p", { role: "status" }, notice) : null);
  if (data.length === 0) {
    body(section, empty(h("p", null, "You are not signed in anywhere else.")), message);
    return;
  }
  const refresh = (done?: string) => listSessions(section, done);
  body(
    section,
    h(
      "p",
      null,
      "Browser sessions remember your sign-in on the sign-in page; apps keep theirs until you sign out of them. " +
        "Sign out of any you do not recognise.",
    ),
    message,
    scroller(
      "Sessions",
      h(
        "table",
        { class: "sessions" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["Where", "Signed in", "With", "Last used", "Ends", ""].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          null,
          data.map((s) => sessionRow(s, message, refresh)),
        ),
      ),
    ),
  );
}

function sessionRow(session: Session, message: HTMLElement, refresh: (notice?: string) => Promise<void>): HTMLElement {
  const where =
    session.kind === "browser" ? (session.current ? "This browser" : "A browser") : (session.client_name ?? "An app");
  const signOutOf = async () => {
    const sure = await confirmIrreversible(
      `Sign out of ${where.toLowerCase() === "this browser" ? "this browser" : where}?`,
      session.kind === "browser"
        ? "That browser will have to sign in again with your password."
        : "The app will have to sign in again; what it holds now stops working within minutes.",
      "Sign out",
    );
    if (!sure) return;
    try {
      await client.unwrap(client.api.DELETE("/v1/me/sessions/{id}", { params: { path: { id: session.id } } }));
      await refresh(`Signed out of ${where}.`);
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  return h(
    "tr",
    null,
    h(
      "th",
      { scope: "row" },
      where,
      session.kind === "app" ? h("span", { class: "hint" }, ` (${session.client_id})`) : null,
    ),
    h("td", null, when(session.signed_in_at)),
    h("td", null, session.methods.map((m) => METHOD_WORDS[m] ?? m).join(" + ")),
    h("td", null, session.kind === "app" ? when(session.last_used_at) : "—"),
    h("td", null, when(session.expires_at)),
    h(
      "td",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "danger",
          onclick: signOutOf,
          // WCAG 2.5.3 (label in name): the visible words first, then which session.
          "aria-label": `Sign out of this session: ${where}, signed in ${when(session.signed_in_at)}`,
        },
        "Sign out of this session",
      ),
    ),
  );
}
