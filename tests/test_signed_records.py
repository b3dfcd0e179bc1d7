"""Signed means signed for the other clinical records (issue 15): patch-test readings, photo
records, photo-consent scopes, adverse-event triage and approved article versions change
only by a new record (or, for the fields named, the follow-up they are for). Each is tried
through the ORM and through raw SQL."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mesoclinic.core.sealed import Sealed
from mesoclinic.education.models import Article, ArticleVersion
from mesoclinic.followup.models import AdverseEvent
from mesoclinic.patchtests.models import PatchTest
from mesoclinic.photos.models import Photo, PhotoConsent
from tests.support import journeys
from tests.support.products import make_lot, make_product
from tests.support.treatments import NOW, TODAY

pytestmark = pytest.mark.django_db


def _raw_refused(sql, params):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)


def _raw_ok(sql, params):
    with connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.fixture
def reading(nora, patient):
    now = timezone.now()
    return PatchTest.objects.create(
        patient=patient, substance="vitamin C", site="inner_forearm", applied_by=nora,
        applied_at=now - dt.timedelta(hours=1), reading_minutes=30, result="negative",
        read_at=now, read_by=nora,
    )  # fmt: skip


@pytest.fixture
def photo_consent(nora, patient):
    return PhotoConsent.objects.create(
        patient=patient, scope="clinical", signer_name="A Y", signed_on=TODAY, recorded_by=nora
    )


@pytest.fixture
def photo(photo_consent, patient, nora):
    return Photo.objects.create(
        patient=patient, consent=photo_consent, taken_on=TODAY, view="front", file="a.webp",
        sha256="0" * 64, width=10, height=10, size_bytes=100, original_format="jpeg",
        uploaded_by=nora,
    )  # fmt: skip


@pytest.fixture
def adverse_event(nora, patient, clinic_a, time_machine):
    from tests.support import personas

    time_machine.move_to(NOW, tick=True)

    act = personas.actor(nora)
    product = make_product(act, name="HA", product_class="ha-skin-booster", ingredients=["x"])
    lot = make_lot(act, product, "L-1", expiry=TODAY + dt.timedelta(days=300), quantity="5")
    plan = journeys.ready_plan(nora, patient, product, TODAY)
    session = journeys.signed_session(nora, plan, lot)
    return AdverseEvent.objects.create(
        clinic=clinic_a, patient=patient, session=session, protocol=session.protocol,
        source="staff", reported_by=nora, reported_at=timezone.now(), symptoms=["redness"],
        severity="mild", hours_since_session=2, triage={"level": "self-care"}, level="self-care",
    )  # fmt: skip


@pytest.fixture
def approved(alice, clinic_a):
    article = Article.objects.create(clinic=clinic_a, slug="aftercare")
    return ArticleVersion.objects.create(
        article=article, number=1, sections={"makeup": {"en": "x"}}, status="approved",
        articles_version="1", knowledge_version="1", approved_by=alice, approved_at=timezone.now(),
    )  # fmt: skip


def test_a_patch_test_reading_is_never_rewritten(reading):
    reading.result = "positive"
    with pytest.raises(Sealed):
        reading.save()
    with pytest.raises(Sealed):
        PatchTest.objects.filter(pk=reading.pk).update(result="pending", read_at=None, read_by=None)
    _raw_refused("UPDATE patchtests_patchtest SET reaction_notes = 'x' WHERE id = %s", [reading.pk])
    assert PatchTest.objects.get(pk=reading.pk).result == "negative"


def test_a_photo_consent_scope_is_never_widened_and_withdrawn_once(photo_consent, nora):
    photo_consent.scope = "teaching"
    with pytest.raises(Sealed):
        photo_consent.save()
    _raw_refused(
        "UPDATE photos_photoconsent SET scope = 'teaching' WHERE id = %s", [photo_consent.pk]
    )
    # the withdrawal is the one change allowed, and only once
    _raw_ok(
        "UPDATE photos_photoconsent SET withdrawn_at = %s, withdrawn_by_id = %s WHERE id = %s",
        [timezone.now(), nora.pk, photo_consent.pk],
    )
    _raw_refused(
        "UPDATE photos_photoconsent SET withdrawn_at = NULL WHERE id = %s", [photo_consent.pk]
    )
    assert PhotoConsent.objects.get(pk=photo_consent.pk).scope == "clinical"


def test_a_photo_record_is_never_rewritten(photo):
    with pytest.raises(Sealed):
        Photo.objects.filter(pk=photo.pk).update(sha256="f" * 64)
    _raw_refused("UPDATE photos_photo SET taken_on = '2020-01-01' WHERE id = %s", [photo.pk])
    Photo.objects.filter(pk=photo.pk).update(thumbnail="t.webp")  # made later by a task
    assert Photo.objects.get(pk=photo.pk).sha256 == "0" * 64


def test_an_adverse_event_triage_is_fixed_and_its_follow_up_is_not(adverse_event):
    adverse_event.level = "urgent"
    with pytest.raises(Sealed):
        adverse_event.save()
    _raw_refused(
        "UPDATE followup_adverseevent SET severity = 'severe' WHERE id = %s", [adverse_event.pk]
    )
    _raw_refused("UPDATE followup_adverseevent SET triage = '{}' WHERE id = %s", [adverse_event.pk])
    AdverseEvent.objects.filter(pk=adverse_event.pk).update(outcome="recovered")
    fresh = AdverseEvent.objects.get(pk=adverse_event.pk)
    assert fresh.level == "self-care" and fresh.outcome == "recovered"


def test_an_approved_article_version_is_never_rewritten(approved):
    with pytest.raises(Sealed):
        ArticleVersion.objects.filter(pk=approved.pk).update(sections={})
    _raw_refused(
        "UPDATE education_articleversion SET status = 'draft' WHERE id = %s", [approved.pk]
    )
    assert ArticleVersion.objects.get(pk=approved.pk).is_approved


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps deletes to the ORM")
def test_the_database_refuses_deleting_signed_records(reading, photo, adverse_event, approved):
    _raw_refused("DELETE FROM patchtests_patchtest WHERE id = %s", [reading.pk])
    _raw_refused("DELETE FROM photos_photoconsent WHERE id = %s", [photo.consent_id])
    _raw_refused("DELETE FROM followup_adverseevent WHERE id = %s", [adverse_event.pk])
    _raw_refused("DELETE FROM education_articleversion WHERE id = %s", [approved.pk])
