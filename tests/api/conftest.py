import pytest
from django.contrib.auth import get_user_model

from certification.models import Membership
from certification.services import permissions
from tests import factories


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _demo(fast_passwords, demo_data):
    """Every API test starts from the demo: its accounts, collectivities and campaigns."""


@pytest.fixture
def stranger(db):
    return factories.UserFactory(username="stranger")


def _member_of_niort(username: str, role: str):
    from certification.models import Collectivity

    niort = Collectivity.objects.get(name="Niort")
    user = get_user_model().objects.create_user(username=username, password="x-" + username)
    Membership.objects.create(user=user, collectivity=niort, role=role)
    permissions.set_member_role(user, niort.pk, role)
    return user


@pytest.fixture
def contributor(db):
    return _member_of_niort("niort-contributrice", "contributor")


@pytest.fixture
def viewer(db):
    return _member_of_niort("niort-lecteur", "viewer")
