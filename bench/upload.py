"""Evidence uploads at national scale: a 200 MB file goes up at >= 0.8x the speed of a raw
`put_object` of the same bytes to the same S3 server, and the process grows < 50 MB meanwhile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/labelflow .venv/bin/python bench/upload.py \\
        [--megabytes 200] [--repeat 5]

Uses a database of its own, `labelflow_bench_upload`, on the server of DATABASE_URL (created
and migrated at the start, dropped at the end; the demo is seeded in it and a draft dossier
opened for `niort`), and starts its own S3 server (`rclone serve s3`, as the tests do) on a
free port, storing under a temporary folder removed at the end. Then, interleaved and
repeated:

- ours: a multipart POST of the file to `/api/v1/dossiers/{id}/documents/` through the real
  URL conf and middleware, with a signed-in test client. The body is made as it is read
  (a `wsgi.input` of our own): the test client would otherwise build the whole body in
  memory, twice, and that is not the server's memory;
- baseline: `storage.client().put_object` of the same bytes (known length, the SDK's
  defaults) to the same server.

Prints `bench/scale.py`'s table, `name  ours  baseline  ratio  goal  met|missed` per measure
(throughputs from the median upload times, and the median of the rounds' speed ratios; the
largest peak RSS growth over the rounds, from VmHWM after resetting it through
/proc/self/clear_refs), then `K met, M missed`. It only measures: a missed goal is a finding,
not an error.
"""

import argparse
import io
import logging
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlparse, urlsplit

if __package__ in (None, ""):  # run as a script: `bench` is a package of the project root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scale import print_table  # noqa: E402  (after the path above)

GOAL_SPEED = 0.8  # of the raw put_object's throughput, at least
GOAL_MEMORY_MB = 50  # of peak RSS growth during one upload, at most
DATABASE = "labelflow_bench_upload"
SERVER_URL = "postgres://postgres@127.0.0.1:5432/"
BOUNDARY = "labelflowbenchboundary7f3a9c"
MB = 1024 * 1024


def main(argv: list[str] | None = None) -> None:
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)  # the SDK's parallel parts
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()

    from django.db import connection

    try:
        ours, baseline = measure(args.megabytes * MB, args.repeat)
    finally:
        connection.creation.destroy_test_db(DATABASE, verbosity=0)
    mb = args.megabytes
    speed = mb / statistics.median(ours.seconds), mb / statistics.median(baseline.seconds)
    # Each round's two uploads run back to back, under the same load: the ratio is the median
    # of the rounds' ratios, steadier than the ratio of the medians on a shared machine.
    ratio = statistics.median(b / o for o, b in zip(ours.seconds, baseline.seconds, strict=True))
    memory = max(ours.growth_mb), max(baseline.growth_mb)
    print_table([
        (f"upload {mb} MB (MB/s)", f"{speed[0]:.1f}", f"{speed[1]:.1f}", f"{ratio:.2f}",
         f">={GOAL_SPEED}", ratio >= GOAL_SPEED),
        (f"upload {mb} MB peak RSS growth (MB)", f"{memory[0]:.1f}", f"{memory[1]:.1f}",
         f"{memory[0] / max(memory[1], 1):.2f}", f"<{GOAL_MEMORY_MB} MB",
         memory[0] < GOAL_MEMORY_MB),
    ])  # fmt: skip


def measure(size: int, repeat: int) -> tuple["Side", "Side"]:
    """Ours and the baseline, a warm-up then `repeat` rounds, who goes first alternating."""
    from django.conf import settings
    from django.test.utils import override_settings

    ours, baseline = Side(), Side()
    with s3_server() as endpoint, override_settings(EVIDENCE_MAX_BYTES=size + MB):
        client, path = signed_in_client()
        upload(client, path, MB)()  # warm: imports, URL resolver, connections, translations
        put(MB)()
        print(f"# {size // MB} MB, {repeat} rounds; S3 at {endpoint}, bucket {settings.S3_BUCKET}",
              file=sys.stderr)  # fmt: skip
        for round_ in range(repeat):
            pair = [(ours, lambda: upload(client, path, size)), (baseline, lambda: put(size))]
            for side, run in pair if round_ % 2 == 0 else reversed(pair):
                side.measure(run)
            print(f"# round {round_ + 1}/{repeat}: ours {ours.seconds[-1]:.2f}s "
                  f"+{ours.growth_mb[-1]:.0f} MB, put_object {baseline.seconds[-1]:.2f}s "
                  f"+{baseline.growth_mb[-1]:.0f} MB", file=sys.stderr, flush=True)  # fmt: skip
    return ours, baseline


def setup_django() -> None:
    """Django on a new bench database, on the server and with the credentials of
    DATABASE_URL (whatever database it names)."""
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    server = os.environ.get("DATABASE_URL") or SERVER_URL
    os.environ["DATABASE_URL"] = urlsplit(server)._replace(path=f"/{DATABASE}").geturl()
    os.environ["DJANGO_SETTINGS_MODULE"] = "labelflow.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # Django's test-database tools: a fresh database each run (the migrations may have changed).
    settings.DATABASES["default"]["TEST"]["NAME"] = DATABASE
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


