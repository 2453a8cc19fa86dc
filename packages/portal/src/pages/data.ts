/**
 * Your data: export (JSON, CSV or FHIR NDJSON, optionally with the original files), followed until it is
 * ready and downloaded through its signed link; delete values by filter; close the account. Both deletes
 * ask first (an irreversible-action confirmation), and the API accepts them only from a first-party app
 * after a recent sign-in (docs/identity.md): when it asks for one (401 reauthentication_required), the
 * error offers "Sign in again" and the person comes back here.
 */
import type { components, Export } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { client, signOut } from "../session";
import { bytes, confirmIrreversible, count, day, empty, errorBox, label, loading, scroller, when } from "../ui";

type ExportFormat = components["schemas"]["ExportRequest"]["format"];

export const data: Page = { path: "/app/data", title: "Export & delete", render };

const FORMATS: ReadonlyArray<[ExportFormat, string]> = [
  ["json", "JSON (one document)"],
  ["csv", "CSV (a spreadsheet)"],
  ["fhir-ndjson", "FHIR NDJSON (one FHIR R4 Observation per line)"],
];

const EXPORT_WORDS: Record<string, string> = {
  queued: "Waiting",
  processing: "Writing",
  completed: "Ready",
  failed: "Failed",
  expired: "Link expired",
};

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Export & delete"));
  const status = loading("your data");
  main.append(status);
  const stats = await client.unwrap(client.api.GET("/v1/me/stats"));
  status.remove();
  const list = h("div", { class: "exports-body" });
  const refresh = () => listExports(list);
  main.append(exportSection(list, refresh), deleteSection(stats), accountSection());
  await refresh();
}

function exportSection(list: HTMLElement, refresh: () => Promise<void>): HTMLElement {
  const progress = h("div", { class: "export-progress", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "grant-form" },
    h(
      "fieldset",
      null,
      h("legend", null, "Format"),
      FORMATS.map(([value, words], i) =>
        h(
          "div",
          { class: "check" },
          h("input", { type: "radio", name: "format", id: `export-${value}`, value, checked: i === 0 }),
          h("label", { for: `export-${value}` }, words),
        ),
      ),
    ),
    h(
      "div",
      { class: "check" },
      h("input", { type: "checkbox", id: "export-files", name: "files" }),
      h("label", { for: "export-files" }, "Include my original files (the download is then a ZIP archive)"),
    ),
    h("button", { type: "submit" }, "Export"),
    progress,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = new FormData(form);
    const format = String(chosen.get("format") ?? "json") as ExportFormat;
    const button = form.querySelector("button");
    if (button) button.disabled = true;
    const bar = h("progress", { "aria-label": "Export progress" });
    const line = h("span", { class: "line" }, "Asking for the export…");
    replace(progress, h("p", null, bar, " ", line));
    try {
      const accepted = await client.exports.create({ format, include_files: chosen.get("files") === "on" });
      const done = await client.exports.wait(accepted.export_id, {
        onProgress: (e) => {
          const total = e.progress.total_rows;
          if (total) {
            bar.max = total;
            bar.value = e.progress.rows_written;
          }
          line.textContent = `${EXPORT_WORDS[e.status] ?? e.status}: ${count(e.progress.rows_written)}${total ? ` of ${count(total)}` : ""} values written.`;
        },
      });
      bar.max = 1;
      bar.value = 1;
      replace(progress, h("p", { role: "status" }, "Your export is ready. ", downloadLink(done)));
      await refresh();
    } catch (error) {
      replace(progress, errorBox(error));
    } finally {
      if (button) button.disabled = false;
    }
  });
  return h(
    "section",
    { "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, "Export your data"),
    form,
    h("h3", null, "Your exports"),
    list,
  );
}

function downloadLink(e: Export): HTMLElement | string {
  // The signed link is the capability (no token is sent with it): a plain same-origin download.
  if (e.status !== "completed" || !e.download_url) return EXPORT_WORDS[e.status] ?? e.status;
  return h(
    "a",
    { href: e.download_url, download: "", class: "download" },
    `Download ${e.format.toUpperCase()}${e.include_files ? " with files" : ""}${e.size_bytes ? ` (${bytes(e.size_bytes)})` : ""}`,
  );
}

