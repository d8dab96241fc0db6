"""`make run`: the whole product on one machine, with nothing installed but Python.

Starts the embedded S3 server (rclone, when S3_ENDPOINT is on this machine and nothing answers
there yet), migrates, seeds the
demo, then runs a Celery worker (with its beat) and the web server. Ctrl-C stops them all.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
BIN = Path(sys.executable).parent
DEFAULT_S3 = "http://127.0.0.1:9100"


def start_s3_server(directory: Path, endpoint: str, access_key: str, secret_key: str):
    """A real S3-compatible server (`rclone serve s3`) storing objects under `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    address = urlparse(endpoint).netloc
    process = subprocess.Popen(
        [str(BIN / "rclone"), "serve", "s3", "--addr", address,
         "--auth-key", f"{access_key},{secret_key}", str(directory)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    wait_for_port(address, process)
    return process


def wait_for_port(address: str, process: subprocess.Popen, timeout: float = 20) -> None:
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited: {process.stderr.read().decode()}")
        try:
            with socket.create_connection((host, int(port)), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {address} after {timeout}s")


def _local_and_silent(endpoint: str) -> bool:
    url = urlparse(endpoint)
    if url.hostname not in ("127.0.0.1", "localhost"):
        return False
    try:
        with socket.create_connection((url.hostname, url.port or 80), timeout=0.5):
            return False
    except OSError:
        return True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C (even when started from a shell that ignores it) and a plain `kill` both stop
    # everything this started.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    python = sys.executable
    processes: list[subprocess.Popen] = []
    try:
        endpoint = env.get("S3_ENDPOINT", DEFAULT_S3)
        if _local_and_silent(endpoint):
            processes.append(start_s3_server(
                VAR_DIR / "s3", endpoint, env.get("S3_ACCESS_KEY", "labelflow-dev"),
                env.get("S3_SECRET_KEY", "labelflow-dev-secret"),
            ))  # fmt: skip
        manage = [python, str(BASE_DIR / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, check=True)
        processes.append(subprocess.Popen(
            [python, "-m", "celery", "-A", "labelflow", "worker", "--beat", "--concurrency=1",
             "--loglevel=INFO", "--schedule", str(VAR_DIR / "celerybeat-schedule")], env=env,
        ))  # fmt: skip
        address = env.get("RUN_ADDRESS", "127.0.0.1:8000")
        server = subprocess.Popen([*manage, "runserver", "--noreload", address], env=env)
        processes.append(server)
        print(f"labelflow: http://{address} — Ctrl-C stops everything.", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
