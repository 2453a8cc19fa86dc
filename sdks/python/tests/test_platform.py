"""The Python SDK against the running platform (started by the `platform` test project; see
test/platform/python-sdk.test.ts, which passes the environment below). Nothing here is mocked: sign-in
goes through the platform's authorization server and pages, data through its queues, mapper and writer.

Environment: DFDA_BASE_URL, DFDA_CLIENT_ID (a public client with a loopback redirect), DFDA_EMAIL and
DFDA_PASSWORD (a person), DFDA_SERVICE_CLIENT_ID and DFDA_SERVICE_CLIENT_SECRET (a confidential client).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import dfda  # noqa: E402
from dfda import auth  # noqa: E402

from browser import approve_device, sign_in  # noqa: E402

BASE = os.environ.get("DFDA_BASE_URL", "")
CLIENT_ID = os.environ.get("DFDA_CLIENT_ID", "dfda-cli")
EMAIL = os.environ.get("DFDA_EMAIL", "")
PASSWORD = os.environ.get("DFDA_PASSWORD", "")
HEART_RATE = {"system": "http://loinc.org", "code": "8867-4"}
SCOPE = "openid offline_access observations:read observations:write files:read files:write"

_tokens: "dict[str, auth.Tokens]" = {}


def person_tokens() -> auth.Tokens:
    """Signs the test person in once, through the browser flow, and reuses the tokens."""
    if "person" not in _tokens:
        _tokens["person"] = dfda.login_with_browser(
            BASE, CLIENT_ID, scope=SCOPE, open_browser=lambda url: sign_in(url, EMAIL, PASSWORD)
        )
    return _tokens["person"]


def new_client() -> dfda.Client:
    """A client of its own (a fresh sign-in), so rotating its refresh token touches no other test."""
    tokens = dfda.login_with_browser(BASE, CLIENT_ID, scope=SCOPE, open_browser=lambda url: sign_in(url, EMAIL, PASSWORD))
    return dfda.Client(BASE, tokens=tokens, client_id=CLIENT_ID)


@unittest.skipUnless(BASE, "DFDA_BASE_URL names no running platform (run through npm test)")
class SignIn(unittest.TestCase):
    def test_browser_pkce_with_loopback_redirect_yields_a_refreshable_token(self) -> None:
        tokens = person_tokens()
        self.assertTrue(tokens.access_token)
        self.assertTrue(tokens.refresh_token)
        self.assertIn("observations:write", tokens.scope or "")

    def test_a_redirect_with_the_wrong_state_is_refused(self) -> None:
        def forged(url: str) -> None:
            import urllib.parse
            import urllib.request

            redirect = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["redirect_uri"]
            urllib.request.urlopen(f"{redirect}?code=stolen&state=not-the-one").read()

        with self.assertRaises(dfda.DfdaAuthError) as caught:
            dfda.login_with_browser(BASE, CLIENT_ID, scope=SCOPE, open_browser=forged)
        self.assertEqual(caught.exception.error, "invalid_state")

    def test_refresh_rotates_and_concurrent_calls_share_one_refresh(self) -> None:
        client = new_client()
        before = client.tokens
        # Pretend the access token has expired: the next calls must refresh, once, for all threads.
        client.store.save(auth.Tokens(**{**before.__dict__, "expires_at": 0.0}))
        refreshes = []
        original = auth.refresh

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            refreshes.append(1)
            return original(*args, **kwargs)

        auth.refresh = counting  # type: ignore[assignment]
        try:
            errors: list = []

            def call() -> None:
                try:
                    client.request("GET", "/v1/me/stats")
                except Exception as error:  # noqa: BLE001 (collected and asserted below)
                    errors.append(error)

            threads = [threading.Thread(target=call) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            auth.refresh = original  # type: ignore[assignment]
        self.assertEqual(errors, [])
        self.assertEqual(len(refreshes), 1)
        self.assertNotEqual(client.tokens.refresh_token, before.refresh_token)

    def test_sign_out_revokes_the_refresh_token(self) -> None:
        client = new_client()
        refresh_token = client.tokens.refresh_token
        assert refresh_token is not None
        client.sign_out()
        with self.assertRaises(dfda.DfdaAuthError) as caught:
            auth.refresh(BASE, CLIENT_ID, refresh_token)
        self.assertEqual(caught.exception.error, "invalid_grant")
        with self.assertRaises(dfda.DfdaError):
            client.request("GET", "/v1/me/stats")

    def test_device_grant_polls_until_the_person_approves_on_another_device(self) -> None:
        shown: list = []
        polls: list = []

        def prompt(device: dfda.DeviceAuthorization) -> None:
            shown.append(device)
            # The person, on their phone, opens the complete verification URI and approves.
            threading.Thread(
                target=approve_device, args=(device.verification_uri_complete, EMAIL, PASSWORD), daemon=True
            ).start()

        def sleep(seconds: float) -> None:
            # The SDK waits the server's interval between polls (RFC 8628 §3.5): polling sooner would be
            # answered slow_down, so the wait is real.
            polls.append(seconds)
            time.sleep(seconds)

        tokens = dfda.login_with_device_code(BASE, CLIENT_ID, scope="openid observations:read", prompt=prompt, sleep=sleep)
        self.assertTrue(tokens.access_token)
        self.assertRegex(shown[0].user_code, r"^[A-Z]{4}-[A-Z]{4}$")
        self.assertTrue(polls and all(p >= 5 for p in polls))
        client = dfda.Client(BASE, tokens=tokens)
        self.assertIsInstance(client.request("GET", "/v1/me/stats"), dict)

    def test_client_credentials_gives_a_service_its_own_token(self) -> None:
        tokens = dfda.client_credentials(
            BASE, os.environ["DFDA_SERVICE_CLIENT_ID"], os.environ["DFDA_SERVICE_CLIENT_SECRET"]
        )
        client = dfda.Client(BASE, tokens=tokens)
        page = client.request("GET", "/v1/variables", params={"q": "heart rate", "limit": 5})
        self.assertTrue(any(v["slug"] == "heart-rate" for v in page["data"]))
        with self.assertRaises(dfda.DfdaAuthError) as caught:
            dfda.client_credentials(BASE, os.environ["DFDA_SERVICE_CLIENT_ID"], "not-the-secret")
        self.assertEqual(caught.exception.error, "invalid_client")

    def test_file_token_store_is_private_to_its_owner(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            store = dfda.FileTokenStore(os.path.join(d, "dfda", "tokens.json"))
            store.save(auth.Tokens(access_token="a", refresh_token="r", expires_at=1.0))
            mode = stat.S_IMODE(os.stat(store.path).st_mode)
            self.assertEqual(mode, 0o600)
            loaded = store.load()
            assert loaded is not None
            self.assertEqual((loaded.access_token, loaded.refresh_token), ("a", "r"))
            store.save(None)
            self.assertIsNone(store.load())


@unittest.skipUnless(BASE, "DFDA_BASE_URL names no running platform (run through npm test)")
class Data(unittest.TestCase):
    client: dfda.Client

    @classmethod
    def setUpClass(cls) -> None:
        cls.client = dfda.Client(BASE, tokens=person_tokens(), client_id=CLIENT_ID)

    def test_send_batches_waits_and_reads_back_every_value(self) -> None:
        start = datetime(2026, 10, 1, tzinfo=timezone.utc)
        count = 2_500
        values = [
            {
                "variable": HEART_RATE,
                "value": 50 + (i % 40),
                "unit": "/min",
                "start_at": (start + timedelta(minutes=i)).isoformat().replace("+00:00", "Z"),
            }
            for i in range(count)
        ]
        seen: list = []
        jobs = self.client.observations.send(iter(values), batch_size=1_000, wait=True, on_progress=seen.append)
        self.assertEqual(len(jobs), 3)
        self.assertEqual(sum(j["counts"]["stored"] for j in jobs), count)
        self.assertTrue(all(j["status"] == "completed" for j in jobs))
        self.assertTrue(seen)
        read = list(
            self.client.observations.list(
                variable="http://loinc.org|8867-4",
                from_="2026-10-01T00:00:00Z",
                to="2026-10-03T00:00:00Z",
                limit=200,
            )
        )
        self.assertEqual(len(read), count)
        self.assertEqual(read[0]["start_at"][:16], "2026-10-02T17:39")  # newest first: minute 2,499
        self.assertEqual(read[-1]["value"], 50)

    def test_sending_the_same_batch_again_stores_nothing_twice(self) -> None:
        item = {"variable": HEART_RATE, "value": 77, "unit": "/min", "start_at": "2026-09-01T08:00:00Z"}
        first = self.client.observations.send([item], wait=True)
        again = self.client.observations.send([item], wait=True)
        self.assertEqual(first[0]["counts"]["stored"], 1)
        self.assertEqual(again[0]["counts"]["stored"], 0)
        self.assertEqual(again[0]["counts"]["duplicates"], 1)

    def test_a_bad_batch_is_a_typed_problem_with_field_errors(self) -> None:
        with self.assertRaises(dfda.DfdaApiError) as caught:
            self.client.observations.send([{"variable": HEART_RATE, "value": 70, "start_at": "yesterday"}])
        error = caught.exception
        self.assertEqual(error.status, 400)
        self.assertEqual(error.code, "validation_failed")
        self.assertTrue(error.field_errors)
        self.assertIn("start_at", str(error.field_errors))

    def test_upload_a_file_with_progress_then_wait_for_its_mapping(self) -> None:
        csv = "date,heart rate (bpm)\n" + "".join(
            f"2026-08-{day:02d}T07:00:00Z,{60 + day}\n" for day in range(1, 29)
        )
        sent: list = []
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(csv)
            path = f.name
        try:
            accepted = self.client.files.upload(
                path, content_type="text/csv", on_progress=lambda s, t: sent.append((s, t)), wait=True
            )
        finally:
            os.unlink(path)
        self.assertEqual(sent[-1], (len(csv), len(csv)))
        self.assertIn(accepted["job"]["status"], ("completed", "completed_with_issues"))
        self.assertEqual(accepted["job"]["counts"]["stored"], 28)
        again = self.client.files.upload(csv.encode(), name="again.csv", content_type="text/csv")
        self.assertTrue(again["existing"])
        self.assertEqual(again["file_id"], accepted["file_id"])

    def test_export_waits_and_downloads_fhir_ndjson(self) -> None:
        self.client.observations.send(
            [{"variable": HEART_RATE, "value": 64, "unit": "/min", "start_at": "2026-07-04T09:00:00Z"}], wait=True
        )
        export = self.client.exports.create("fhir-ndjson")
        done = self.client.exports.wait(export["export_id"])
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "export.ndjson")
            size = self.client.exports.download(done, path)
            self.assertGreater(size, 0)
            with open(path, encoding="utf-8") as f:
                lines = [line for line in f if line.strip()]
        import json

        resources = [json.loads(line) for line in lines]
        self.assertTrue(any(r.get("resourceType") == "Observation" and r.get("valueQuantity", {}).get("value") == 64 for r in resources))

    def test_to_dataframe_needs_pandas_or_says_so(self) -> None:
        try:
            import pandas  # type: ignore[import-not-found]  # noqa: F401
        except ImportError:
            with self.assertRaises(ImportError) as caught:
                self.client.observations.to_dataframe(limit=5)
            self.assertIn("pandas", str(caught.exception))
            return
        frame = self.client.observations.to_dataframe(variable="http://loinc.org|8867-4", limit=100)
        self.assertIn("value", frame.columns)
        self.assertGreater(len(frame), 0)


if __name__ == "__main__":
    unittest.main()
