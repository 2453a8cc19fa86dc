import { describe, expect, it } from "vitest";
import {
  decodeEntities,
  findForm,
  formBody,
  messagesWithClass,
  pageSummary,
  parseAttributes,
  parseForms,
  textContent,
} from "./html-forms";

/** The login page as the authorization server renders it after a failed attempt (escaped by hono's `html`). */
const LOGIN_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title>
<style>
  input[type=email],input[type=password]{width:100%} .error{color:#9b1c1c}
  /* <form action="/not-a-form"> inside CSS is not markup */
</style>
<script>document.write('<form method="post" action="/evil"><input name="x"></form>')</script>
</head>
<body><main><h1>Sign in to Acme &amp; Partners</h1>
<p class="error" role="alert">The e-mail or password is not correct.</p>
<!-- <form action="/commented-out"></form> -->
<form method="post" action="/oauth/login">
  <input type="hidden" name="csrf_token" value="c5Rf-Tok_en123">
  <input type="hidden" name="return_to" value="/oauth/authorize?response_type=code&amp;client_id=dfda_abc&amp;redirect_uri=http%3A%2F%2F127.0.0.1%3A8976%2Fcallback&amp;scope=openid+profile&amp;state=s1">
  <label for="email">E-mail</label>
  <input id="email" type="email" name="email" value="ada@example.org" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" type="password" name="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
<p><small><a href="/oauth/signup?return_to=%2Foauth%2Fauthorize">Create an account</a></small></p></main></body>
</html>`;

const CONSENT_PAGE = `<!doctype html><html><head><title>Allow access?</title></head>
<body><main><div class="app"><img src="https://example.org/logo.png" alt=""><h1>Acme Diary wants to</h1></div>
<ul class="scopes"><li>Read your health observations (all categories)</li><li>Keep access while you are not using the app (until you revoke it)</li></ul>
<p><small>Signed in as ada@example.org. You can revoke this access at any time.</small></p>
<form method="post" action="/oauth/consent">
  <input type="hidden" name="csrf_token" value="sess-csrf">
  <input type="hidden" name="return_to" value="/oauth/authorize?client_id=dfda_abc&amp;scope=openid">
  <button type="submit" name="decision" value="approve">Allow</button>
  <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form></main></body></html>`;

describe("parseForms", () => {
  it("reads a realistic login page: hidden inputs, entity-decoded values, no script/style/comment forms", () => {
    const forms = parseForms(LOGIN_PAGE);
    expect(forms).toHaveLength(1);
    const [form] = forms;
    expect(form).toMatchObject({ method: "post", action: "/oauth/login", enctype: null });
    expect(form?.fields).toEqual([
      { name: "csrf_token", type: "hidden", value: "c5Rf-Tok_en123" },
      {
        name: "return_to",
        type: "hidden",
        value:
          "/oauth/authorize?response_type=code&client_id=dfda_abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A8976%2Fcallback&scope=openid+profile&state=s1",
      },
      { name: "email", type: "email", value: "ada@example.org" },
      { name: "password", type: "password", value: "" },
    ]);
    expect(form?.buttons).toEqual([{ name: null, value: "", label: "Sign in" }]);
  });

  it("fills the login form the way a browser submits it", () => {
    const form = findForm(parseForms(LOGIN_PAGE), "/oauth/login");
    if (!form) throw new Error("no login form");
    const body = formBody(form, { email: "grace@example.org", password: "p&ss=word +1" });
    expect([...body.keys()]).toEqual(["csrf_token", "return_to", "email", "password"]);
    expect(body.get("email")).toBe("grace@example.org");
    expect(body.get("password")).toBe("p&ss=word +1");
    expect(body.get("return_to")).toContain("&client_id=dfda_abc&");
    // Round trip through the wire format.
    expect(new URLSearchParams(body.toString()).get("password")).toBe("p&ss=word +1");
  });

  it("reads a consent page with named submit buttons and submits the chosen one", () => {
    const form = findForm(parseForms(CONSENT_PAGE), "/oauth/consent");
    expect(form?.buttons).toEqual([
      { name: "decision", value: "approve", label: "Allow" },
      { name: "decision", value: "deny", label: "Deny" },
    ]);
    const approve = form?.buttons.find((b) => b.value === "approve");
    if (!form || !approve) throw new Error("no consent form");
    expect(formBody(form, {}, approve).toString()).toBe(
      "csrf_token=sess-csrf&return_to=%2Foauth%2Fauthorize%3Fclient_id%3Ddfda_abc%26scope%3Dopenid&decision=approve",
    );
  });

  it("accepts single-quoted, unquoted and value-less attributes, any case, and '>' inside quotes", () => {
    const html = `<FORM METHOD='POST' ACTION='/oauth/mfa'>
      <INPUT TYPE='hidden' NAME='csrf_token' VALUE='a"b>c'>
      <input type=hidden name=return_to value=/oauth/authorize?x=1>
      <input name='code' inputmode=numeric required/>
      <input type="checkbox" name="remember" checked>
      <input type="checkbox" name="unchecked">
      <input type="text" name="off" value="x" disabled>
      <input type="text" value="nameless">
      <input type="submit" value="Verify">
    </FORM>`;
    const [form] = parseForms(html);
    expect(form).toMatchObject({ method: "post", action: "/oauth/mfa" });
    expect(form?.fields).toEqual([
      { name: "csrf_token", type: "hidden", value: 'a"b>c' },
      { name: "return_to", type: "hidden", value: "/oauth/authorize?x=1" },
      { name: "code", type: "text", value: "" },
      { name: "remember", type: "checkbox", value: "on" },
    ]);
    expect(form?.buttons).toEqual([{ name: null, value: "Verify", label: "Verify" }]);
  });

  it("finds each of several forms, and ignores controls outside any form", () => {
    const html = `<input name="stray" value="1">
      <form method="post" action="/oauth/logout"><input type="hidden" name="csrf_token" value="one"></form>
      <form action="/search"><input name="q" value="heart rate"><select name="sort"><option>name</option><option value="date" selected>Date</option></select><textarea name="note">
line &lt;1&gt;</textarea></form>
      <form method="post" action="https://auth.example.org/oauth/consent?x=1"><button name="decision" value="approve">Allow</button></form>`;
    const forms = parseForms(html);
    expect(forms.map((f) => [f.method, f.action])).toEqual([
      ["post", "/oauth/logout"],
      ["get", "/search"],
      ["post", "https://auth.example.org/oauth/consent?x=1"],
    ]);
    expect(forms[1]?.fields).toEqual([
      { name: "q", type: "text", value: "heart rate" },
      { name: "sort", type: "select", value: "date" },
      { name: "note", type: "textarea", value: "line <1>" },
    ]);
    expect(findForm(forms, "/oauth/consent")).toBe(forms[2]);
    expect(findForm(forms, "/oauth/login")).toBeUndefined();
  });
});

describe("entities and attributes", () => {
  it("decodes the escapes the server produces, numeric references, and only once", () => {
    expect(decodeEntities("a &amp; b &quot;c&quot; &#39;d&#39; &lt;e&gt; &apos;")).toBe(`a & b "c" 'd' <e> '`);
    expect(decodeEntities("&#x41;&#66;&#x1F600;")).toBe("AB\u{1F600}");
    expect(decodeEntities("&amp;lt; stays &lt;")).toBe("&lt; stays <");
    expect(decodeEntities("&unknown; & alone &#0;")).toBe("&unknown; & alone \ufffd");
  });

  it("parses attributes: first of a duplicate wins, names are lower case", () => {
    const attributes = parseAttributes(` Name="a" name='b' VALUE=x&amp;y disabled data-x = "1 2"`);
    expect(Object.fromEntries(attributes)).toEqual({ name: "a", value: "x&y", disabled: "", "data-x": "1 2" });
  });
});

