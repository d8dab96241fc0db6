"""Pages carry a Content Security Policy that allows only their own scripts and styles."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/registry/"])
def test_pages_carry_a_strict_content_security_policy(path):
    policy = Client().get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_pages_load_no_inline_script_or_style(client):
    page = Client().get("/accounts/login/").content.decode()
    assert "<script>" not in page
    assert "style=" not in page
