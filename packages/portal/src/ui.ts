/** What every page shares: errors in words (with the request id), loading and empty states, confirmations. */
import { DfdaAuthError, DfdaNetworkError, DfdaProblem } from "@dfda/sdk";
import { type Child, h } from "./dom";
import { signIn } from "./session";

/** A short, human sentence for any failure; the request id is shown apart so a person can quote it. */
export function describeError(error: unknown): { message: string; requestId: string | undefined } {
  if (error instanceof DfdaProblem) {
    const words = error.detail ?? error.title ?? `The platform answered ${error.status}.`;
    const fields = error.fieldErrors
      // `path` is an array from schema validation and a dotted string from a handler's own check.
      .map((f) => {
        const path: unknown = f.path;
        const where = Array.isArray(path) ? path.join(".") : typeof path === "string" ? path : "";
        return `${where || f.pointer || f.location || "input"}: ${f.message ?? "invalid"}`;
      })
      .join("; ");
    return { message: fields ? `${words} (${fields})` : words, requestId: error.requestId };
  }
  if (error instanceof DfdaNetworkError) {
    return { message: "The platform could not be reached. Check the connection and try again.", requestId: undefined };
  }
  if (error instanceof DfdaAuthError) {
    return { message: `Sign-in failed: ${error.description ?? error.error}.`, requestId: undefined };
  }
  return { message: error instanceof Error ? error.message : String(error), requestId: undefined };
}

/**
 * An error box (role="alert", announced). A 401 `reauthentication_required` (RFC 9470 step-up) offers
 * to sign in again with the `max_age` the API asked for, then come back to this page.
 */
export function errorBox(error: unknown): HTMLElement {
  const { message, requestId } = describeError(error);
  const stepUp = error instanceof DfdaProblem && error.code === "reauthentication_required";
  // A refresh token that was refused (expired, revoked, its family ended): only a new sign-in helps.
  const expired = error instanceof DfdaAuthError || (error instanceof DfdaProblem && error.status === 401 && !stepUp);
  const maxAge = error instanceof DfdaProblem ? error.problem.max_age : undefined;
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", null, stepUp ? "For your safety, please sign in again before doing this. " : "", message),
    requestId ? h("p", { class: "request-id" }, "Request id: ", h("code", null, requestId)) : null,
    stepUp
      ? h(
          "button",
          {
            type: "button",
            onclick: () =>
              void signIn(window.location.pathname, { max_age: typeof maxAge === "number" ? String(maxAge) : "300" }),
          },
          "Sign in again",
        )
      : expired
        ? h("button", { type: "button", onclick: () => void signIn(window.location.pathname) }, "Sign in again")
        : null,
  );
}

export function loading(what: string): HTMLElement {
  return h("p", { class: "loading", role: "status" }, `Loading ${what}…`);
}

export function empty(...children: Child[]): HTMLElement {
  return h("div", { class: "empty" }, ...children);
}

/**
 * Asks before something that cannot be undone, in a modal <dialog> (focus is kept inside it and Escape
 * cancels: HTML's dialog element). Resolves true only when the person pressed the named action.
 */
export function confirmIrreversible(title: string, text: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "confirm", "aria-labelledby": "confirm-title" },
      h("h2", { id: "confirm-title" }, title),
      h("p", null, text),
      h("p", { class: "warning" }, "This cannot be undone."),
      h(
        "form",
        { method: "dialog", class: "actions" },
        h("button", { value: "cancel", class: "secondary", autofocus: true }, "Cancel"),
        h("button", { value: "confirm", class: "danger" }, action),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "—";
}

export function day(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : "—";
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function count(n: number): string {
  return n.toLocaleString();
}

/** "vital_signs" → "Vital signs". */
export function label(slug: string): string {
  const words = slug.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The wrapper that lets a wide table scroll sideways on a phone. A scrolling region must be reachable by
 * keyboard (WCAG 2.1.1; axe `scrollable-region-focusable`), so it takes focus and is a named region.
 */
export function scroller(name: string, ...children: Child[]): HTMLElement {
  return h("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": name }, ...children);
}
