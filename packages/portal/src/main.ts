/**
 * The owner's portal (docs/portal.md): a small single-page app at /app. Each page is a function that fills
 * <main>; links under /app are followed with the History API, so every page has its own URL (the Worker
 * answers every /app path with the same HTML). After each navigation the page's heading takes focus, so
 * keyboard and screen-reader users land on the new content.
 */
import { h, replace } from "./dom";
import { accessLog } from "./pages/access-log";
import { dashboard } from "./pages/dashboard";
import { data } from "./pages/data";
import { security } from "./pages/security";
import { sharing } from "./pages/sharing";
import { upload } from "./pages/upload";
import { completeSignIn, signedIn, signIn, signOut, whoAmI } from "./session";
import { errorBox } from "./ui";

export interface Page {
  path: string;
  title: string;
  render(main: HTMLElement): Promise<void> | void;
}

const PAGES: Page[] = [dashboard, upload, sharing, data, accessLog, security];

const root = document.getElementById("app") as HTMLElement;

function pageFor(path: string): Page | undefined {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const normal = path.slice(0, end) || "/app";
  return PAGES.find((p) => p.path === normal);
}

/** Follows links inside the portal without reloading; anything else (downloads, other origins) as usual. */
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const link = (event.target as Element | null)?.closest("a");
  if (!link || link.target || link.hasAttribute("download") || link.origin !== window.location.origin) return;
  if (!link.pathname.startsWith("/app")) return;
  event.preventDefault();
  window.history.pushState(null, "", link.pathname + link.search);
  void render();
}

function layout(current: Page | undefined): HTMLElement {
  const email = h("span", { class: "who" });
  void whoAmI().then(
    (me) => {
      if (me.email) email.textContent = me.email;
    },
    () => undefined,
  );
  const main = h("main", { id: "main", tabindex: -1 });
  replace(
    root,
    h("a", { class: "skip", href: "#main" }, "Skip to content"),
    h(
      "header",
      { class: "top" },
      h("a", { class: "brand", href: "/app" }, "Your health data"),
      h(
        "nav",
        { "aria-label": "Portal" },
        h(
          "ul",
          null,
          PAGES.map((p) =>
            h("li", null, h("a", { href: p.path, "aria-current": p === current ? "page" : null }, p.title)),
          ),
        ),
      ),
      h(
        "div",
        { class: "account" },
        email,
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            onclick: async () => {
              await signOut().catch(() => undefined);
              window.history.pushState(null, "", "/app");
              void render();
            },
          },
          "Sign out",
        ),
      ),
    ),
    main,
  );
  return main;
}

function signedOutPage(): void {
  document.title = "Sign in · Your health data";
  replace(
    root,
    h(
      "main",
      { id: "main", class: "welcome" },
      h("h1", null, "Your health data"),
      h(
        "p",
        null,
        "See what is stored about you, upload files, and decide who may read them. " +
          "Sign in with your account on this platform, or create one on the sign-in page.",
      ),
      h(
        "button",
        { type: "button", onclick: () => void signIn(window.location.pathname + window.location.search) },
        "Sign in",
      ),
    ),
  );
}

async function render(): Promise<void> {
  const path = window.location.pathname;
  if (path === "/app/callback") {
    try {
      const next = await completeSignIn();
      window.history.replaceState(null, "", next);
    } catch (error) {
      window.history.replaceState(null, "", "/app");
      signedOutPage();
      root.querySelector("main")?.prepend(errorBox(error));
      return;
    }
  }
  if (!signedIn()) {
    signedOutPage();
    return;
  }
  const page = pageFor(window.location.pathname);
  const main = layout(page);
  if (!page) {
    document.title = "Not found · Your health data";
    replace(
      main,
      h("h1", { tabindex: -1 }, "No such page"),
      h("p", null, "This address is not a page of the portal. ", h("a", { href: "/app" }, "Go to the dashboard.")),
    );
    main.querySelector("h1")?.focus();
    return;
  }
  document.title = `${page.title} · Your health data`;
  // Pages put their heading in before they load anything: it takes focus at once.
  let done: Promise<void> | void;
  try {
    done = page.render(main);
  } catch (error) {
    done = Promise.reject(error);
  }
  main.querySelector("h1")?.focus();
  try {
    await done;
  } catch (error) {
    main.append(errorBox(error));
  }
}

document.addEventListener("click", onClick);
window.addEventListener("popstate", () => void render());
void render();
