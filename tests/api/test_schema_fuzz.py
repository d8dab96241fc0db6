"""Schemathesis sends generated requests for every operation of the OpenAPI schema, signed in
as a referent and as a manager: no answer is a server error, and every answer matches the
schema. CI runs it on PostgreSQL and on SQLite."""

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder as JSONEncoder
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from labelflow.wsgi import application

pytestmark = pytest.mark.django_db


def api_schema():
    """The schema `/api/schema/` serves; requests go through the WSGI application, here."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(generated, cls=JSONEncoder)))
    loaded.app = application
    return loaded


schema = api_schema()


@pytest.fixture
def tokens(demo_data):
    """A referent's and a manager's."""
    return [Token.objects.create(user=user).key for user in (user_named("niort"),
            user_named("gestionnaire"))]  # fmt: skip


def user_named(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@schema.parametrize()
@settings(
    max_examples=15, deadline=None, derandomize=True,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
def test_no_request_gets_a_server_error_or_an_answer_off_the_schema(case, tokens):
    for token in tokens:
        response = case.call(headers={"Authorization": f"Token {token}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
