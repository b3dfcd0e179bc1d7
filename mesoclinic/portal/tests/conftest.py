import pytest

from mesoclinic import testing
from mesoclinic.followup import testing as ftesting
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


@pytest.fixture
def ayse(nora, patient):
    """Ayşe's portal user (the `patient` persona)."""
    return ftesting.portal_user(nora, patient, "ayse")


@pytest.fixture
def portal(client, ayse):
    client.force_login(ayse)
    return client


@pytest.fixture
def other(alice):
    return testing.make_patient(
        testing.actor(alice), given="Zeynep", family="Kaya", email="zeynep@example.org"
    )


@pytest.fixture
def zeynep(nora, other):
    return ftesting.portal_user(nora, other, "zeynep")
