/**
 * A small, careful HTML form scanner for `dfda login`: enough of the HTML parsing rules to read the
 * authorization server's pages (forms of named inputs and buttons, attribute values in double, single
 * or no quotes, character references) without a DOM. It reads `<form>`, `<input>`, `<button>`,
 * `<textarea>` and `<select>` tags; comments, `<script>`, `<style>` and `<template>` contents are
 * skipped, so a tag-like text inside them is never mistaken for a control.
 */

/** A control whose name and value are submitted with the form (HTML §4.10.21.4, "successful controls"). */
export interface FormField {
  name: string;
  /** `type` of an `<input>` (lower case, default `text`), or `textarea` / `select`. */
  type: string;
  value: string;
}

/** A submit button: an `<input type="submit|image">` or a `<button>` whose type is `submit` (the default). */
export interface FormButton {
  name: string | null;
  value: string;
  /** The button's visible text (or its value for an `<input>`). */
  label: string;
}

export interface HtmlForm {
  /** `get` or `post` (lower case; `get` when absent, as in HTML). */
  method: string;
  /** The raw `action` attribute, entity-decoded; null when absent (the form submits to its page). */
  action: string | null;
  /** `enctype`, lower case; null when absent. */
  enctype: string | null;
  fields: FormField[];
  buttons: FormButton[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/**
 * Decodes character references in one pass (`&amp;lt;` becomes `&lt;`, not `<`): the named ones the
 * server's escaping produces plus decimal and hexadecimal references. Unknown names stay as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** One attribute: `name`, `name=value`, `name="value"` or `name='value'`. */
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?/g;

/**
 * Parses the attribute text of a start tag (everything between the tag name and `>`). Names are lower
 * case; a value-less attribute (`checked`, `disabled`) maps to the empty string; the first of a
 * duplicated attribute wins, as in HTML.
 */
export function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = (match[1] ?? "").toLowerCase();
    if (name === "" || attributes.has(name)) continue;
    attributes.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ""));
  }
  return attributes;
}

/** Attribute text inside a tag: quoted values may contain `>`. */
const ATTRS = `((?:[^>"']|"[^"]*"|'[^']*')*)`;

/** Elements whose content is not markup (WHATWG HTML §13.1.2, raw text; `<template>` content is inert). */
const RAW_TEXT = ["script", "style", "template"] as const;

/** Whether `text` has `word` (lower-case ASCII) at `at`, ASCII case-insensitively. */
function hasWordAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++) {
    // `| 0x20` lower-cases ASCII letters and leaves the other characters of a tag name distinct.
    if ((text.charCodeAt(at + i) | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** A word character (`\w`) ends a tag name only where it is not one, as `\b` did. */
function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 // 0-9 A-Z a-z _
  );
}

/** White space as `\s` matches it: what may come between an end tag's name and its `>`. */
function isSpace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * The index just after the `>` closing a start tag whose attributes begin at `from`; quoted values may
 * hold `>`. -1 when a quote is never closed: the tag runs to the end of the input ("EOF in tag").
 */
function startTagEnd(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    const c = text[at];
    if (c === ">") return at + 1;
    if (c === '"' || c === "'") {
      at = text.indexOf(c, at + 1);
      if (at === -1) return -1;
    }
  }
  return -1;
}

/** The index just after the first `</name\s*>` at or after `from`, or -1. */
function endTagEnd(text: string, from: number, name: string): number {
  for (let at = text.indexOf("</", from); at !== -1; at = text.indexOf("</", at + 2)) {
    if (!hasWordAt(text, at + 2, name)) continue;
    let end = at + 2 + name.length;
    while (end < text.length && isSpace(text.charCodeAt(end))) end++;
    if (text[end] === ">") return end + 1;
  }
  return -1;
}

/**
 * Removes comments and the raw-text content of script, style and template elements, by one left-to-right
 * scan that never goes back: every character is read a bounded number of times, whatever the input
 * (the regexes this replaces backtracked polynomially on crafted input, CWE-1333; issue 12). As an HTML
 * tokenizer does (WHATWG HTML §13.2.5), an unclosed comment, an unclosed raw-text element and a start
 * tag with an unclosed quote run to the end of the input, so nothing after them is read as markup.
 */
