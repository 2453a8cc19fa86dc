"""Signing in with the platform's OAuth 2.0 authorization server.

- :func:`login_with_browser`: authorization code with PKCE (RFC 7636, S256) through the system browser and a
  loopback redirect ``http://127.0.0.1:<port>/callback`` (RFC 8252 §7.3: native apps receive the code on a
  loopback interface; the port is chosen by the OS unless given).
- :func:`login_with_device_code`: the device authorization grant (RFC 8628) for machines without a browser.
- :func:`client_credentials`: a service's own token (RFC 6749 §4.4).
- :class:`Tokens` with refresh (rotation: every refresh returns a new refresh token, RFC 9700 §4.14.2) and
  revocation (RFC 7009); :class:`FileTokenStore` keeps them in a file only its owner can read (0600).
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import secrets
import threading
import time
import urllib.parse
import webbrowser
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Protocol

from ._http import RetryPolicy, raw_request, request_with_retries
from .errors import DfdaAuthError, DfdaError

FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


@dataclass
class Tokens:
    access_token: str
    token_type: str = "Bearer"
    refresh_token: Optional[str] = None
    scope: Optional[str] = None
    id_token: Optional[str] = None
    #: Seconds since the epoch after which the access token is no longer accepted.
    expires_at: Optional[float] = None

    @classmethod
    def from_response(cls, body: Mapping[str, Any], now: Optional[float] = None) -> "Tokens":
        access = body.get("access_token")
        if not isinstance(access, str):
            raise DfdaAuthError("invalid_response", "the token response has no access_token")
        expires_in = body.get("expires_in")
        at = (time.time() if now is None else now) + float(expires_in) if isinstance(expires_in, (int, float)) else None
        return cls(
            access_token=access,
            token_type=str(body.get("token_type", "Bearer")),
            refresh_token=body.get("refresh_token") if isinstance(body.get("refresh_token"), str) else None,
            scope=body.get("scope") if isinstance(body.get("scope"), str) else None,
            id_token=body.get("id_token") if isinstance(body.get("id_token"), str) else None,
            expires_at=at,
        )

    def expired(self, leeway: float = 30.0, now: Optional[float] = None) -> bool:
        return self.expires_at is not None and (time.time() if now is None else now) >= self.expires_at - leeway


class TokenStore(Protocol):
    def load(self) -> Optional[Tokens]: ...

    def save(self, tokens: Optional[Tokens]) -> None: ...


@dataclass
class MemoryTokenStore:
    tokens: Optional[Tokens] = None

    def load(self) -> Optional[Tokens]:
        return self.tokens

    def save(self, tokens: Optional[Tokens]) -> None:
        self.tokens = tokens


@dataclass
class FileTokenStore:
    """Tokens in a JSON file created with mode 0600 (the tokens are bearer credentials)."""

    path: str

    def load(self) -> Optional[Tokens]:
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return None
        return Tokens(**{k: v for k, v in data.items() if k in Tokens.__dataclass_fields__})

    def save(self, tokens: Optional[Tokens]) -> None:
        if tokens is None:
            try:
                os.remove(self.path)
            except FileNotFoundError:
                pass
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, mode=0o700, exist_ok=True)
        tmp = f"{self.path}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(tokens), f)
        os.replace(tmp, self.path)


@dataclass
class ServerMetadata:
    """RFC 8414 authorization server metadata (the parts the SDK uses)."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: Optional[str] = None
    device_authorization_endpoint: Optional[str] = None


def discover(base_url: str, timeout: float = 30.0) -> ServerMetadata:
    url = f"{base_url.rstrip('/')}/.well-known/oauth-authorization-server"
    response = raw_request("GET", url, headers={"Accept": "application/json"}, timeout=timeout)
    if response.status != 200:
        raise DfdaError(f"{url} answered {response.status}; is {base_url} a dFDA platform?")
    body = response.json()
    return ServerMetadata(
        issuer=body["issuer"],
        authorization_endpoint=body["authorization_endpoint"],
        token_endpoint=body["token_endpoint"],
        revocation_endpoint=body.get("revocation_endpoint"),
        device_authorization_endpoint=body.get("device_authorization_endpoint"),
    )


def pkce_pair() -> "tuple[str, str]":
    """A code verifier (43 characters of base64url from 32 random bytes) and its S256 challenge (RFC 7636 §4)."""
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode("ascii")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")
    return verifier, challenge


def token_request(metadata: ServerMetadata, form: Mapping[str, str], auth: Optional["tuple[str, str]"] = None) -> Tokens:
    headers = dict(FORM)
    if auth is not None:
        # client_secret_basic (RFC 6749 §2.3.1): both parts form-urlencoded before base64.
        pair = f"{urllib.parse.quote(auth[0], safe='')}:{urllib.parse.quote(auth[1], safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    response = request_with_retries(
        "POST",
        metadata.token_endpoint,
        headers=headers,
        body=urllib.parse.urlencode(form).encode(),
        retry=RetryPolicy(max_attempts=1),
    )
    body: Any = None
    try:
        body = response.json()
    except ValueError:
        pass
    if response.status != 200 or not isinstance(body, dict):
        error = body.get("error") if isinstance(body, dict) else None
        desc = body.get("error_description") if isinstance(body, dict) else None
        raise DfdaAuthError(str(error or f"http_{response.status}"), desc, response.status)
    return Tokens.from_response(body)


class _CallbackHandler(http.server.BaseHTTPRequestHandler):
    result: Dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path != "/callback":
            self.send_response(404)
            self.end_headers()
            return
        params = dict(urllib.parse.parse_qsl(parsed.query))
        self.server.result = params  # type: ignore[attr-defined]
        ok = "code" in params
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        message = "Signed in. You can close this window." if ok else "Sign-in failed: " + params.get("error", "no code")
        self.wfile.write(f"<!doctype html><title>dFDA</title><p>{message}</p>".encode())

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        return


