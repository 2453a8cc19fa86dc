/**
 * Access log: every access to the person's data by someone else (a person they granted, an app, a
 * researcher), allowed or denied, newest first (GET /v1/me/access-log). The route pages by cursor and has
 * no filters of its own, so the filters here (outcome, who, what, when) narrow the entries loaded so far,
 * and "Load more" fetches older ones.
 */
import type { components } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { client } from "../session";
import { count, empty, label, loading, scroller, when } from "../ui";

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

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Access log"));
  const status = loading("the access log");
  main.append(status);
  const entries: Entry[] = [];
  let cursor: string | null = null;
  const more = async () => {
    const page = await client.unwrap(
      client.api.GET("/v1/me/access-log", { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    entries.push(...page.data);
    cursor = page.next_cursor;
  };
  await more();
  status.remove();
  if (entries.length === 0) {
    main.append(empty(h("p", null, "Nobody else has accessed your data, and nobody has tried.")));
    return;
  }
  const outcome = h(
    "select",
    { id: "log-outcome" },
    h("option", { value: "" }, "Any outcome"),
    Object.entries(OUTCOME_WORDS).map(([value, words]) => h("option", { value }, words)),
  );
  const actor = h("input", { id: "log-who", type: "search", autocomplete: "off" });
  const action = h("select", { id: "log-action" });
  const from = h("input", { type: "date", id: "log-from" });
  const to = h("input", { type: "date", id: "log-to" });
  const summary = h("p", { class: "hint", "aria-live": "polite" });
  const table = h("div");
  const loadMore = h("button", { type: "button", class: "secondary" }, "Load older entries");

  const fillActions = () => {
    const chosen = action.value;
    replace(
      action,
      h("option", { value: "" }, "Anything"),
      [...new Set(entries.map((e) => e.action))]
        .sort()
        .map((a) => h("option", { value: a, selected: a === chosen }, a)),
    );
  };
  const draw = () => {
    const needle = actor.value.trim().toLowerCase();
    const shown = entries.filter(
      (e) =>
        (!outcome.value || e.outcome === outcome.value) &&
        (!action.value || e.action === action.value) &&
        (!needle || who(e).toLowerCase().includes(needle)) &&
        (!from.value || e.at >= `${from.value}T00:00:00.000Z`) &&
        (!to.value || e.at <= `${to.value}T23:59:59.999Z`),
    );
    summary.textContent = `Showing ${count(shown.length)} of ${count(entries.length)} entries loaded.`;
    replace(
      table,
      shown.length === 0
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
                shown.map((e) =>
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
  for (const control of [outcome, actor, action, from, to]) control.addEventListener("input", draw);
  loadMore.addEventListener("click", async () => {
    loadMore.disabled = true;
    await more();
    loadMore.disabled = false;
    fillActions();
    draw();
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
        h("div", { class: "field" }, h("label", { for: "log-who" }, "Who"), actor),
        h("div", { class: "field" }, h("label", { for: "log-action" }, "What"), action),
        h("div", { class: "field" }, h("label", { for: "log-from" }, "From"), from),
        h("div", { class: "field" }, h("label", { for: "log-to" }, "To"), to),
      ),
      summary,
      table,
      loadMore,
    ),
  );
  draw();
}
