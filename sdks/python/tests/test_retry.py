"""Retries as the platform documents them, timed by an injected sleep (no wall-clock waits).

The happy paths run against the real platform (test_platform.py); 429 and 503 with ``Retry-After`` are
hard to provoke there on demand, so a local server answers them here in the API's own shapes.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import List, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from dfda._http import RetryPolicy, parse_retry_after, request_with_retries  # noqa: E402
from dfda.client import Client  # noqa: E402
from dfda.errors import DfdaApiError  # noqa: E402


class Script(BaseHTTPRequestHandler):
    """Answers from a script of (status, headers) per request, then 202."""

    script: List[Tuple[int, dict]] = []
    seen: List[Tuple[str, dict]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        if length:
            self.rfile.read(length)
        Script.seen.append((self.command, {k.lower(): v for k, v in self.headers.items()}))
        status, headers = Script.script.pop(0) if Script.script else (202, {})
        body = (
            json.dumps({"job_id": "j", "status_url": "/v1/ingest/jobs/j", "status": "queued", "received": 1})
            if status < 400
            else json.dumps({"type": "about:blank", "title": "Too many requests", "status": status, "code": "rate_limited"})
        ).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status < 400 else "application/problem+json")
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer  # noqa: N815
    do_POST = _answer  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


class Retries(unittest.TestCase):
    def setUp(self) -> None:
        self.server = HTTPServer(("127.0.0.1", 0), Script)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        Script.script, Script.seen = [], []
        self.slept: List[float] = []
        self.policy = RetryPolicy(max_attempts=4, sleep=self.slept.append, rng=lambda: 0.5)

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def test_retry_after_seconds_is_honoured_for_an_idempotent_post(self) -> None:
        Script.script = [(429, {"Retry-After": "7"}), (503, {"Retry-After": "2"})]
        response = request_with_retries(
            "POST", f"{self.base}/v1/ingest/observations", headers={"Idempotency-Key": "k"}, body=b"{}", retry=self.policy
        )
        self.assertEqual(response.status, 202)
        self.assertEqual(self.slept, [7.0, 2.0])
        self.assertEqual([m for m, _ in Script.seen], ["POST", "POST", "POST"])

    def test_without_retry_after_it_backs_off_exponentially_with_jitter(self) -> None:
        Script.script = [(503, {}), (503, {}), (503, {})]
        response = request_with_retries("GET", f"{self.base}/x", retry=self.policy)
        self.assertEqual(response.status, 202)
        self.assertEqual(self.slept, [0.25, 0.5, 1.0])  # rng 0.5 × 0.5 s × 2^attempt

    def test_a_post_without_an_idempotency_key_is_not_repeated(self) -> None:
        Script.script = [(503, {"Retry-After": "1"})]
        response = request_with_retries("POST", f"{self.base}/x", body=b"{}", retry=self.policy)
        self.assertEqual(response.status, 503)
        self.assertEqual(self.slept, [])

    def test_it_gives_up_after_max_attempts_with_the_typed_problem(self) -> None:
        Script.script = [(429, {"Retry-After": "1"})] * 4
        client = Client(self.base, access_token="t", retry=self.policy)
        with self.assertRaises(DfdaApiError) as caught:
            client.observations.send([{"variable": "v", "value": 1, "start_at": "2026-01-01T00:00:00Z"}])
        self.assertEqual((caught.exception.status, caught.exception.code), (429, "rate_limited"))
        self.assertEqual(self.slept, [1.0, 1.0, 1.0])
        # Every attempt carried the same key, so the platform stores the batch at most once.
        keys = {h["idempotency-key"] for _, h in Script.seen}
        self.assertEqual(len(keys), 1)

    def test_batches_are_split_at_the_given_size_each_with_its_own_key(self) -> None:
        client = Client(self.base, access_token="t", retry=self.policy)
        jobs = client.observations.send(
            ({"variable": "v", "value": i, "start_at": "2026-01-01T00:00:00Z"} for i in range(25)), batch_size=10
        )
        self.assertEqual(len(jobs), 3)
        self.assertEqual(len({h["idempotency-key"] for _, h in Script.seen}), 3)

    def test_retry_after_as_an_http_date(self) -> None:
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0), 10.0)
        self.assertEqual(parse_retry_after("120"), 120.0)
        self.assertIsNone(parse_retry_after("soon"))


if __name__ == "__main__":
    unittest.main()
