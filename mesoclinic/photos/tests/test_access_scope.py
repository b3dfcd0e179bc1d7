"""Photo reads stay in the actor's clinic: another clinic's physician gets 404 for the
consent, the file and the aligned pair, and no read is audited for them."""

import uuid

import pytest
from django.http import Http404

from mesoclinic.audit.models import AuditEvent
from mesoclinic.photos import access
from tests.support import personas


def test_another_clinic_reads_no_photo_consent_or_file(photo, consent, charlie):
    stranger = personas.actor(charlie)
    with pytest.raises(Http404):
        access.get_consent(stranger, consent.code)
    with pytest.raises(Http404):
        access.get_consent(stranger, uuid.uuid4())
    with pytest.raises(Http404):
        access.read_file(stranger, photo)
    with pytest.raises(Http404):
        access.read_aligned(stranger, photo, photo, "before")
    assert access.consents_for(stranger, consent.patient) == []
    assert not AuditEvent.objects.filter(user=charlie).exists()


def test_a_pair_of_two_patients_is_not_aligned(photo, nora):
    other = personas.make_patient(personas.actor(nora), given="Zeynep", family="Kaya")
    foreign = type(photo)(patient=other)
    with pytest.raises(Http404):
        access.read_aligned(personas.actor(nora), photo, foreign, "after")
