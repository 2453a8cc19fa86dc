/**
 * Sharing: consent grants (docs/consent.md) and connected apps. A grant names whom (a person, an app, a
 * group, a study or an analysis plugin, by id), what they may do (read, write), which data (categories
 * and/or the person's own variables), a data window, an expiry and a purpose; the lists show active,
 * expired and revoked grants, and an active one is revoked at once (the grantee's next request is
 * refused). Connected apps are the OAuth clients the person approved, with their scopes and any
 * background access; disconnecting one revokes its tokens.
 */
import type { components } from "@dfda/sdk";
import { h, replace } from "../dom";
import type { Page } from "../main";
import { CLIENT_ID, client, whoAmI } from "../session";
import { confirmIrreversible, day, empty, errorBox, label, loading, scroller, when } from "../ui";

type Consent = components["schemas"]["Consent"];
type GrantRequest = components["schemas"]["ConsentGrantRequest"];
type ConnectedApp = components["schemas"]["ConnectedApp"];
type Category = NonNullable<GrantRequest["scope"]["categories"]>[number];

export const sharing: Page = { path: "/app/sharing", title: "Sharing", render };

const GRANTEE_TYPES: ReadonlyArray<[GrantRequest["grantee"]["type"], string, string]> = [
  [
    "user",
    "A person",
    "Their e-mail address (verified on this platform), or their account id (on their own Sharing page)",
  ],
  ["client", "An app", "The app's client id"],
  ["group", "A group", "The group's id"],
  ["study", "A research study", "The study's id"],
  ["plugin", "An analysis plugin", "The plugin's id, e.g. n-of-1"],
];
const GRANTEE_WORDS = new Map(GRANTEE_TYPES.map(([type, words]) => [type, words]));

async function render(main: HTMLElement): Promise<void> {
  main.append(h("h1", { tabindex: -1 }, "Sharing"));
  const status = loading("your grants");
  main.append(status);
  const [me, categories, stats] = await Promise.all([
    whoAmI(),
    client.unwrap(client.api.GET("/v1/variable-categories", { params: { query: { limit: 100 } } })),
    client.unwrap(client.api.GET("/v1/me/stats")),
  ]);
  status.remove();
  const grants = h("section", { "aria-labelledby": "grants-title" }, h("h2", { id: "grants-title" }, "Your grants"));
  const apps = h("section", { "aria-labelledby": "apps-title" }, h("h2", { id: "apps-title" }, "Connected apps"));
  const refreshGrants = () => listGrants(grants);
  main.append(
    h(
      "p",
      null,
      "Your account id, for someone who wants to share with you: ",
      h("code", { class: "account-id" }, me.sub),
    ),
    grantForm(
      categories.data,
      stats.variables.map((v) => ({ id: v.variable.id, name: v.variable.name })),
      refreshGrants,
    ),
    grants,
    apps,
  );
  await Promise.all([refreshGrants(), listApps(apps)]);
}

/** A date input's day as an instant: its start, or with `end` its last millisecond (UTC). */
function instant(value: string, end = false): string {
  return end ? `${value}T23:59:59.999Z` : `${value}T00:00:00.000Z`;
}

