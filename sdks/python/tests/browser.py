"""A minimal browser for the tests: follows the platform's sign-in pages as a person would (sign in,
approve the consent screen) and finally loads the loopback redirect, where the SDK's server waits.

It stands in for the person at the system browser, nothing else: the authorization server, its pages and
cookies are the platform's own, and the SDK's loopback server receives a real redirect.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from typing import Dict, List, Optional, Tuple


class Form:
    def __init__(self, action: Optional[str], method: str) -> None:
        self.action = action
        self.method = method
        self.fields: Dict[str, str] = {}
        self.buttons: List[Tuple[str, str]] = []


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: List[Form] = []
        self._current: Optional[Form] = None

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = Form(a.get("action"), a.get("method", "get").lower())
            self.forms.append(self._current)
        elif self._current is not None and tag == "input" and a.get("name"):
            if a.get("type") in ("submit",):
                self._current.buttons.append((a["name"], a.get("value", "")))
            elif a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._current.fields[a["name"]] = a.get("value", "")
        elif self._current is not None and tag == "button" and a.get("name"):
            self._current.buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def sign_in(url: str, email: str, password: str) -> None:
    """Opens ``url`` (an authorization request) and completes it; the last hop is the loopback redirect."""
    _walk(url, email, password, device=False)


def approve_device(url: str, email: str, password: str) -> None:
    """Opens a device flow's ``verification_uri_complete`` (RFC 8628 §3.3.1) on "another device", signs in
    and approves; the page then says the device may continue (there is no redirect)."""
    _walk(url, email, password, device=True)


def _walk(url: str, email: str, password: str, device: bool) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    submitted = set()
    method, target, body = "GET", url, None
    for _ in range(20):
        request = urllib.request.Request(target, data=body, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            response = opener.open(request)
            status, headers, html = response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, headers, html = error.code, error.headers, error.read().decode("utf-8", "replace")
        if status in (301, 302, 303, 307, 308):
            location = urllib.parse.urljoin(target, headers["Location"])
            if urllib.parse.urlsplit(location).hostname == "127.0.0.1" and location.split("?")[0].endswith("/callback"):
                urllib.request.urlopen(location).read()  # the SDK's loopback server
                return
            method, target, body = "GET", location, None
            continue
        if device and "decision" in submitted:
            if status != 200:
                raise AssertionError(f"the device decision answered {status}: {html[:300]}")
            return
        parser = FormParser()
        parser.feed(html)
        form = next((f for f in parser.forms if f.action and "/oauth/login" in f.action), None)
        if form is not None and "login" not in submitted:
            submitted.add("login")
            fields = {**form.fields, "email": email, "password": password}
        else:
            decision = "/oauth/device/decision" if device else "/oauth/consent"
            form = next((f for f in parser.forms if f.action and decision in f.action), None)
            if form is None or "decision" in submitted:
                raise AssertionError(f"unexpected page ({status}) at {target}: {html[:500]}")
            submitted.add("decision")
            fields = {**form.fields, "decision": "approve"}
        method = "POST" if form.method == "post" else "GET"
        target = urllib.parse.urljoin(target, form.action or target)
        body = urllib.parse.urlencode(fields).encode()
        if method == "GET":
            target, body = f"{target}?{body.decode()}", None
    raise AssertionError("the sign-in did not finish in 20 pages")