function stripNonContent(html: string): string {
  let out = "";
  let at = 0;
  for (let lt = html.indexOf("<", at); lt !== -1; lt = html.indexOf("<", lt + 1)) {
    if (html.startsWith("<!--", lt)) {
      const close = html.indexOf("-->", lt + 4);
      out += html.slice(at, lt);
      if (close === -1) return out;
      at = close + 3;
      lt = at - 1;
      continue;
    }
    const name = RAW_TEXT.find((n) => hasWordAt(html, lt + 1, n) && !isWordChar(html.charCodeAt(lt + 1 + n.length)));
    if (name === undefined) continue;
    out += html.slice(at, lt);
    const contentStart = startTagEnd(html, lt + 1 + name.length);
    const close = contentStart === -1 ? -1 : endTagEnd(html, contentStart, name);
    if (close === -1) return out;
    at = close;
    lt = at - 1;
  }
  return out + html.slice(at);
}

/**
 * Each `<…>` replaced by a space, as `.replace(/<[^>]*>/g, " ")` did, by a scan: that regex rescans
 * the rest of the text from every `<` that has no `>` after it (quadratic, CWE-1333).
 */
function stripTags(html: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const open = html.indexOf("<", at);
    const close = open === -1 ? -1 : html.indexOf(">", open);
    if (close === -1) return out + html.slice(at);
    out += `${html.slice(at, open)} `;
    at = close + 1;
  }
}

/** The text of an HTML fragment: tags removed, references decoded, white space collapsed. */
export function textContent(fragment: string): string {
  return decodeEntities(stripTags(stripNonContent(fragment)))
    .replace(/[\s\u00a0]+/g, " ")
    .trim();
}

const CONTROL = new RegExp(
  String.raw`<\/(form|select)\s*>|<(form|input|button|textarea|select|option)\b${ATTRS}>`,
  "gi",
);

/**
 * Every form on a page, in document order, with its successful controls and submit buttons. Forms do
 * not nest in HTML; a `<form>` inside an open form is ignored, like a browser does. Disabled controls,
 * controls without a name, and unchecked checkboxes and radio buttons are left out, as in a submission.
 */
export function parseForms(html: string): HtmlForm[] {
  const source = stripNonContent(html);
  const forms: HtmlForm[] = [];
  let current: HtmlForm | null = null;
  let select: { name: string | null; disabled: boolean; first: string | null; selected: string | null } | null = null;

  const closeSelect = () => {
    if (current && select && select.name !== null && !select.disabled) {
      const value = select.selected ?? select.first;
      if (value !== null) current.fields.push({ name: select.name, type: "select", value });
    }
    select = null;
  };

  CONTROL.lastIndex = 0;
  for (let match = CONTROL.exec(source); match !== null; match = CONTROL.exec(source)) {
    const closing = match[1]?.toLowerCase();
    if (closing === "form") {
      closeSelect();
      current = null;
      continue;
    }
    if (closing === "select") {
      closeSelect();
      continue;
    }
    const tag = (match[2] ?? "").toLowerCase();
    const attributes = parseAttributes(match[3] ?? "");
    if (tag === "form") {
      if (current) continue;
      current = {
        method: (attributes.get("method") ?? "get").toLowerCase(),
        action: attributes.get("action") ?? null,
        enctype: attributes.get("enctype")?.toLowerCase() ?? null,
        fields: [],
        buttons: [],
      };
      forms.push(current);
      continue;
    }
    if (!current) continue;
    const name = attributes.get("name") ?? null;
    const disabled = attributes.has("disabled");
    const end = CONTROL.lastIndex;

    if (tag === "option") {
      if (!select) continue;
      // An option's value defaults to its text, which runs to the next tag.
      const next = source.indexOf("<", end);
      const text = textContent(next === -1 ? source.slice(end) : source.slice(end, next));
      const value = attributes.get("value") ?? text;
      if (select.first === null && !attributes.has("disabled")) select.first = value;
      if (attributes.has("selected") && select.selected === null) select.selected = value;
      continue;
    }
    if (tag === "select") {
      closeSelect();
      select = { name, disabled, first: null, selected: null };
      continue;
    }
    if (tag === "textarea") {
      const close = source.slice(end).search(/<\/textarea\s*>/i);
      const raw = close === -1 ? source.slice(end) : source.slice(end, end + close);
      CONTROL.lastIndex = close === -1 ? source.length : end + close;
      // A newline right after the start tag is not part of the value (HTML §13.2.6.4.7).
      const value = decodeEntities(raw.replace(/^\r?\n/, ""));
      if (name !== null && !disabled) current.fields.push({ name, type: "textarea", value });
      continue;
    }
    if (tag === "button") {
      const type = (attributes.get("type") ?? "submit").toLowerCase();
      const close = source.slice(end).search(/<\/button\s*>/i);
      const label = textContent(close === -1 ? "" : source.slice(end, end + close));
      if (type === "submit" && !disabled) current.buttons.push({ name, value: attributes.get("value") ?? "", label });
      continue;
    }
    // <input>
    const type = (attributes.get("type") ?? "text").toLowerCase();
    const value = attributes.get("value") ?? (type === "checkbox" || type === "radio" ? "on" : "");
    if (type === "submit" || type === "image") {
      if (!disabled) current.buttons.push({ name, value, label: value });
      continue;
    }
    if (type === "reset" || type === "button" || type === "file") continue;
    if ((type === "checkbox" || type === "radio") && !attributes.has("checked")) continue;
    if (name === null || disabled) continue;
    current.fields.push({ name, type, value });
  }
  closeSelect();
  return forms;
}

