"""Errors the SDK raises.

The platform answers every failure with ``application/problem+json`` (RFC 9457) carrying a stable ``code``;
:class:`DfdaApiError` exposes it with the HTTP status, the request id and the field errors, so callers branch
on ``error.code`` rather than on message text.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional


class DfdaError(Exception):
    """Base class of everything this SDK raises."""


class DfdaNetworkError(DfdaError):
    """The platform could not be reached (connection refused, reset, DNS, timeout)."""


class DfdaAuthError(DfdaError):
    """An OAuth 2.0 error response (RFC 6749 §5.2): ``error`` and ``error_description``."""

    def __init__(self, error: str, description: Optional[str] = None, status: Optional[int] = None) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.status = status


class DfdaApiError(DfdaError):
    """A problem+json answer (RFC 9457) of the platform's API."""

    def __init__(self, status: int, problem: Mapping[str, Any], request_id: Optional[str]) -> None:
        self.status = status
        self.problem: Dict[str, Any] = dict(problem)
        code = problem.get("code")
        self.code: str = code if isinstance(code, str) else f"http_{status}"
        title = problem.get("title")
        self.title: Optional[str] = title if isinstance(title, str) else None
        detail = problem.get("detail")
        self.detail: Optional[str] = detail if isinstance(detail, str) else None
        rid = problem.get("request_id")
        self.request_id: Optional[str] = rid if isinstance(rid, str) else request_id
        errors = problem.get("errors")
        self.field_errors: List[Dict[str, Any]] = (
            [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
        )
        message = f"{status} {self.code}"
        if self.detail or self.title:
            message += f": {self.detail or self.title}"
        if self.request_id:
            message += f" (request {self.request_id})"
        super().__init__(message)
