import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def sign_in(client):
    """`sign_in(user_or_username)` signs the test client in and returns it."""

    def sign_in(user):
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        client.force_login(user)
        return client

    return sign_in
