"""`make run`: the whole product on one machine, with nothing installed but Python.

Starts the embedded S3 server (rclone, when S3_ENDPOINT is on this machine and nothing answers
there yet) and a clamd of its own (when ClamAV's `clamd` is installed and CLAMD_ADDRESS is not
set), migrates, seeds the demo, then runs a Celery worker (with its beat) and the web server.
Ctrl-C stops them all.
"""

import os
import shutil
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


# clamd's limits, set on purpose (see `man clamd.conf`): what it unpacks and how deep, and an
# alert rather than a silent pass when a file goes past them, is encrypted or holds macros.
# documents.scanning checks ZIP-based files and PDFs on top (clamd trims oversized members).
CLAMD_LIMITS = """\
MaxScanSize 100M
MaxFileSize 30M
MaxRecursion 10
MaxFiles 1000
MaxScanTime 120000
StreamMaxLength 30M
AlertExceedsMax yes
AlertEncrypted yes
AlertOLE2Macros yes
AlertBrokenExecutables yes
PhishingScanURLs no
"""
# The EICAR test file: the signature database we generate holds its MD5 (`sigtool --md5`).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SYSTEM_SIGNATURES = Path("/var/lib/clamav")  # where Debian's freshclam writes the real ones


def clamd_binary() -> str | None:
    return shutil.which("clamd") or shutil.which("clamd", path="/usr/sbin:/usr/local/sbin")


def start_clamd(directory: Path, signatures: Path | None = None, timeout: float = 30):
    """A clamd of our own, in the foreground, on the Unix socket `directory/clamd.sock`.
    Its signatures: `signatures` (e.g. freshclam's), or else a database generated here that
    knows only the EICAR test file. Returns the process and the socket's path."""
    directory.mkdir(parents=True, exist_ok=True)
    if signatures is None:
        signatures = directory / "db"
        signatures.mkdir(exist_ok=True)
        sample = directory / "Eicar-Test-Signature"  # sigtool names the signature after it
        sample.write_bytes(EICAR)
        hdb = subprocess.run([shutil.which("sigtool") or "/usr/bin/sigtool", "--md5", str(sample)],
                             check=True, capture_output=True).stdout  # fmt: skip
        (signatures / "labelflow-test.hdb").write_bytes(hdb)
        sample.unlink()
    socket_path = directory / "clamd.sock"
    socket_path.unlink(missing_ok=True)
    config = directory / "clamd.conf"
    config.write_text(
        f"Foreground yes\nLocalSocket {socket_path}\nDatabaseDirectory {signatures}\n"
        f"LogFile {directory / 'clamd.log'}\nLogTime yes\nBytecode no\n{CLAMD_LIMITS}"
    )
    process = subprocess.Popen([clamd_binary(), "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clamd exited: {process.stderr.read().decode()}")
        if _answers(socket_path):
            return process, socket_path
        time.sleep(0.05)
    process.terminate()
    raise RuntimeError(f"clamd did not answer on {socket_path} after {timeout}s")


def _answers(socket_path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(1)
            s.connect(str(socket_path))
            s.sendall(b"zPING\0")
            return s.recv(16).startswith(b"PONG")
    except OSError:
        return False


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
        if not env.get("CLAMD_ADDRESS") and clamd_binary():
            real = SYSTEM_SIGNATURES if any(SYSTEM_SIGNATURES.glob("*.c[lv]d")) else None
            clamd, socket_path = start_clamd(VAR_DIR / "clamd", real)
            processes.append(clamd)
            env["CLAMD_ADDRESS"] = str(socket_path)
            known = f"the signatures in {real}" if real else "the EICAR test signature only"
            print(f"labelflow: clamd on {socket_path}, knowing {known}.", flush=True)
        elif not env.get("CLAMD_ADDRESS"):
            print("labelflow: no clamd installed (apt-get install clamav-daemon): new files "
                  "stay 'not scanned'.", flush=True)  # fmt: skip
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