async function listExports(list: HTMLElement): Promise<void> {
  replace(list, loading("your exports"));
  const { data: exports } = await client.unwrap(client.api.GET("/v1/me/exports", { params: { query: { limit: 20 } } }));
  if (exports.length === 0) {
    replace(list, empty(h("p", null, "No exports yet.")));
    return;
  }
  replace(
    list,
    scroller(
      "Your exports",
      h(
        "table",
        { class: "exports" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["Asked", "Format", "Status", "Values", "Until", "Download"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          null,
          exports.map((e) =>
            h(
              "tr",
              null,
              h("th", { scope: "row" }, when(e.created_at)),
              h("td", null, e.format, e.include_files ? " + files" : ""),
              h("td", null, EXPORT_WORDS[e.status] ?? e.status, e.error ? ` (${e.error})` : ""),
              h("td", null, count(e.progress.rows_written)),
              h("td", null, when(e.expires_at)),
              h("td", null, downloadLink(e)),
            ),
          ),
        ),
      ),
    ),
  );
}

function deleteSection(stats: components["schemas"]["MyStats"]): HTMLElement {
  const message = h("div", { class: "delete-message", "aria-live": "polite" });
  const variable = h(
    "select",
    { id: "delete-variable", name: "variable" },
    h("option", { value: "" }, "Any variable"),
    stats.variables.map((v) => h("option", { value: v.variable.id }, `${v.variable.name} (${count(v.count)})`)),
  );
  const source = h(
    "select",
    { id: "delete-source", name: "source" },
    h("option", { value: "" }, "Any source"),
    stats.sources.map((s) => h("option", { value: s.slug }, `${s.name} (${count(s.count)})`)),
  );
  const from = h("input", { type: "date", id: "delete-from", name: "from" });
  const to = h("input", { type: "date", id: "delete-to", name: "to" });
  const form = h(
    "form",
    { class: "grant-form" },
    h(
      "div",
      { class: "field stacked" },
      h("label", { for: "delete-variable" }, "Variable"),
      variable,
      h("label", { for: "delete-source" }, "Source"),
      source,
    ),
    h(
      "fieldset",
      { class: "dates" },
      h("legend", null, "Recorded"),
      h("label", { for: "delete-from" }, "From"),
      from,
      h("label", { for: "delete-to" }, "To"),
      to,
    ),
    h("button", { type: "submit", class: "danger" }, "Delete these values"),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const query: { variable?: string; source?: string; from?: string; to?: string } = {};
    if (variable.value) query.variable = variable.value;
    if (source.value) query.source = source.value;
    if (from.value) query.from = `${from.value}T00:00:00.000Z`;
    if (to.value) query.to = `${to.value}T23:59:59.999Z`;
    if (Object.keys(query).length === 0) {
      replace(
        message,
        h("div", { class: "error", role: "alert" }, h("p", null, "Choose at least one of variable, source or dates.")),
      );
      return;
    }
    const what = [
      variable.value ? variable.selectedOptions[0]?.textContent : null,
      source.value ? `from ${source.selectedOptions[0]?.textContent}` : null,
      from.value ? `since ${day(query.from)}` : null,
      to.value ? `until ${day(query.to)}` : null,
    ]
      .filter(Boolean)
      .join(", ");
    const sure = await confirmIrreversible(
      "Delete these values?",
      `Every value matching ${what} will be deleted from your record.`,
      "Delete values",
    );
    if (!sure) return;
    try {
      const result = await client.unwrap(client.api.DELETE("/v1/me/observations", { params: { query } }));
      replace(message, h("p", { role: "status" }, `${count(result.deleted)} values were deleted.`));
    } catch (error) {
      replace(message, errorBox(error));
    }
  });
  return h(
    "section",
    { "aria-labelledby": "delete-title" },
    h("h2", { id: "delete-title" }, "Delete values"),
    stats.total === 0 ? empty(h("p", null, "Nothing is stored, so there is nothing to delete.")) : form,
  );
}

function accountSection(): HTMLElement {
  const message = h("div", { "aria-live": "polite" });
  const close = async () => {
    const sure = await confirmIrreversible(
      "Close your account?",
      "Everything that is yours is erased at once: values, files, exports, grants, connections, apps and the account itself.",
      "Close my account",
    );
    if (!sure) return;
    try {
      const result = await client.unwrap(
        client.api.DELETE("/v1/me", { params: { query: { confirm: "delete-everything" } } }),
      );
      await signOut().catch(() => undefined);
      const main = document.getElementById("main");
      if (main)
        replace(
          main,
          h("h1", { tabindex: -1 }, "Your account is closed"),
          h(
            "p",
            { role: "status" },
            `Erased: ${Object.entries(result.counts)
              .map(([k, n]) => `${count(n)} ${label(k).toLowerCase()}`)
              .join(", ")}.`,
          ),
          h("p", null, h("a", { href: "/app" }, "Back to the start")),
        );
      main?.querySelector("h1")?.focus();
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  return h(
    "section",
    { "aria-labelledby": "account-title" },
    h("h2", { id: "account-title" }, "Close your account"),
    h("p", null, "Erases everything that is yours and the account itself. The access log keeps only that it happened."),
    h("button", { type: "button", class: "danger", onclick: close }, "Close my account…"),
    message,
  );
}
