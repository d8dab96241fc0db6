"""Production settings come from the environment, are checked, and refuse the demo's shortcuts."""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from guardian.models import GroupObjectPermission, UserObjectPermission

from certification.auth import DEMO_PASSWORD
from certification.models import Campaign, Collectivity, Criterion, Level, Membership, Scheme
from tests import factories

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "HISTORY_KEYS": f"k2:{secrets.token_urlsafe(32)},k1:{secrets.token_urlsafe(32)}",
    "ALLOWED_HOSTS": "labelflow.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://labelflow.example.org",
    "DATABASE_URL": "postgres://labelflow:secret@db.example.org:5432/labelflow",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "S3_ENDPOINT": "https://s3.example.org",
    "S3_ACCESS_KEY": "access",
    "S3_SECRET_KEY": "secret",
    "S3_BUCKET": "labelflow-evidence",
    "EMAIL_HOST": "smtp.example.org",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """Run manage.py with only these variables (and PATH/HOME) in its environment."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", **PRODUCTION)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
    assert "WARNING" not in output.upper()


def test_check_deploy_refuses_the_development_secret_key():
    production = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", "--deploy", **production)

    assert result.returncode != 0
    assert "labelflow.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "keys,error",
    [
        (None, "labelflow.E002"),
        (f"k2:{'x' * 32},dev:labelflow-history-development-only", "labelflow.E002"),
        ("k1:short-secret", "labelflow.E003"),
    ],
    ids=["unset", "development key kept", "short secret"],
)
def test_check_deploy_refuses_weak_history_keys(keys, error):
    production = {k: v for k, v in PRODUCTION.items() if k != "HISTORY_KEYS"}
    if keys is not None:
        production["HISTORY_KEYS"] = keys

    result = manage("check", "--deploy", **production)

    assert result.returncode != 0
    assert error in result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable,value",
    [
        ("DEBUG", "maybe"),
        ("EVIDENCE_MAX_BYTES", "abc"),
        ("SECURE_HSTS_SECONDS", "one year"),
        ("S3_ENDPOINT", "s3.example.org"),
        ("DATABASE_URL", "labelflow"),
        ("HISTORY_KEYS", "k1-without-its-secret"),
        ("HISTORY_KEYS", "k1:a-secret,k1:the-same-id"),
    ],
)
def test_a_malformed_value_stops_the_start_naming_the_variable(variable, value):
    result = manage("check", **{**PRODUCTION, variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{variable}=" in result.stderr.strip().splitlines()[-1]


def sign_in():
    """A sign-in request: the lockout backend counts failures per account and address."""
    return RequestFactory().post("/accounts/login/")


@pytest.mark.django_db
def test_the_demo_password_opens_nothing_when_debug_is_off(settings, api):
    factories.UserFactory(username="niort", password=DEMO_PASSWORD)

    settings.DEBUG = False
    assert authenticate(sign_in(), username="niort", password=DEMO_PASSWORD) is None
    response = api.post("/api/v1/auth/token/", {"username": "niort", "password": "demo"})
    assert response.status_code == 400

    settings.DEBUG = True
    assert authenticate(sign_in(), username="niort", password=DEMO_PASSWORD).username == "niort"


@pytest.mark.django_db
def test_a_real_password_still_works_when_debug_is_off(settings):
    settings.DEBUG = False
    factories.UserFactory(username="gestion", password="correct-horse-battery")

    assert authenticate(sign_in(), username="gestion", password="correct-horse-battery") is not None


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")

    assert not get_user_model().objects.filter(username="gestionnaire").exists()


def demo_counts() -> dict[str, int]:
    models = [get_user_model(), Group, Collectivity, Membership, Scheme, Campaign, Criterion,
              Level, UserObjectPermission, GroupObjectPermission]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=io.StringIO())
    first = demo_counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert demo_counts() == first
    assert first["User"] == 10 and first["Collectivity"] == 3 and first["Scheme"] == 2


@pytest.mark.django_db(transaction=True)
def test_a_worker_keeps_its_postgresql_connection_from_one_request_to_the_next():
    from django.core.signals import request_finished, request_started
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the embedded SQLite database opens its file per request")
    request_started.send(sender=None)
    connection.ensure_connection()
    opened = connection.connection
    request_finished.send(sender=None)
    request_started.send(sender=None)  # the next request checks it, then uses it
    connection.ensure_connection()
    assert connection.connection is opened and not opened.closed