function grantForm(
  categories: components["schemas"]["VariableCategory"][],
  variables: { id: string; name: string }[],
  refresh: () => Promise<void>,
): HTMLElement {
  const type = h(
    "select",
    { id: "grant-type", name: "type" },
    GRANTEE_TYPES.map(([value, words]) => h("option", { value }, words)),
  );
  const idHelp = h("span", { id: "grant-id-help", class: "hint" }, GRANTEE_TYPES[0]?.[2] ?? "");
  const id = h("input", {
    id: "grant-id",
    name: "id",
    required: true,
    maxlength: 200,
    autocomplete: "off",
    "aria-describedby": "grant-id-help",
  });
  type.addEventListener("change", () => {
    idHelp.textContent = GRANTEE_TYPES.find(([value]) => value === type.value)?.[2] ?? "";
  });
  const box = (name: string, value: string, text: string, checked = false) => {
    const inputId = `grant-${name}-${value}`;
    return h(
      "div",
      { class: "check" },
      h("input", { type: "checkbox", id: inputId, name, value, checked }),
      h("label", { for: inputId }, text),
    );
  };
  const message = h("div", { class: "form-message", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "grant-form", novalidate: true },
    h(
      "div",
      { class: "field stacked" },
      h("label", { for: "grant-type" }, "With whom"),
      type,
      h("label", { for: "grant-id" }, "Their id or e-mail"),
      id,
      idHelp,
    ),
    h(
      "fieldset",
      null,
      h("legend", null, "They may"),
      box("action", "read", "Read", true),
      box("action", "write", "Add data (write)"),
    ),
    h(
      "fieldset",
      { class: "choices" },
      h("legend", null, "Which categories"),
      categories.map((c) => box("category", c.slug, c.name)),
    ),
    variables.length > 0
      ? h(
          "fieldset",
          { class: "choices" },
          h("legend", null, "Or which of your variables"),
          variables.map((v) => box("variable", v.id, v.name)),
        )
      : null,
    h(
      "fieldset",
      { class: "dates" },
      h("legend", null, "Data from (optional)"),
      h("label", { for: "grant-from" }, "From"),
      h("input", { type: "date", id: "grant-from", name: "from" }),
      h("label", { for: "grant-to" }, "To"),
      h("input", { type: "date", id: "grant-to", name: "to" }),
    ),
    h(
      "div",
      { class: "field stacked" },
      h("label", { for: "grant-expires" }, "Until (optional)"),
      h("input", { type: "date", id: "grant-expires", name: "expires" }),
      h("label", { for: "grant-purpose" }, "Purpose (optional)"),
      h("textarea", { id: "grant-purpose", name: "purpose", rows: 2, maxlength: 500 }),
    ),
    h("button", { type: "submit" }, "Share"),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const actions = data.getAll("action").map(String) as GrantRequest["actions"];
    const chosenCategories = data.getAll("category").map(String) as Category[];
    const chosenVariables = data.getAll("variable").map(String);
    const problems: string[] = [];
    if (text("id") === "") problems.push("Say whom to share with (their id).");
    if (actions.length === 0) problems.push("Choose what they may do (read, write or both).");
    if (chosenCategories.length === 0 && chosenVariables.length === 0)
      problems.push("Choose at least one category or variable.");
    if (problems.length > 0) {
      replace(
        message,
        h(
          "div",
          { class: "error", role: "alert" },
          problems.map((p) => h("p", null, p)),
        ),
      );
      return;
    }
    const request: GrantRequest = {
      // A person may be named by e-mail: the platform looks the address up (first-party only, rate-limited,
      // docs/consent.md); the grant it answers names their account id, which the lists show.
      grantee:
        type.value === "user" && text("id").includes("@")
          ? { type: "user", email: text("id") }
          : { type: type.value as GrantRequest["grantee"]["type"], id: text("id") },
      actions,
      scope: {
        ...(chosenCategories.length > 0 ? { categories: chosenCategories } : {}),
        ...(chosenVariables.length > 0 ? { variables: chosenVariables } : {}),
      },
    };
    if (text("from") || text("to"))
      request.data_window = {
        ...(text("from") ? { from: instant(text("from")) } : {}),
        ...(text("to") ? { to: instant(text("to"), true) } : {}),
      };
    if (text("expires")) request.expires_at = instant(text("expires"), true);
    if (text("purpose")) request.purpose = text("purpose");
    replace(message, h("p", { role: "status" }, "Sharing…"));
    try {
      const grant = await client.unwrap(client.api.POST("/v1/consents", { body: request }));
      form.reset();
      replace(
        message,
        h(
          "p",
          { role: "status" },
          `Shared with ${GRANTEE_WORDS.get(grant.grantee.type)?.toLowerCase()} ${grant.grantee.id}.`,
        ),
      );
      await refresh();
    } catch (error) {
      replace(message, errorBox(error));
    }
  });
  return h("section", { "aria-labelledby": "share-title" }, h("h2", { id: "share-title" }, "Share your data"), form);
}

function scopeWords(grant: Consent): string {
  const parts = [...grant.scope.categories.map(label)];
  if (grant.scope.variable_ids.length > 0)
    parts.push(`${grant.scope.variable_ids.length} variable${grant.scope.variable_ids.length === 1 ? "" : "s"}`);
  return parts.join(", ") || "—";
}

function windowWords(grant: Consent): string {
  const { from, to } = grant.data_window;
  if (!from && !to) return "All";
  return `${from ? day(from) : "…"} to ${to ? day(to) : "…"}`;
}

