"""GET /api/schema/: the OpenAPI description, served and valid."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.api.calls import anonymous

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_schema_is_served_to_anyone(api):
    response = anonymous(api).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{id}/transitions/{name}/",
        "/api/v1/dossiers/{id}/responses/{criterion_code}/",
        "/api/v1/assignments/{id}/declare/",
        "/api/v1/registry/{certificate_number}/",
    ):
        assert path in schema["paths"]


def test_the_schema_validates_against_the_openapi_specification():
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))


def test_the_schema_generates_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", "/dev/null"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
