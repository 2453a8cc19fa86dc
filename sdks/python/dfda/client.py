"""The platform's API from Python: send observations, upload files, wait for jobs, read, export.

    from dfda import Client, login_with_browser
    tokens = login_with_browser("http://127.0.0.1:8787", "dfda-cli")
    client = Client("http://127.0.0.1:8787", tokens=tokens, client_id="dfda-cli")
    jobs = client.observations.send([{"variable": {"system": "http://loinc.org", "code": "8867-4"},
                                      "value": 61, "unit": "/min", "start_at": "2026-11-01T07:00:00Z"}])
    client.jobs.wait(jobs[0]["job_id"])
    for o in client.observations.list(variable="http://loinc.org|8867-4"):
        print(o["start_at"], o["value"], o["unit"])
"""

from __future__ import annotations

import io
import json
import os
import threading
import time
import uuid
from typing import Any, BinaryIO, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Union

from . import auth
from ._http import RetryPolicy, raise_for_problem, raw_request, request_with_retries, with_query
from .errors import DfdaApiError, DfdaError

JSON = Dict[str, Any]
Progress = Callable[[int, Optional[int]], None]

#: The API's largest batch (packages/core MAX_BATCH); the SDK splits larger iterables.
MAX_BATCH = 20_000
#: A job in one of these states will not change any more.
FINAL_JOB_STATES = frozenset({"completed", "completed_with_issues", "failed", "unsupported_format"})
FINAL_EXPORT_STATES = frozenset({"completed", "failed", "expired"})


