import pytest

from mesoclinic import testing
from tests.conftest import edited_knowledge, k  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clinic_a(db):
    from mesoclinic.accounts.models import Clinic

    return Clinic.objects.create(name="Clinic A")


@pytest.fixture
def clinic_b(db):
    from mesoclinic.accounts.models import Clinic

    return Clinic.objects.create(name="Clinic B")


@pytest.fixture
def alice(clinic_a):
    return testing.make_user("alice", clinic_a, testing.ROLES["alice"])


@pytest.fixture
def nora(clinic_a):
    return testing.make_user("nora", clinic_a, testing.ROLES["nora"])


@pytest.fixture
def frank(clinic_a):
    return testing.make_user("frank", clinic_a, testing.ROLES["frank"])


@pytest.fixture
def adam(clinic_a):
    return testing.make_user("adam", clinic_a, testing.ROLES["adam"])


@pytest.fixture
def charlie(clinic_b):
    return testing.make_user("charlie", clinic_b, "physician")


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def patient(alice):
    return testing.make_patient(testing.actor(alice))
