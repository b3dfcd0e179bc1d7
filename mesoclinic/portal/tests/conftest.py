import pytest

from mesoclinic.followup.tests.conftest import (  # noqa: F401  (fixtures)
    NOW,
    TODAY,
    _followup_env,
    _frozen,
    booster,
    later,
    lot,
    plan,
    session,
)
from tests.support import journeys, personas


@pytest.fixture
def ayse(nora, patient):
    """Ayşe's portal user (the `patient` persona)."""
    return journeys.portal_user(nora, patient, "ayse")


@pytest.fixture
def portal(client, ayse):
    client.force_login(ayse)
    return client


@pytest.fixture
def other(alice):
    return personas.make_patient(
        personas.actor(alice), given="Zeynep", family="Kaya", email="zeynep@example.org"
    )


@pytest.fixture
def zeynep(nora, other):
    return journeys.portal_user(nora, other, "zeynep")


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Links in e-mails start with SITE_URL; here, the test client's host."""
    settings.SITE_URL = "http://testserver"
