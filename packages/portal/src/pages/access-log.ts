/**
 * Access log: every access to the person's data by someone else (a person they granted, an app, a
 * researcher), allowed or denied, newest first (GET /v1/me/access-log). The filters (outcome, who, kind of
 * actor, what, when) are the route's own, so the server narrows the whole log, not only what was loaded;
 * "Load older entries" fetches the next page under the same filters.
 */
import type { components, paths } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { client } from "../session";
import { count, empty, errorBox, label, loading, scroller, when } from "../ui";

type Entry = components["schemas"]["AccessLogEntry"];

export const accessLog: Page = { path: "/app/access-log", title: "Access log", render };

const OUTCOME_WORDS: Record<Entry["outcome"], string> = { success: "Allowed", denied: "Denied", failure: "Failed" };

function who(entry: Entry): string {
  if (entry.actor.user_id && entry.actor.client_id)
    return `Person ${entry.actor.user_id} (app ${entry.actor.client_id})`;
  if (entry.actor.user_id) return `Person ${entry.actor.user_id}`;
  if (entry.actor.client_id) return `App ${entry.actor.client_id}`;
  return "Unknown";
}

function reason(entry: Entry): string {
  const r = entry.details?.reason;
  return typeof r === "string" ? ` (${label(r).toLowerCase()})` : "";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Query = NonNullable<paths["/v1/me/access-log"]["get"]["parameters"]["query"]>;

/** The start of a calendar day in the person's own time zone, as an instant. */
function startOfDay(value: string, plusDays = 0): string {
  const [y, m, d] = value.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + plusDays).toISOString();
}

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Access log"));
  const status = loading("the access log");
  main.append(status);
  const outcome = h(
    "select",
    { id: "log-outcome" },
    h("option", { value: "" }, "Any outcome"),
    Object.entries(OUTCOME_WORDS).map(([value, words]) => h("option", { value }, words)),
  );
  const actor = h("input", {
    id: "log-who",
    type: "search",
    autocomplete: "off",
    "aria-describedby": "log-who-hint",
  });
  const kind = h(
    "select",
    { id: "log-kind" },
    h("option", { value: "" }, "Anyone"),
    h("option", { value: "user" }, "A person"),
    h("option", { value: "client" }, "An app on its own"),
  );
  const action = h("select", { id: "log-action" });
  const from = h("input", { type: "date", id: "log-from" });
  const to = h("input", { type: "date", id: "log-to" });
  const summary = h("p", { class: "hint", "aria-live": "polite" });
  const problem = h("div");
  const table = h("div");
  const loadMore = h("button", { type: "button", class: "secondary" }, "Load older entries");

  /** Every action seen so far, so the "What" list grows as the person looks around. */
  const seenActions = new Set<string>();
  let entries: Entry[] = [];
  let cursor: string | null = null;
  /** Only the newest request's answer is drawn, however the answers arrive. */
  let generation = 0;

  const query = (): Query | null => {
    const who = actor.value.trim();
    if ((from.value && !DAY.test(from.value)) || (to.value && !DAY.test(to.value))) return null;
    return {
      limit: 100,
      ...(outcome.value && { outcome: outcome.value as Entry["outcome"] }),
      ...(who && UUID.test(who) && { actor_user_id: who }),
      ...(who && !UUID.test(who) && { actor_client_id: who }),
      ...(kind.value && { actor_kind: kind.value as "user" | "client" }),
      ...(action.value && { action: action.value }),
      ...(from.value && { from: startOfDay(from.value) }),
      // "To" names a whole day: the route's `to` is exclusive, so it is the start of the next day.
      ...(to.value && { to: startOfDay(to.value, 1) }),
    };
  };
  const fetchPage = async (q: Query, after: string | null) =>
    client.unwrap(
      client.api.GET("/v1/me/access-log", { params: { query: { ...q, ...(after ? { cursor: after } : {}) } } }),
    );

  const fillActions = () => {
    const chosen = action.value;
    for (const e of entries) seenActions.add(e.action);
    replace(
      action,
      h("option", { value: "" }, "Anything"),
      [...seenActions].sort().map((a) => h("option", { value: a, selected: a === chosen }, a)),
    );
  };
  const draw = () => {
    summary.textContent = `Showing ${count(entries.length)} of ${count(entries.length)} entries loaded.`;
    replace(
      table,
      entries.length === 0
        ? empty(h("p", null, "No entry matches these filters."))
        : scroller(
            "Access log entries",
            h(
              "table",
              { class: "access-log" },
              h(
                "thead",
                null,
                h(
                  "tr",
                  null,
                  ["When", "Who", "What", "Outcome"].map((t) => h("th", { scope: "col" }, t)),
                ),
              ),
              h(
                "tbody",
                null,
                entries.map((e) =>
                  h(
                    "tr",
                    { "data-outcome": e.outcome },
                    h("th", { scope: "row" }, when(e.at)),
                    h("td", null, who(e)),
                    h("td", null, e.action),
                    h("td", { class: `outcome-${e.outcome}` }, OUTCOME_WORDS[e.outcome] ?? e.outcome, reason(e)),
                  ),
                ),
              ),
            ),
          ),
    );
    loadMore.hidden = cursor === null;
  };
  /** Asks the server again under the current filters (the first page). */
  const reload = async () => {
    const q = query();
    if (q === null) return;
    const mine = ++generation;
    table.setAttribute("aria-busy", "true");
    try {
      const page = await fetchPage(q, null);
      if (mine !== generation) return;
      replace(problem);
      entries = page.data;
      cursor = page.next_cursor;
      fillActions();
      draw();
    } catch (error) {
      if (mine === generation) replace(problem, errorBox(error));
    } finally {
      if (mine === generation) table.removeAttribute("aria-busy");
    }
  };

  const first = await fetchPage({ limit: 100 }, null);
  status.remove();
  if (first.data.length === 0) {
    main.append(empty(h("p", null, "Nobody else has accessed your data, and nobody has tried.")));
    return;
  }
  entries = first.data;
  cursor = first.next_cursor;
  // Typing in "Who" asks once the person pauses; the lists and dates ask at once.
  let typing: ReturnType<typeof setTimeout> | undefined;
  actor.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => void reload(), 250);
  });
  for (const control of [outcome, kind, action, from, to]) control.addEventListener("change", () => void reload());
  loadMore.addEventListener("click", async () => {
    const q = query();
    if (q === null || cursor === null) return;
    const mine = generation;
    loadMore.disabled = true;
    try {
      const page = await fetchPage(q, cursor);
      if (mine !== generation) return;
      entries = [...entries, ...page.data];
      cursor = page.next_cursor;
      fillActions();
      draw();
    } catch (error) {
      replace(problem, errorBox(error));
    } finally {
      loadMore.disabled = false;
    }
  });
  fillActions();
  main.append(
    h(
      "section",
      { "aria-labelledby": "log-filters" },
      h("h2", { id: "log-filters" }, "Filter"),
      h(
        "div",
        { class: "controls" },
        h("div", { class: "field" }, h("label", { for: "log-outcome" }, "Outcome"), outcome),
        h(
          "div",
          { class: "field" },
          h("label", { for: "log-who" }, "Who"),
          actor,
          h("span", { id: "log-who-hint", class: "hint" }, "A person's account id or an app's id, exactly"),
        ),
        h("div", { class: "field" }, h("label", { for: "log-kind" }, "Kind"), kind),
        h("div", { class: "field" }, h("label", { for: "log-action" }, "What"), action),
        h("div", { class: "field" }, h("label", { for: "log-from" }, "From"), from),
        h("div", { class: "field" }, h("label", { for: "log-to" }, "To"), to),
      ),
      summary,
      problem,
      table,
      loadMore,
    ),
  );
  draw();
}