class s3_server:  # noqa: N801 (a context manager, named as the tests' fixture)
    """A real S3 server for the run: `rclone serve s3` on a free loopback port."""

    def __enter__(self):
        from django.conf import settings

        from documents import storage
        from labelflow.embedded import start_s3_server

        self.directory = Path(tempfile.mkdtemp(prefix="labelflow-bench-s3-"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            endpoint = f"http://127.0.0.1:{s.getsockname()[1]}"
        self.process = start_s3_server(
            self.directory, endpoint, settings.S3_ACCESS_KEY, settings.S3_SECRET_KEY
        )
        settings.S3_ENDPOINT = urlparse(endpoint)
        storage.client.cache_clear()
        storage.ensure_bucket()
        return endpoint

    def __exit__(self, *exc_info):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)


def signed_in_client():
    """A test client signed in as the demo referent of Niort, and the documents URL of a
    draft dossier of theirs."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from certification import demo
    from certification.models import Campaign, Collectivity, Dossier
    from certification.services.dossiers import dossier_create

    demo.seed()
    referent = get_user_model().objects.get(username="niort")
    collectivity = Collectivity.objects.get(memberships__user=referent)
    campaign = Campaign.objects.filter(scheme__kind="label").latest("year")
    dossier = Dossier.objects.filter(
        collectivity=collectivity, campaign=campaign, state="draft"
    ).first() or dossier_create(
        collectivity=collectivity, campaign=campaign, category_code=None, by=referent
    )
    client = Client()
    client.force_login(referent)
    return client, f"/api/v1/dossiers/{dossier.pk}/documents/"


class FileBody:
    """A PDF-looking file of `size` bytes, made as it is read: `%PDF-1.4`, then random bytes
    (holding no boundary and no signature) repeated from one block."""

    BLOCK = memoryview(os.urandom(MB))
    HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"

    def __init__(self, size: int):
        self.size = size
        self.position = 0

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.position
        n = left if n is None or n < 0 else min(n, left)
        pieces, at, end = [], self.position, self.position + n
        while at < end:
            if at < len(self.HEAD):
                piece = self.HEAD[at:end]
            else:
                offset = (at - len(self.HEAD)) % MB
                piece = self.BLOCK[offset : offset + end - at]
            pieces.append(piece)
            at += len(piece)
        self.position = end
        return b"".join(pieces)

    def readline(self, n: int = -1) -> bytes:  # WSGI asks for it; the parser never calls it
        raise NotImplementedError


class MultipartBody:
    """The request's body: `criterion`, then `file` (a FileBody), as multipart/form-data."""

    def __init__(self, size: int, criterion: str):
        head = (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=criterion\r\n\r\n"
            f"{criterion}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=file; "
            f"filename=rapport-annuel.pdf\r\nContent-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.parts = [io.BytesIO(head), FileBody(size), io.BytesIO(tail)]
        self.size = len(head) + size + len(tail)

    def read(self, n: int = -1) -> bytes:
        pieces, wanted = [], self.size if n is None or n < 0 else n
        while self.parts and wanted > 0:
            piece = self.parts[0].read(wanted)
            if not piece:
                self.parts.pop(0)
                continue
            pieces.append(piece)
            wanted -= len(piece)
        return b"".join(pieces)

    readline = FileBody.readline


def first_criterion(path: str) -> str:
    from certification.models import Dossier

    dossier = Dossier.objects.get(pk=int(path.strip("/").split("/")[-2]))
    return dossier.referential.criteria.order_by("code").values_list("code", flat=True)[0]


def upload(client, path: str, size: int):
    """Ours: the API's upload; returns what removes the document and its object."""
    from documents import storage
    from documents.models import Document

    body = MultipartBody(size, first_criterion(path))
    response = client.generic(
        "POST", path, secure=True, **{
            "wsgi.input": body, "CONTENT_LENGTH": str(body.size),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )  # fmt: skip
    if response.status_code != 201 or response.json()["size"] != size:
        raise RuntimeError(f"POST {path}: {response.status_code} {response.content[:300]!r}")
    document = Document.objects.get(pk=response.json()["id"])
    return lambda: (storage.delete(document.key), document.delete())


def put(size: int):
    """The baseline: the SDK's put_object of the same bytes; returns what removes them."""
    from django.conf import settings

    from documents import storage

    key = f"bench/{uuid.uuid4().hex}.pdf"
    storage.client().put_object(
        settings.S3_BUCKET, key, FileBody(size), size, content_type="application/pdf"
    )
    return lambda: storage.delete(key)


class Side:
    """One side's upload times and peak RSS growths."""

    def __init__(self):
        self.seconds: list[float] = []
        self.growth_mb: list[float] = []

    def measure(self, run) -> None:
        before = reset_peak_rss()
        started = time.perf_counter()
        remove = run()
        self.seconds.append(time.perf_counter() - started)
        self.growth_mb.append((peak_rss() - before) / MB)
        remove()  # untimed: the store and the table stay the same size round after round


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak_rss() -> int:
    """Make the peak RSS the current RSS (Linux >= 4.0); return it."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def peak_rss() -> int:
    return _status("VmHWM")


if __name__ == "__main__":
    main()
