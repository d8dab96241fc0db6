import math

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

DEMO_PASSWORD = "demo"


class DemoAwareModelBackend(ModelBackend):
    """The demo accounts share a public password: it only opens a door while DEBUG is on."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out sign-in gets (django-axes calls this): 429, the time to wait, in
    JSON for the API and as a page for the site."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    detail = ngettext(
        "Too many failed sign-ins: try again in %(minutes)d minute, or ask a programme "
        "manager to unlock the account.",
        "Too many failed sign-ins: try again in %(minutes)d minutes, or ask a programme "
        "manager to unlock the account.",
        minutes,
    ) % {"minutes": minutes}
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, "registration/locked_out.html", {"detail": detail}, status=429)
    response["Retry-After"] = retry_after
    return response
