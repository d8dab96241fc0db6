from django.conf import settings
from django.contrib.auth.backends import ModelBackend

DEMO_PASSWORD = "demo"


class DemoAwareModelBackend(ModelBackend):
    """The demo accounts share a public password: it only opens a door while DEBUG is on."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == DEMO_PASSWORD and not settings.DEBUG:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
