"""The API client as one person or another."""

from tests.demo import user


def as_(api, username_or_user):
    """The API client signed in as a demo account (a username) or any user."""
    if isinstance(username_or_user, str):
        username_or_user = user(username_or_user)
    return api.as_user(username_or_user)


def run(api, who, dossier, name, **data):
    """POST a transition as `who`; the response."""
    return transition(as_(api, who), dossier.pk, name, **data)


def transition(api, dossier_id, name, **data):
    """POST a transition with the client as it is signed in; the response."""
    return api.post(f"/api/v1/dossiers/{dossier_id}/transitions/{name}/", data, format="json")


def anonymous(api):
    """The API client signed out (the `api` fixture is one client for the whole test)."""
    return api.as_user(None)
