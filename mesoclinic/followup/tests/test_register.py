"""The adverse-event register: filters, CSV, several reports on one lot highlighted;
GAIS scores and the chart panel; photos outside the web root."""

import csv
import datetime as dt
import io

import pytest
from PIL import Image

from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup import actions
from mesoclinic.followup.models import AdverseEvent, GaisScore
from tests.support import journeys, personas
from tests.support.chart import whole_chart

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_lots(nora, booster, alice):
    """Two patients treated with lot HB-1 and one with lot HB-2 (another product)."""
    from tests.support.products import make_lot, make_product

    product, lot1 = booster
    act = personas.actor(nora)
    other_product = make_product(
        act, name="Vitamin cocktail", product_class="ha-skin-booster", ingredients=["biotin"]
    )
    lot2 = make_lot(act, other_product, "VC-9", expiry=TODAY + dt.timedelta(days=100))
    p1 = personas.make_patient(personas.actor(alice), given="Bora", family="Ak")
    p2 = personas.make_patient(personas.actor(alice), given="Cem", family="Su")
    p3 = personas.make_patient(personas.actor(alice), given="Deniz", family="Ay")
    s1 = journeys.signed_session(nora, journeys.ready_plan(nora, p1, product, TODAY), lot1)
    s2 = journeys.signed_session(nora, journeys.ready_plan(nora, p2, product, TODAY), lot1)
    s3 = journeys.signed_session(nora, journeys.ready_plan(nora, p3, other_product, TODAY), lot2)
    report = lambda s, *sy, **kw: actions.report_side_effect(  # noqa: E731
        act, s, symptoms=list(sy), severity=kw.pop("severity", "mild"), **kw
    )
    e1 = report(s1, "nodules")
    e2 = report(s2, "pus", severity="moderate")
    e3 = report(s3, "redness")
    actions.update_adverse_event(act, e1, {"ctcae_grade": 2})
    return {"lot1": lot1, "lot2": lot2, "product": product, "events": (e1, e2, e3)}


def codes(response):
    return {e.code for e in response.context["register"].events}


def test_the_register_lists_and_filters(login, nora, two_lots):
    e1, e2, e3 = two_lots["events"]
    client = login(nora)
    everything = client.get("/followup/events/")
    assert everything.status_code == 200 and codes(everything) == {e1.code, e2.code, e3.code}
    by_lot = client.get("/followup/events/", {"lot": str(two_lots["lot1"].code)})
    assert codes(by_lot) == {e1.code, e2.code}
    by_product = client.get("/followup/events/", {"product": str(two_lots["product"].code)})
    assert codes(by_product) == {e1.code, e2.code}
    assert codes(client.get("/followup/events/", {"grade": "2"})) == {e1.code}
    assert codes(client.get("/followup/events/", {"grade": "none"})) == {e2.code, e3.code}
    assert codes(client.get("/followup/events/", {"protocol": "hair"})) == set()
    assert codes(client.get("/followup/events/", {"protocol": "face-mesolift"})) == {
        e1.code,
        e2.code,
        e3.code,
    }
    assert codes(client.get("/followup/events/", {"level": "urgent"})) == {e2.code}
    today = TODAY.isoformat()
    assert len(codes(client.get("/followup/events/", {"since": today, "until": today}))) == 3
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert codes(client.get("/followup/events/", {"since": tomorrow})) == set()
    bad = client.get("/followup/events/", {"since": tomorrow, "until": today})
    assert bad.status_code == 400


def test_several_reports_on_one_lot_are_highlighted(login, nora, two_lots):
    page = login(nora).get("/followup/events/")
    reg = page.context["register"]
    assert [(f["lot"].lot_number, f["reports"], f["patients"]) for f in reg.flagged] == [
        ("HB-1", 2, 2)
    ]
    flagged = {e.code: e.flagged for e in reg.events}
    e1, e2, e3 = two_lots["events"]
    assert flagged == {e1.code: True, e2.code: True, e3.code: False}
    assert b"Lots with several reports" in page.content and b"row-flagged" in page.content
    # the highlight counts the whole register, whatever the filter shows
    filtered = login(nora).get("/followup/events/", {"level": "urgent"})
    assert filtered.context["register"].flagged[0]["reports"] == 2


def test_the_register_exports_as_csv(login, nora, two_lots):
    e1, e2, e3 = two_lots["events"]
    r = login(nora).get("/followup/events/export.csv", {"lot": str(two_lots["lot1"].code)})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["event"] for row in rows} == {str(e1.code), str(e2.code)}
    row = next(r for r in rows if r["event"] == str(e1.code))
    assert row["lots"] == "HA booster HB-1"
    assert row["lot_reports"] == "2" and row["ctcae_grade"] == "2"
    assert row["triage_level"] == "contact_clinic" and row["symptoms"] == "nodules"
    assert row["patient"] == str(e1.patient.code)
    assert "Bora" not in text  # patients by code, not name
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_csv_cells_cannot_be_formulas(nora, session):
    from mesoclinic.followup.access import register
    from mesoclinic.followup.export import register_csv

    event = actions.report_side_effect(
        personas.actor(nora), session, symptoms=["other"], severity="mild"
    )
    actions.update_adverse_event(personas.actor(nora), event, {"actions_taken": "=HYPERLINK(1)"})
    text = register_csv(register(personas.actor(nora), {}), nora.membership.clinic)
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("who", ["alice", "nora", "adam"])
def test_register_roles(login, request, who, two_lots):
    assert login(request.getfixturevalue(who)).get("/followup/events/").status_code == 200


