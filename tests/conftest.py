import shutil
import socket
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation
from rest_framework.test import APIClient

from certification import demo
from documents import storage
from labelflow.celery import app as celery_app
from labelflow.embedded import clamd_binary, start_clamd, start_s3_server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session", autouse=True)
def run_settings():
    """The settings of the whole run, set here and nowhere else: plain HTTP to the test
    client (production redirects to HTTPS), and a fast password hasher (factories hash a
    password per user; the strong hasher would dominate the run)."""
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttles count in the cache: each test starts from zero."""
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def own_broker_folder(tmp_path_factory):
    """With the filesystem broker, the suite's messages go to a folder of its own: a worker
    left running by `make run` must not take them."""
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        folder = str(tmp_path_factory.mktemp("broker"))
        celery_app.conf.broker_transport_options = {
            **celery_app.conf.broker_transport_options,
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": f"{folder}/control",
        }


@pytest.fixture(scope="session", autouse=True)
def s3_server():
    """A real S3 server for the whole run: `rclone serve s3` on a free loopback port."""
    directory = Path(tempfile.mkdtemp(prefix="labelflow-s3-"))
    endpoint = f"http://127.0.0.1:{_free_port()}"
    process = start_s3_server(directory, endpoint, settings.S3_ACCESS_KEY, settings.S3_SECRET_KEY)
    settings.S3_ENDPOINT = urlparse(endpoint)
    storage.client.cache_clear()
    storage.ensure_bucket()
    yield endpoint
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def clamd_server():
    """A real clamd for the whole run, of the suite's own: on a Unix socket in a temporary
    folder, with a signature database that knows the EICAR test file (`sigtool --md5`) and
    the limits `make run` sets. `.ci/run` installs ClamAV when it is missing."""
    if clamd_binary() is None:
        pytest.exit("clamd is missing: apt-get install clamav-daemon (.ci/run does)", 1)
    directory = Path(tempfile.mkdtemp(prefix="labelflow-clamd-"))
    process, socket_path = start_clamd(directory)
    settings.CLAMD_ADDRESS = str(socket_path)
    yield socket_path
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def english():
    """Services speak the active language: a test that reads their source strings asks for
    English (`pytest.mark.usefixtures("english")`)."""
    with translation.override("en"):
        yield


@pytest.fixture
def demo_data(db):
    """The demo's accounts and campaigns (without last year's trophy jury: tests/juries/
    test_demo.py looks at that)."""
    demo.seed(jury=False)


@pytest.fixture
def client():
    """The site's client, asking for English: the assertions quote the source strings.
    French, the default, is tested on its own (tests/test_i18n.py)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api():
    """An API client asking for English; `api.as_user(user)` signs a user in."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user)
            return self

    return Client(HTTP_ACCEPT_LANGUAGE="en")
