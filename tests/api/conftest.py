import pytest
from django.contrib.auth import get_user_model

from certification.models import Membership
from certification.services import permissions
from tests import factories
from tests.demo import collectivity_of


@pytest.fixture(autouse=True)
def _demo(demo_data):
    """Every API test starts from the demo: its accounts, collectivities and campaigns."""


@pytest.fixture
def stranger(db):
    return factories.UserFactory(username="stranger")


def _member_of_niort(username: str, role: str):
    niort = collectivity_of("niort")
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