async function listGrants(section: HTMLElement): Promise<void> {
  const body = section.querySelector(".grants-body") ?? h("div", { class: "grants-body" });
  if (!body.isConnected) section.append(body);
  const message =
    section.querySelector(".grant-messages") ?? h("div", { class: "grant-messages", "aria-live": "polite" });
  if (!message.isConnected) section.insertBefore(message, body);
  replace(body, loading("your grants"));
  const all: Consent[] = [];
  for await (const grant of client.paginate((cursor) =>
    client.unwrap(
      client.api.GET("/v1/consents", {
        params: { query: { status: "all", limit: 100, ...(cursor === undefined ? {} : { cursor }) } },
      }),
    ),
  ))
    all.push(grant);
  const refresh = () => listGrants(section);
  replace(
    body,
    (["active", "expired", "revoked"] as const).map((status) => {
      const rows = all.filter((g) => g.status === status);
      const title = `${label(status)} (${rows.length})`;
      if (rows.length === 0)
        return h(
          "div",
          { class: "grant-group" },
          h("h3", null, title),
          h("p", { class: "hint" }, `No ${status} grants.`),
        );
      return h(
        "div",
        { class: "grant-group" },
        h("h3", { id: `grants-${status}` }, title),
        scroller(
          `${label(status)} grants`,
          h(
            "table",
            { "aria-labelledby": `grants-${status}`, "data-status": status },
            h(
              "thead",
              null,
              h(
                "tr",
                null,
                ["With", "May", "Data", "Window", "Until", "Purpose", status === "active" ? "" : "Ended"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h(
              "tbody",
              null,
              rows.map((grant) => {
                const who = `${GRANTEE_WORDS.get(grant.grantee.type) ?? grant.grantee.type}: ${grant.grantee.id}`;
                const revoke = async () => {
                  const sure = await confirmIrreversible(
                    "Revoke this grant?",
                    `${who} will no longer be able to ${grant.actions.join(" or ")} your data through it, from their next request on.`,
                    "Revoke",
                  );
                  if (!sure) return;
                  try {
                    await client.unwrap(client.api.DELETE("/v1/consents/{id}", { params: { path: { id: grant.id } } }));
                    await refresh();
                    replace(message, h("p", { role: "status" }, "The grant was revoked."));
                  } catch (error) {
                    replace(message, errorBox(error));
                  }
                };
                return h(
                  "tr",
                  null,
                  h("th", { scope: "row" }, who),
                  h("td", null, grant.actions.join(", ")),
                  h("td", null, scopeWords(grant)),
                  h("td", null, windowWords(grant)),
                  h("td", null, grant.expires_at ? day(grant.expires_at) : "No end"),
                  h("td", null, grant.purpose ?? "—"),
                  status === "active"
                    ? h(
                        "td",
                        { class: "actions" },
                        h(
                          "button",
                          { type: "button", class: "danger", onclick: revoke, "aria-label": `Revoke grant to ${who}` },
                          "Revoke",
                        ),
                      )
                    : h("td", null, status === "revoked" ? when(grant.revoked_at) : day(grant.expires_at)),
                );
              }),
            ),
          ),
        ),
      );
    }),
  );
}

async function listApps(section: HTMLElement): Promise<void> {
  const body = section.querySelector(".apps-body") ?? h("div", { class: "apps-body" });
  if (!body.isConnected) section.append(body);
  replace(body, loading("your apps"));
  const { data } = await client.unwrap(client.api.GET("/v1/me/apps"));
  if (data.length === 0) {
    replace(
      body,
      empty(h("p", null, "No apps are connected. An app appears here once you allow it on the sign-in page.")),
    );
    return;
  }
  const message = h("div", { class: "app-messages", "aria-live": "polite" });
  replace(
    body,
    message,
    scroller(
      "Connected apps",
      h(
        "table",
        { class: "apps" },
        h(
          "thead",
          null,
          h(
            "tr",
            null,
            ["App", "May", "Approved", "Last used", "Without you", ""].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          null,
          data.map((app) => appRow(app, message, () => listApps(section))),
        ),
      ),
    ),
  );
}

function appRow(app: ConnectedApp, message: HTMLElement, refresh: () => Promise<void>): HTMLElement {
  const disconnect = async () => {
    const sure = await confirmIrreversible(
      `Disconnect ${app.name}?`,
      "Every token it holds for you stops working at once, and so does any access its servers had without you.",
      "Disconnect",
    );
    if (!sure) return;
    try {
      await client.unwrap(
        client.api.DELETE("/v1/me/apps/{client_id}", { params: { path: { client_id: app.client_id } } }),
      );
      await refresh();
    } catch (error) {
      replace(message, errorBox(error));
    }
  };
  const background =
    app.background_access.length === 0
      ? "Nothing"
      : app.background_access
          .map(
            (b) =>
              `${b.actions.join(", ")} ${b.categories.map(label).join(", ") || `${b.variable_ids.length} variables`}${b.expires_at ? ` until ${day(b.expires_at)}` : ""}`,
          )
          .join("; ");
  return h(
    "tr",
    null,
    h("th", { scope: "row" }, app.name),
    h("td", null, app.scopes.join(" ")),
    h("td", null, when(app.granted_at)),
    h("td", null, when(app.last_used_at)),
    h("td", null, background),
    h(
      "td",
      { class: "actions" },
      app.client_id === CLIENT_ID
        ? h("span", { class: "hint" }, "This portal (sign out to end it)")
        : h(
            "button",
            { type: "button", class: "danger", onclick: disconnect, "aria-label": `Disconnect ${app.name}` },
            "Disconnect",
          ),
    ),
  );
}