def login_with_browser(
    base_url: str,
    client_id: str,
    *,
    scope: Optional[str] = None,
    port: int = 0,
    open_browser: Callable[[str], Any] = webbrowser.open,
    timeout: float = 300.0,
) -> Tokens:
    """Authorization code + PKCE through the system browser and a loopback redirect (RFC 8252 §7.3).

    ``open_browser`` receives the authorization URL (tests pass a function that drives the sign-in pages).
    """
    metadata = discover(base_url)
    server = http.server.HTTPServer(("127.0.0.1", port), _CallbackHandler)
    server.result = {}  # type: ignore[attr-defined]
    server.timeout = 1.0
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/callback"
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if scope:
        query["scope"] = scope
    url = f"{metadata.authorization_endpoint}?{urllib.parse.urlencode(query)}"
    opener = threading.Thread(target=open_browser, args=(url,), daemon=True)
    deadline = time.monotonic() + timeout
    try:
        opener.start()
        while not server.result and time.monotonic() < deadline:  # type: ignore[attr-defined]
            server.handle_request()
    finally:
        server.server_close()
    params: Dict[str, str] = server.result  # type: ignore[attr-defined]
    if not params:
        raise DfdaAuthError("timeout", "the browser did not come back to the loopback redirect in time")
    # RFC 6749 §10.12: the state ties the answer to this request (CSRF); RFC 9207: the issuer to this server.
    if params.get("state") != state:
        raise DfdaAuthError("invalid_state", "the redirect's state does not match this sign-in")
    if "iss" in params and params["iss"] != metadata.issuer:
        raise DfdaAuthError("invalid_issuer", f"the redirect names issuer {params['iss']}")
    if "error" in params:
        raise DfdaAuthError(params["error"], params.get("error_description"))
    return token_request(
        metadata,
        {
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "code_verifier": verifier,
        },
    )


@dataclass
class DeviceAuthorization:
    device_code: str
    user_code: str
    verification_uri: str
    verification_uri_complete: Optional[str]
    expires_in: int
    interval: int = 5


def login_with_device_code(
    base_url: str,
    client_id: str,
    *,
    scope: Optional[str] = None,
    prompt: Callable[[DeviceAuthorization], Any] = lambda d: print(
        f"Open {d.verification_uri} and enter the code {d.user_code}", flush=True
    ),
    sleep: Callable[[float], None] = time.sleep,
) -> Tokens:
    """The device authorization grant (RFC 8628): show a code, poll the token endpoint until approved."""
    metadata = discover(base_url)
    if metadata.device_authorization_endpoint is None:
        raise DfdaAuthError("unsupported_grant_type", "this server offers no device authorization endpoint")
    form = {"client_id": client_id}
    if scope:
        form["scope"] = scope
    response = raw_request(
        "POST", metadata.device_authorization_endpoint, headers=FORM, body=urllib.parse.urlencode(form).encode()
    )
    body = response.json()
    if response.status != 200:
        raise DfdaAuthError(str(body.get("error", f"http_{response.status}")), body.get("error_description"))
    device = DeviceAuthorization(
        device_code=body["device_code"],
        user_code=body["user_code"],
        verification_uri=body["verification_uri"],
        verification_uri_complete=body.get("verification_uri_complete"),
        expires_in=int(body["expires_in"]),
        interval=int(body.get("interval", 5)),
    )
    prompt(device)
    interval = device.interval
    deadline = time.monotonic() + device.expires_in
    while time.monotonic() < deadline:
        sleep(interval)
        try:
            return token_request(
                metadata,
                {
                    "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                    "device_code": device.device_code,
                    "client_id": client_id,
                },
            )
        except DfdaAuthError as error:
            if error.error == "authorization_pending":
                continue
            if error.error == "slow_down":
                interval += 5  # RFC 8628 §3.5
                continue
            raise
    raise DfdaAuthError("expired_token", "the device code expired before it was approved")


def client_credentials(base_url: str, client_id: str, client_secret: str, scope: Optional[str] = None) -> Tokens:
    """A confidential client's own token (RFC 6749 §4.4), authenticated with client_secret_basic."""
    form = {"grant_type": "client_credentials"}
    if scope:
        form["scope"] = scope
    return token_request(discover(base_url), form, auth=(client_id, client_secret))


def refresh(base_url: str, client_id: str, refresh_token: str, client_secret: Optional[str] = None) -> Tokens:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    auth = None
    if client_secret is None:
        form["client_id"] = client_id
    else:
        auth = (client_id, client_secret)
    return token_request(discover(base_url), form, auth=auth)


def revoke(base_url: str, client_id: str, token: str, client_secret: Optional[str] = None) -> None:
    """Token revocation (RFC 7009): revoking a refresh token ends its whole family."""
    metadata = discover(base_url)
    if metadata.revocation_endpoint is None:
        return
    form = {"token": token}
    headers = dict(FORM)
    if client_secret is None:
        form["client_id"] = client_id
    else:
        pair = f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(client_secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    response = raw_request("POST", metadata.revocation_endpoint, headers=headers, body=urllib.parse.urlencode(form).encode())
    if response.status != 200:
        raise DfdaAuthError(f"http_{response.status}", response.body[:200].decode("utf-8", "replace"), response.status)


__all__: List[str] = [
    "DeviceAuthorization",
    "FileTokenStore",
    "MemoryTokenStore",
    "ServerMetadata",
    "TokenStore",
    "Tokens",
    "client_credentials",
    "discover",
    "login_with_browser",
    "login_with_device_code",
    "pkce_pair",
    "refresh",
    "revoke",
    "token_request",
]
