"""HTTP transport on the standard library (``urllib``): JSON, problem+json errors, and retries.

Retries follow the platform's documented behaviour: 429 (rate limited) and 503 (briefly unavailable) carry
``Retry-After`` (RFC 9110 §10.2.3, seconds or an HTTP date); without it the SDK backs off exponentially with
full jitter. Only requests that are safe to repeat are retried: reads, and writes that carry an
``Idempotency-Key`` (the API returns the first answer again for the same key and body).
"""

from __future__ import annotations

import email.utils
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Dict, Mapping, Optional, Union

from .errors import DfdaApiError, DfdaNetworkError

Body = Union[bytes, BinaryIO, None]
Sleep = Callable[[float], None]

RETRY_STATUSES = frozenset({429, 503})


@dataclass
class RetryPolicy:
    """How often and how long to wait; ``sleep`` is injectable so tests need no wall-clock waits."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Sleep = field(default=time.sleep)
    rng: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, retry_after: Optional[float]) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        # "Full jitter" (AWS Architecture Blog, Exponential Backoff And Jitter): spreads retrying clients.
        return self.rng() * min(self.max_delay, self.base_delay * (2**attempt))


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers here (a download link, an OAuth callback), never followed silently."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _lower(headers: Any) -> Dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def raw_request(
    method: str,
    url: str,
    *,
    headers: Optional[Mapping[str, str]] = None,
    body: Body = None,
    timeout: float = 60.0,
) -> Response:
    """One HTTP exchange; any status is returned, only a failed connection raises."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    try:
        with _opener.open(request, timeout=timeout) as answer:
            return Response(answer.status, _lower(answer.headers), answer.read())
    except urllib.error.HTTPError as error:
        data = error.read() if error.fp is not None else b""
        return Response(error.code, _lower(error.headers or {}), data)
    except (urllib.error.URLError, OSError) as error:
        raise DfdaNetworkError(f"{method} {url}: {getattr(error, 'reason', error)}") from error


def raise_for_problem(response: Response) -> None:
    """Turns a 4xx/5xx answer into :class:`DfdaApiError` (problem+json, or whatever the body says)."""
    if response.status < 400:
        return
    problem: Dict[str, Any] = {}
    try:
        parsed = response.json()
        if isinstance(parsed, dict):
            problem = parsed
    except (ValueError, UnicodeDecodeError):
        problem = {"detail": response.body[:300].decode("utf-8", "replace")}
    raise DfdaApiError(response.status, problem, response.headers.get("x-request-id"))


def request_with_retries(
    method: str,
    url: str,
    *,
    headers: Optional[Mapping[str, str]] = None,
    body: Optional[bytes] = None,
    retry: RetryPolicy,
    timeout: float = 60.0,
) -> Response:
    """Sends, retrying 429/503 (and connection failures) when the request may be repeated."""
    repeatable = method in ("GET", "HEAD", "OPTIONS", "DELETE") or any(
        k.lower() == "idempotency-key" for k in (headers or {})
    )
    attempt = 0
    while True:
        try:
            response = raw_request(method, url, headers=headers, body=body, timeout=timeout)
        except DfdaNetworkError:
            if not repeatable or attempt + 1 >= retry.max_attempts:
                raise
            retry.sleep(retry.delay(attempt, None))
            attempt += 1
            continue
        if response.status in RETRY_STATUSES and repeatable and attempt + 1 < retry.max_attempts:
            retry.sleep(retry.delay(attempt, parse_retry_after(response.headers.get("retry-after"))))
            attempt += 1
            continue
        return response


def with_query(url: str, params: Mapping[str, Any]) -> str:
    pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in params.items() if v is not None]
    if not pairs:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(pairs)}"