def test_the_front_desk_has_no_register(login, frank, two_lots):
    client = login(frank)
    for url in ("/followup/events/", "/followup/events/export.csv", "/followup/alerts/"):
        assert client.get(url).status_code == 403
    assert client.get(f"/followup/events/{two_lots['events'][0].code}/").status_code == 403


def test_another_clinic_sees_an_empty_register(login, charlie, two_lots):
    page = login(charlie).get("/followup/events/")
    assert page.status_code == 200 and not page.context["register"].events
    assert not page.context["register"].flagged


def test_the_admin_reads_but_does_not_grade(login, adam, two_lots):
    e1 = two_lots["events"][0]
    client = login(adam)
    page = client.get(f"/followup/events/{e1.code}/")
    assert page.status_code == 200 and b'<form method="post" novalidate>' not in page.content
    r = client.post(f"/followup/events/{e1.code}/", {"outcome": "resolved"})
    assert r.status_code == 403


def test_the_register_reads_in_a_fixed_number_of_queries(
    login, nora, two_lots, django_assert_max_num_queries
):
    client = login(nora)
    client.get("/followup/events/")
    with django_assert_max_num_queries(17):  # 17: the audit chain (head, INSERT, head hash)
        client.get("/followup/events/")


# --- GAIS and the chart ----------------------------------------------------------------------


def test_gais_by_the_practitioner_and_the_chart_trend(login, nora, patient, session, later):
    client = login(nora)
    url = f"/followup/sessions/{session.code}/gais"
    assert client.get(url).status_code == 200
    bad = client.post(url, {})
    assert bad.status_code == 400 and b"Choose one of the five answers" in bad.content
    assert client.post(url, {"score": "3"}).status_code == 302
    later(days=28)
    client = login(nora)  # the idle session ended meanwhile
    assert client.post(url, {"score": "2", "notes": "Week 4"}).status_code == 302
    scores = list(GaisScore.objects.order_by("rated_on"))
    assert [(g.score, g.rater) for g in scores] == [(3, "practitioner"), (2, "practitioner")]
    assert scores[0].scale_version.startswith("gais-5")
    html = whole_chart(client, patient)
    assert "Follow-up and side effects" in html
    assert '<svg class="gais-trend"' in html and "<polyline" in html
    assert "Much improved" in html


def test_gais_refuses_an_open_session(nora, plan):
    from django.core.exceptions import ValidationError

    from mesoclinic.treatments.actions import start_session

    s = start_session(personas.actor(nora), plan)
    with pytest.raises(ValidationError):
        actions.record_gais(personas.actor(nora), s, score=2)


def test_the_chart_panel_shows_side_effects_and_check_ins(login, nora, patient, session, later):
    later(days=3)
    actions.report_side_effect(
        personas.actor(nora), session, symptoms=["blanching"], severity="severe"
    )
    top = login(nora).get(f"/patients/{patient.code}/").content.decode()
    assert "An unresolved urgent side effect" in top  # the alert is on the chart itself
    html = whole_chart(login(nora), patient)
    assert "White or very pale skin" in html
    assert "Day 2 after session 1: due since" in html
    assert "An unresolved urgent side effect" in html
    assert "report a side effect" in html


def test_the_chart_panel_is_not_for_the_front_desk(login, frank, patient, session):
    html = login(frank).get(f"/patients/{patient.code}/").content.decode()
    assert "Follow-up and side effects" not in html


# --- photos ---------------------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (320, 240), (200, 120, 110))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_a_photo_is_stored_outside_the_web_root_without_metadata(
    login, nora, frank, session, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(nora)
    upload = SimpleUploadedFile("skin.jpg", jpeg_with_gps(), content_type="image/jpeg")
    r = client.post(
        f"/followup/sessions/{session.code}/report",
        {"symptoms": ["nodules"], "severity": "mild", "photo": upload},
    )
    assert r.status_code == 302
    event = AdverseEvent.objects.get()
    path = settings.FOLLOWUP_FILES_ROOT / event.photo.name
    assert path.is_file()
    stored = Image.open(path)
    assert stored.format == "JPEG" and not stored.getexif()
    photo = client.get(f"/followup/events/{event.code}/photo")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert "no-store" in photo["Cache-Control"]
    assert login(frank).get(f"/followup/events/{event.code}/photo").status_code == 403


def test_a_file_that_is_not_a_photo_is_refused(login, nora, session):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = login(nora).post(
        f"/followup/sessions/{session.code}/report",
        {
            "symptoms": ["nodules"],
            "severity": "mild",
            "photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert r.status_code == 400 and b"not a JPEG, PNG or WebP photo" in r.content
    assert not AdverseEvent.objects.exists()
