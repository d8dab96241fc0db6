"""`make run`'s embedded SQLite database under concurrent writers: they wait their turn
(WAL, immediate transactions, a busy timeout) instead of failing with "database is locked"."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from labelflow.embedded import wait_for_port
from tests.helpers import PDF


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The launcher of `make run` on a throw-away SQLite database, on free ports."""
    folder = tmp_path_factory.mktemp("embedded")
    address = f"127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "RUN_ADDRESS": address,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "S3_ENDPOINT": f"http://127.0.0.1:{_free_port()}",
        "CLAMD_ADDRESS": settings.CLAMD_ADDRESS,  # the suite's clamd; the worker scans
    }
    launcher = subprocess.Popen(
        [sys.executable, "-m", "labelflow.embedded"],
        cwd=Path(settings.BASE_DIR), env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(address, launcher, timeout=120)
        yield f"http://{address}"
    finally:
        os.killpg(launcher.pid, signal.SIGTERM)
        launcher.wait(timeout=30)


def call(base, method, path, token=None, body=None, content_type="application/json"):
    data = json.dumps(body).encode() if content_type == "application/json" else body
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)
    request.add_header("Content-Type", content_type)
    request.add_header("Accept-Language", "en")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def multipart(criterion: str) -> tuple[bytes, str]:
    boundary = "labelflow-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="criterion"\r\n\r\n'
            f'{criterion}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="preuve.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_concurrent_writes_wait_their_turn_instead_of_failing(server):
    _status, body = call(server, "POST", "/api/v1/auth/token/",
                         body={"username": "niort", "password": "demo"})  # fmt: skip
    token = body["token"]
    _status, campaigns = call(server, "GET", "/api/v1/campaigns/?status=open", token)
    campaign = next(c for c in campaigns["results"] if c["scheme"]["kind"] == "label")
    _status, detail = call(server, "GET", f"/api/v1/campaigns/{campaign['id']}/", token)
    criteria = [c for ch in detail["referential"]["chapters"] for c in ch["criteria"]]
    _status, mine = call(server, "GET", "/api/v1/collectivities/", token)
    opening = {"campaign": campaign["id"], "collectivity": mine["results"][0]["id"]}
    status, dossier = call(server, "POST", "/api/v1/dossiers/", token, opening)
    assert status == 201, dossier
    base = f"/api/v1/dossiers/{dossier['id']}"

    def answer(code):
        return call(server, "PUT", f"{base}/responses/{code}/", token, {"answer": "Oui."})[0]

    def upload(code):
        body, content_type = multipart(code)
        return call(server, "POST", f"{base}/documents/", token, body, content_type)

    def scanned() -> set:
        """The launcher's worker scans each upload: wait until it did."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            files = call(server, "GET", f"{base}/documents/", token)[1]["results"]
            if all(f["scan_status"] != "pending" for f in files):
                break
            time.sleep(0.2)
        return {f["scan_status"] for f in files}

    def submit(_):
        return call(server, "POST", f"{base}/transitions/submit/", token, {})[0]

    mandatory = [c["code"] for c in criteria if c["mandatory"]]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(answer, [c["code"] for c in criteria]))
        uploads = list(pool.map(upload, mandatory))
        assert scanned() == {"clean"}
        submits = list(pool.map(submit, range(4)))
    assert set(answers) == {200}
    assert {status for status, _body in uploads} == {201}, uploads
    assert sorted(submits) == [200, 409, 409, 409]  # one wins, the others see it submitted