/** The form whose action is `action` (compared as a path: `/oauth/login` matches `https://h/oauth/login`). */
export function findForm(forms: readonly HtmlForm[], action: string): HtmlForm | undefined {
  return forms.find((form) => {
    if (form.action === null) return false;
    if (form.action === action) return true;
    try {
      return new URL(form.action, "http://placeholder.invalid").pathname === action;
    } catch {
      return false;
    }
  });
}

/**
 * The body a browser would submit: every successful control in order, with `values` replacing (or
 * adding) named fields, and the chosen submit button's name and value last.
 */
export function formBody(form: HtmlForm, values: Record<string, string> = {}, submitter?: FormButton): URLSearchParams {
  const body = new URLSearchParams();
  const replaced = new Set<string>();
  for (const field of form.fields) {
    const override = values[field.name];
    if (override === undefined) {
      body.append(field.name, field.value);
    } else if (!replaced.has(field.name)) {
      body.append(field.name, override);
      replaced.add(field.name);
    }
  }
  for (const [name, value] of Object.entries(values)) if (!replaced.has(name)) body.append(name, value);
  if (submitter?.name) body.append(submitter.name, submitter.value);
  return body;
}

/**
 * The text of every element whose class list contains `className` (by default `error`), in document
 * order. Used for the message a login or second-factor page shows after a failed attempt.
 */
export function messagesWithClass(html: string, className = "error"): string[] {
  const source = stripNonContent(html);
  const messages: string[] = [];
  const start = new RegExp(String.raw`<([a-zA-Z][a-zA-Z0-9-]*)\b${ATTRS}>`, "g");
  for (const match of source.matchAll(start)) {
    const tag = (match[1] ?? "").toLowerCase();
    const classes = (parseAttributes(match[2] ?? "").get("class") ?? "").split(/\s+/);
    if (!classes.includes(className)) continue;
    const from = (match.index ?? 0) + match[0].length;
    const close = source.slice(from).search(new RegExp(String.raw`<\/${tag}\s*>`, "i"));
    const text = textContent(close === -1 ? source.slice(from) : source.slice(from, from + close));
    if (text !== "") messages.push(text);
  }
  return messages;
}

/** How much of a page pageSummary reads. */
const PAGE_SUMMARY_CHARS = 16_384;

/**
 * A one-line summary of a page for an error message: its first heading (or title) and the text of
 * its first paragraph, e.g. "Cannot continue: The redirect URI is not registered for this application."
 */
export function pageSummary(whole: string): string {
  // The first heading and paragraph are near the top; the cap bounds the element regexes below,
  // which are quadratic in the worst case (CWE-1333; test/node/regex-safety.test.ts).
  const html = whole.slice(0, PAGE_SUMMARY_CHARS);
  const source = stripNonContent(html);
  const heading =
    /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(source)?.[1] ?? /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html)?.[1];
  const paragraph = /<p\b[^>]*>([\s\S]*?)<\/p\s*>/i.exec(source)?.[1];
  const parts = [heading, paragraph].filter((p): p is string => p !== undefined).map(textContent);
  const summary = parts.filter((p) => p !== "").join(": ");
  return summary === "" ? textContent(source).slice(0, 200) : summary;
}