class Client:
    """A signed-in client. Pass ``tokens`` (with ``client_id`` so they can be refreshed) or an ``access_token``."""

    def __init__(
        self,
        base_url: str,
        *,
        tokens: Optional[auth.Tokens] = None,
        access_token: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        store: Optional[auth.TokenStore] = None,
        retry: Optional[RetryPolicy] = None,
        timeout: float = 60.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.store: auth.TokenStore = store or auth.MemoryTokenStore()
        if tokens is None and access_token is not None:
            tokens = auth.Tokens(access_token=access_token)
        if tokens is not None:
            self.store.save(tokens)
        if self.store.load() is None:
            raise DfdaError("no tokens: sign in first (dfda.login_with_browser) or pass access_token")
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        # One refresh at a time: concurrent calls on an expired token share it (refresh tokens rotate, so a
        # second refresh with the same token would be reuse and revoke the family, RFC 9700 §4.14.2).
        self._refresh_lock = threading.Lock()
        self.observations = Observations(self)
        self.jobs = Jobs(self)
        self.files = Files(self)
        self.exports = Exports(self)
        self.variables = Variables(self)

    # --- tokens -------------------------------------------------------------------------------------
    @property
    def tokens(self) -> auth.Tokens:
        tokens = self.store.load()
        if tokens is None:
            raise DfdaError("signed out")
        return tokens

    def _access_token(self) -> str:
        tokens = self.tokens
        if tokens.expired() and tokens.refresh_token and self.client_id:
            return self.refresh(stale=tokens.access_token).access_token
        return tokens.access_token

    def refresh(self, stale: Optional[str] = None) -> auth.Tokens:
        """Refreshes the tokens, unless another thread already did since ``stale`` was read."""
        with self._refresh_lock:
            current = self.tokens
            if stale is not None and current.access_token != stale:
                return current
            if not current.refresh_token or not self.client_id:
                raise DfdaError("the access token expired and there is no refresh token to renew it")
            fresh = auth.refresh(self.base_url, self.client_id, current.refresh_token, self.client_secret)
            if fresh.refresh_token is None:
                fresh.refresh_token = current.refresh_token
            self.store.save(fresh)
            return fresh

    def sign_out(self) -> None:
        """Revokes the refresh token (its whole family, RFC 7009) and the access token, then forgets both."""
        tokens = self.store.load()
        if tokens is not None and self.client_id:
            for token in (tokens.refresh_token, tokens.access_token):
                if token:
                    auth.revoke(self.base_url, self.client_id, token, self.client_secret)
        self.store.save(None)

    # --- requests -----------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> Any:
        """A JSON request to the API; problem+json answers raise :class:`DfdaApiError`."""
        url = with_query(f"{self.base_url}{path}", params or {})
        body = None if json_body is None else json.dumps(json_body).encode("utf-8")
        extra = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            extra["Content-Type"] = "application/json"
        response = self._send(method, url, extra, body)
        raise_for_problem(response)
        return response.json()

    def _send(self, method: str, url: str, headers: Mapping[str, str], body: Optional[bytes]):  # type: ignore[no-untyped-def]
        token = self._access_token()
        response = request_with_retries(
            method, url, headers={**headers, "Authorization": f"Bearer {token}"}, body=body, retry=self.retry, timeout=self.timeout
        )
        if response.status == 401 and self.tokens.refresh_token and self.client_id:
            # Revoked or expired early: one refresh, then the same request once more.
            token = self.refresh(stale=token).access_token
            response = request_with_retries(
                method, url, headers={**headers, "Authorization": f"Bearer {token}"}, body=body, retry=self.retry, timeout=self.timeout
            )
        return response

    def paginate(self, path: str, params: Optional[Mapping[str, Any]] = None) -> Iterator[JSON]:
        """Every item of a cursor-paged list (``{data, next_cursor}``), fetched page by page as iterated."""
        query = dict(params or {})
        while True:
            page = self.request("GET", path, params=query)
            for item in page.get("data", []):
                yield item
            cursor = page.get("next_cursor")
            if not cursor:
                return
            query["cursor"] = cursor


class Observations:
    def __init__(self, client: Client) -> None:
        self._c = client

    def send(
        self,
        observations: Iterable[Mapping[str, Any]],
        *,
        batch_size: int = MAX_BATCH,
        wait: bool = False,
        on_progress: Optional[Callable[[JSON], None]] = None,
    ) -> List[JSON]:
        """Sends observations in batches of at most ``batch_size``; each batch carries its own
        ``Idempotency-Key`` so a retry after a lost answer never stores it twice. Returns the accepted jobs
        (``job_id``, ``status_url``), or with ``wait=True`` the finished jobs."""
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
        accepted: List[JSON] = []
        batch: List[Mapping[str, Any]] = []

        def flush() -> None:
            if batch:
                accepted.append(
                    self._c.request(
                        "POST",
                        "/v1/ingest/observations",
                        json_body={"observations": list(batch)},
                        headers={"Idempotency-Key": str(uuid.uuid4())},
                    )
                )
                batch.clear()

        for item in observations:
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        flush()
        if not wait:
            return accepted
        return [self._c.jobs.wait(job["job_id"], on_progress=on_progress) for job in accepted]

    def list(self, **filters: Any) -> Iterator[JSON]:
        """Observations newest first; filters: ``variable`` (id or ``system|code``), ``from_``/``to`` (RFC 3339),
        ``source``, ``user_id`` (a person who granted you access), ``limit`` (page size)."""
        if "from_" in filters:
            filters["from"] = filters.pop("from_")
        return self._c.paginate("/v1/observations", filters)

    def summary(self, **params: Any) -> JSON:
        if "from_" in params:
            params["from"] = params.pop("from_")
        return self._c.request("GET", "/v1/observations/summary", params=params)

    def to_dataframe(self, **filters: Any):  # type: ignore[no-untyped-def]
        """The observations as a pandas DataFrame (``pip install pandas``): one row per observation."""
        return to_dataframe(self.list(**filters))


def to_dataframe(observations: Iterable[Mapping[str, Any]]):  # type: ignore[no-untyped-def]
    try:
        import pandas as pd  # type: ignore[import-not-found]
    except ImportError as error:
        raise ImportError("to_dataframe needs pandas: pip install pandas (or apt install python3-pandas)") from error
    rows = []
    for o in observations:
        variable = o.get("variable") or {}
        rows.append(
            {
                "id": o.get("id"),
                "variable": variable.get("slug"),
                "start_at": o.get("start_at"),
                "end_at": o.get("end_at"),
                "value": o.get("value"),
                "value_code": o.get("value_code"),
                "value_text": o.get("value_text"),
                "value_boolean": o.get("value_boolean"),
                "comparator": o.get("comparator"),
                "unit": o.get("unit"),
                "source": o.get("source"),
            }
        )
    frame = pd.DataFrame(rows)
    for column in ("start_at", "end_at"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


class Jobs:
    def __init__(self, client: Client) -> None:
        self._c = client

    def get(self, job_id: str) -> JSON:
        return self._c.request("GET", f"/v1/ingest/jobs/{job_id}")

    def wait(
        self,
        job_id: str,
        *,
        timeout: float = 600.0,
        on_progress: Optional[Callable[[JSON], None]] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> JSON:
        """Polls until the job is final, backing off from 0.25 s to 5 s; ``on_progress`` sees each poll."""
        delay = 0.25
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if on_progress is not None:
                on_progress(job)
            if job["status"] in FINAL_JOB_STATES:
                return job
            if time.monotonic() > deadline:
                raise DfdaError(f"job {job_id} is still {job['status']} after {timeout:.0f} s")
            sleep(delay)
            delay = min(delay * 1.6, 5.0)


class _ProgressReader(io.RawIOBase):
    """Wraps a file so each block http.client reads reports progress; the body is streamed, never held."""

    def __init__(self, raw: BinaryIO, total: Optional[int], on_progress: Optional[Progress]) -> None:
        self._raw = raw
        self._total = total
        self._sent = 0
        self._on_progress = on_progress

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(size)
        if chunk:
            self._sent += len(chunk)
            if self._on_progress is not None:
                self._on_progress(self._sent, self._total)
        return chunk


class Files:
    def __init__(self, client: Client) -> None:
        self._c = client

    def upload(
        self,
        file: Union[str, "os.PathLike[str]", bytes, BinaryIO],
        *,
        name: Optional[str] = None,
        content_type: Optional[str] = None,
        on_progress: Optional[Progress] = None,
        wait: bool = False,
        on_job_progress: Optional[Callable[[JSON], None]] = None,
    ) -> JSON:
        """Uploads a file (a path, bytes or a binary file object) as the raw request body, streamed with
        ``Content-Length`` so the platform hashes and encrypts it as it arrives. ``on_progress(sent, total)``
        reports bytes sent; with ``wait=True`` the mapping job is awaited and returned as ``job``."""
        opened: Optional[BinaryIO] = None
        if isinstance(file, (str, os.PathLike)):
            path = os.fspath(file)
            opened = open(path, "rb")
            stream: BinaryIO = opened
            total: Optional[int] = os.path.getsize(path)
            name = name or os.path.basename(path)
        elif isinstance(file, bytes):
            stream = io.BytesIO(file)
            total = len(file)
        else:
            stream = file
            try:
                total = os.fstat(stream.fileno()).st_size - stream.tell()
            except (OSError, AttributeError, io.UnsupportedOperation):
                total = None
        try:
            if total is None:
                # http.client needs a length for a streamed body without chunked encoding: read it whole.
                data = stream.read()
                stream, total = io.BytesIO(data), len(data)
            headers = {
                "Accept": "application/json",
                "Content-Type": content_type or "application/octet-stream",
                "Content-Length": str(total),
                "Authorization": f"Bearer {self._c._access_token()}",
            }
            url = with_query(f"{self._c.base_url}/v1/ingest/files", {"name": name})
            body = _ProgressReader(stream, total, on_progress)
            # Not retried: a stream cannot be rewound in general, and the platform de-duplicates by content,
            # so the caller may simply upload again.
            response = raw_request("POST", url, headers=headers, body=body, timeout=max(self._c.timeout, 600.0))  # type: ignore[arg-type]
            raise_for_problem(response)
            accepted: JSON = response.json()
        finally:
            if opened is not None:
                opened.close()
        if wait and accepted.get("job_id"):
            accepted["job"] = self._c.jobs.wait(accepted["job_id"], on_progress=on_job_progress)
        return accepted

    def get(self, file_id: str) -> JSON:
        return self._c.request("GET", f"/v1/files/{file_id}")

    def list(self, **params: Any) -> Iterator[JSON]:
        return self._c.paginate("/v1/files", params)


class Exports:
    def __init__(self, client: Client) -> None:
        self._c = client

    def create(self, format: str = "json", **options: Any) -> JSON:  # noqa: A002 (the API's field name)
        """Asks for an export (``json``, ``csv``, ``fhir-ndjson``; options as POST /v1/me/exports takes);
        returns ``{export_id, status, status_url}``: pass ``export_id`` to :meth:`wait`."""
        if "from_" in options:
            options["from"] = options.pop("from_")
        return self._c.request("POST", "/v1/me/exports", json_body={"format": format, **options})

    def get(self, export_id: str) -> JSON:
        return self._c.request("GET", f"/v1/me/exports/{export_id}")

    def wait(self, export_id: str, *, timeout: float = 600.0, sleep: Callable[[float], None] = time.sleep) -> JSON:
        delay = 0.25
        deadline = time.monotonic() + timeout
        while True:
            export = self.get(export_id)
            if export["status"] in FINAL_EXPORT_STATES:
                if export["status"] != "completed":
                    raise DfdaError(f"export {export_id} ended {export['status']}")
                return export
            if time.monotonic() > deadline:
                raise DfdaError(f"export {export_id} is still {export['status']} after {timeout:.0f} s")
            sleep(delay)
            delay = min(delay * 1.6, 5.0)

    def download(self, export: Mapping[str, Any], path: str) -> int:
        """Writes a completed export's file to ``path`` (its signed ``download_url`` needs no token); returns bytes."""
        url = export.get("download_url")
        if not isinstance(url, str):
            raise DfdaError("the export has no download_url yet: wait for it to complete")
        if url.startswith("/"):
            url = f"{self._c.base_url}{url}"
        response = raw_request("GET", url, timeout=max(self._c.timeout, 600.0))
        raise_for_problem(response)
        with open(path, "wb") as f:
            f.write(response.body)
        return len(response.body)


class Variables:
    def __init__(self, client: Client) -> None:
        self._c = client

    def list(self, **params: Any) -> Iterator[JSON]:
        return self._c.paginate("/v1/variables", params)

    def get(self, id_or_slug: str) -> JSON:
        return self._c.request("GET", f"/v1/variables/{id_or_slug}")


__all__ = ["Client", "DfdaApiError", "MAX_BATCH", "to_dataframe"]