describe("page text", () => {
  it("reads the error message of a failed login", () => {
    expect(messagesWithClass(LOGIN_PAGE)).toEqual(["The e-mail or password is not correct."]);
    expect(messagesWithClass(CONSENT_PAGE)).toEqual([]);
    expect(messagesWithClass(`<div class="notice error big">Too <b>many</b> attempts</div>`)).toEqual([
      "Too many attempts",
    ]);
  });

  it("summarises a page by its heading and first paragraph", () => {
    const page = `<html><head><title>Cannot continue</title><style>p{}</style></head><body><main><h1>Cannot continue</h1><p>The redirect URI is not registered for this application.</p></main></body></html>`;
    expect(pageSummary(page)).toBe("Cannot continue: The redirect URI is not registered for this application.");
    expect(textContent("<p>a&nbsp;&amp;\n  b</p>")).toBe("a & b");
  });
});

describe("comments and raw-text elements", () => {
  it("skips script, style and template contents, quoted '>' in their start tags and any case of their end tags", () => {
    const html = `<SCRIPT type="a>b">x<input name=s></Script ><style media='>'><input name=t></STYLE
><template><form><input name=u></form></template><form><input name="kept" value="1"></form>`;
    expect(parseForms(html).flatMap((f) => f.fields.map((x) => x.name))).toEqual(["kept"]);
    expect(textContent(`a<scripts>b</scripts>c<script-x>d</script>e`)).toBe("a b ce");
  });

  it("treats an unclosed comment, raw-text element or start-tag quote as running to the end (WHATWG HTML §13.2.5)", () => {
    expect(textContent("a<!-- b <p>c")).toBe("a");
    expect(textContent("a<script>b<p>c")).toBe("a");
    expect(textContent(`a<style x="b>c`)).toBe("a");
    expect(textContent("a<!-- b --><script>c</script>d<!-- e -->f")).toBe("adf");
  });

  it("reads crafted input without backtracking (the old regex was a 4th-degree polynomial in it, CWE-1333)", () => {
    // recheck's attack on /<(script|style|template)\b(?:[^>"']|"[^"]*"|'[^']*')*>[\s\S]*?<\/\1\s*>/gi: the regex
    // would run for hours on this; a scan reads each character a bounded number of times.
    const attack = `${"<style\tI".repeat(25_000)}<p>end`;
    expect(textContent(attack)).toBe("");
    const unclosedQuotes = `${`<script a="`.repeat(25_000)}<p>end`;
    expect(textContent(unclosedQuotes)).toBe("");
    const noEndTags = `${"<template>".repeat(25_000)}x`;
    expect(textContent(noEndTags)).toBe("");
    expect(textContent(`${"</style <style>".repeat(25_000)}</style>ok`)).toBe("</style ok");
  });
});
