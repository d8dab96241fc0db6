"""`make run`'s launcher: it starts the embedded services and stops them all on a signal."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from labelflow.embedded import wait_for_port


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_a_signal_stops_everything_the_launcher_started(tmp_path, stop):
    """Runs the launcher against a throw-away SQLite database, on a free port."""
    address = f"127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "RUN_ADDRESS": address,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
    }
    env["S3_ENDPOINT"] = f"http://127.0.0.1:{_free_port()}"  # the launcher starts it there
    launcher = subprocess.Popen(
        [sys.executable, "-m", "labelflow.embedded"],
        cwd=Path(settings.BASE_DIR), env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(address, launcher, timeout=120)
        children = _children(launcher.pid)
        assert len(children) >= 4  # the S3 server, clamd, the worker, the web server

        launcher.send_signal(stop)
        launcher.wait(timeout=30)

        time.sleep(1)
        assert [pid for pid in children if _alive(pid)] == []
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()
