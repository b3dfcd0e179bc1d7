"""The patient chart costs a fixed, small number of queries however long the history
(issue 18): at most 12 statements on the chart page itself (the session, the user, the
actor's membership, the patient, the medical history, the screenings, the patch tests, the
recalled lots and unresolved urgent side effects behind the safety alerts, and the request's
audit rows in one INSERT with the chain head's two updates). The panels below (consent,
treatments, photos, follow-up, billing) and the timeline load as they scroll into view
(`patients:chart_part`), each at a fixed count too; `?full=1` is the whole chart at once.

Transaction control (the chart's SAVEPOINT and RELEASE inside a test's transaction; BEGIN
and COMMIT in production, which Django does not log) is not counted."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.followup.actions import report_side_effect
from mesoclinic.products.actions import recall_lot
from mesoclinic.treatments.models import TreatmentSession
from tests.support import journeys, personas
from tests.support.chart import part_urls, whole_chart
from tests.support.products import make_lot, make_product
from tests.support.treatments import NOW, TODAY

CHART_MAX_QUERIES = 12  # issue 18's goal
LAZY_PARTS = {"consent", "treatments", "photos", "followup", "timeline"}


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=True)


def _history(nora, patient, sessions, name):
    act = personas.actor(nora)
    product = make_product(
        act,
        name=name,
        product_class="ha-skin-booster",
        ingredients=["sodium hyaluronate"],
        patch_test_reading_minutes=30,
    )
    lot = make_lot(
        act, product, f"LOT-{name}", expiry=TODAY + dt.timedelta(days=200), quantity="50"
    )
    plan = journeys.ready_plan(nora, patient, product, TODAY)
    for _ in range(sessions):
        journeys.signed_session(nora, plan, lot)
    return plan, lot


def _statements(client, url) -> tuple[list[str], str]:
    client.get(url)  # the session's idle clock and caches settle on the first view
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    return [s for s in sql if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))], page


def _chart(client, patient, **query):
    url = reverse("patients:chart", args=[patient.code])
    return _statements(client, url + ("?full=1" if query.get("full") else ""))


def test_the_chart_is_at_most_12_queries_however_long_the_history(login, nora, patient):
    client = login(nora)
    _history(nora, patient, sessions=1, name="Booster one")
    few, _page = _chart(client, patient)
    _history(nora, patient, sessions=1, name="Booster two")  # a second plan: twice the history
    many, page = _chart(client, patient)
    assert len(few) == len(many) <= CHART_MAX_QUERIES, many
    # the request's audit rows in one INSERT
    assert sum(s.startswith('INSERT INTO "audit_auditevent"') for s in many) == 1
    html = page.content.decode()
    assert set(u.rsplit("/", 1)[1] for u in part_urls(html)) == LAZY_PARTS
    assert 'hx-trigger="revealed"' in html and "Screenings" in html and "Patch tests" in html


def test_each_lazy_part_is_a_fixed_number_of_queries(login, nora, patient):
    client = login(nora)
    _history(nora, patient, sessions=1, name="Booster one")
    few = {name: len(_statements(client, _part(patient, name))[0]) for name in LAZY_PARTS}
    _history(nora, patient, sessions=1, name="Booster two")
    many = {name: len(_statements(client, _part(patient, name))[0]) for name in LAZY_PARTS}
    assert few == many


def _part(patient, name):
    return reverse("patients:chart_part", args=[patient.code, name])


def test_the_whole_chart_is_the_page_and_its_parts(login, nora, patient):
    client = login(nora)
    plan, _lot = _history(nora, patient, sessions=1, name="Booster one")
    top = client.get(reverse("patients:chart", args=[patient.code])).content.decode()
    assert str(plan.code) not in top  # the treatments panel is not read on the page itself
    whole = whole_chart(client, patient)
    full = client.get(reverse("patients:chart", args=[patient.code]) + "?full=1")
    for html in (whole, full.content.decode()):
        assert str(plan.code) in html and "Treatment plans" in html
        assert "Consent signed" in html and 'class="timeline"' in html
    assert part_urls(full.content.decode()) == []  # nothing left to load


def test_without_javascript_each_placeholder_links_to_the_whole_chart(login, nora, patient):
    _history(nora, patient, sessions=1, name="Booster one")
    html = login(nora).get(reverse("patients:chart", args=[patient.code])).content.decode()
    base = reverse("patients:chart", args=[patient.code])
    for name in LAZY_PARTS:
        assert f'href="{base}?full=1#h-{name}"' in html
        assert f'id="h-{name}"' in html  # the placeholder's heading, replaced by the panel's


def test_every_part_is_audited(login, nora, patient):
    client = login(nora)
    _history(nora, patient, sessions=1, name="Booster one")
    for name in ("consent", "treatments", "photos", "followup"):
        before = AuditEvent.objects.count()
        assert client.get(_part(patient, name)).status_code == 200
        assert AuditEvent.objects.filter(patient_code=patient.code).count() > 0
        assert AuditEvent.objects.count() > before, name


def test_safety_alerts_stay_on_the_chart_itself(login, nora, alice, patient):
    plan, lot = _history(nora, patient, sessions=1, name="Booster one")
    recall_lot(personas.actor(alice), lot, "Sterility not assured")
    session = TreatmentSession.objects.get(plan=plan)
    report_side_effect(personas.actor(nora), session, symptoms=["blanching"], severity="severe")
    client = login(nora)
    statements, page = _chart(client, patient)
    html = page.content.decode()
    assert "was recalled: Sterility not assured" in html
    assert "An unresolved urgent side effect" in html
    assert len(statements) <= CHART_MAX_QUERIES


def test_parts_are_for_clinical_staff_and_known_names(login, nora, frank, patient):
    assert login(frank).get(_part(patient, "treatments")).status_code == 403
    client = login(nora)
    assert client.get(_part(patient, "no-such-part")).status_code == 404
