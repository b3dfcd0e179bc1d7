"""The gate refuses each unsafe case with a reason and a link that fixes it: a session too
soon after the last, an open urgent side effect, points from a recalled lot at sign-off."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.treatments import actions
from mesoclinic.treatments.gate import check_gate
from mesoclinic.treatments.models import TreatmentSession
from tests.support import personas
from tests.support.treatments import NOW, next_window, point


def missing(actor, plan, at=None):
    return {i.key: i for i in check_gate(actor, plan, at) if not i.ok}


def sign_first(nora, plan, lot):
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    actions.add_point(act, first, point(lot))
    return actions.sign_off(act, first)


def test_session_two_on_the_day_of_session_one_is_refused(ready, nora, time_machine):
    plan, product, lot = ready
    act = personas.actor(nora)
    sign_first(nora, plan, lot)
    gate = missing(act, plan)
    assert list(gate) == ["interval"]
    assert "Session 2 may start from 15 December 2026" in gate["interval"].message
    assert gate["interval"].fix_url == reverse("scheduling:book_plan", args=[plan.code])
    with pytest.raises(actions.Refused, match="at least 14 days after session 1"):
        actions.start_session(act, plan)
    next_window(nora, plan, time_machine, days=13)  # one day short
    with pytest.raises(actions.Refused, match="may start from 15 December 2026"):
        actions.start_session(act, plan)
    next_window(nora, plan, time_machine)
    assert missing(act, plan) == {}
    assert actions.start_session(act, plan).number == 2


def test_a_session_opened_too_soon_is_refused_at_sign_off(ready, nora):
    plan, product, lot = ready
    act = personas.actor(nora)
    sign_first(nora, plan, lot)
    # a session opened the same day (before the rule, or past the gate by a race)
    second = TreatmentSession.objects.create(
        plan=plan, patient=plan.patient, number=2, protocol=plan.protocol, started_at=NOW
    )
    actions.add_point(act, second, point(lot))
    with pytest.raises(actions.Refused, match="Session 2 may start from 15 December 2026"):
        actions.sign_off(act, second)
    second.refresh_from_db()
    assert not second.is_signed


def test_a_plan_starting_later_opens_on_its_start_date(nora, patient, booster):
    from tests.support.journeys import ready_plan
    from tests.support.treatments import TODAY

    product, lot = booster
    plan = ready_plan(nora, patient, product, TODAY + dt.timedelta(days=3))
    gate = missing(personas.actor(nora), plan)
    assert "its first session cannot be earlier" in gate["interval"].message


def test_lipolytic_sessions_stay_28_days_apart_across_plans(nora, alice, patient):
    """The screening's 28-day rule looks at days before the screened one; the gate also
    sees a lipolytic session earlier the same day, in another plan."""
    from mesoclinic.screening.actions import override_review
    from tests.support.products import make_lot, make_product
    from tests.support.treatments import TODAY, clear_for_treatment

    act, doctor = personas.actor(nora), personas.actor(alice)
    personas.make_intake(act, patient)
    lipo = make_product(
        act,
        name="Body contour",
        product_class="lipolytic",
        ingredients=["phosphatidylcholine", "deoxycholic acid"],
    )
    lipo_lot = make_lot(act, lipo, "LP-1", expiry=TODAY + dt.timedelta(days=300), quantity="50")
    screening = clear_for_treatment(nora, patient, [lipo], "body-cellulite")
    override_review(doctor, screening, "Discussed the lipolytic label with the patient.")

    def body_plan():
        return actions.create_plan(
            act,
            patient,
            screening,
            start_date=TODAY,
            sessions=None,
            products=[lipo],
            concerns=[],
            zones=["abdomen"],
        )

    first, other = body_plan(), body_plan()
    assert missing(act, other) == {}
    session = actions.start_session(act, first)
    actions.add_point(
        act,
        session,
        point(lipo_lot, view="body", zone="abdomen", technique="papules", depth_mm="2.0"),
    )
    actions.sign_off(doctor, session)
    gate = missing(act, other)
    assert list(gate) == ["interval:lipolytic"]
    assert "until 29 December 2026" in gate["interval:lipolytic"].message
    with pytest.raises(actions.Refused, match="waits at least 28 days"):
        actions.start_session(act, other)


def test_an_open_urgent_side_effect_blocks_the_next_session(ready, nora, time_machine):
    from mesoclinic.followup import actions as followup_actions

    plan, product, lot = ready
    act = personas.actor(nora)
    first = sign_first(nora, plan, lot)
    event = followup_actions.report_side_effect(
        act, first, symptoms=["pus"], severity="moderate", fever=True
    )
    assert event.level in ("urgent", "emergency")
    next_window(nora, plan, time_machine)
    gate = missing(act, plan)
    item = gate[f"side-effect:{event.code}"]
    assert "still open" in item.message and "after session 1" in item.message
    assert item.fix_url == reverse("followup:event", args=[event.code])
    with pytest.raises(actions.Refused, match="still open"):
        actions.start_session(act, plan)
    followup_actions.update_adverse_event(
        act, event, {"outcome": "resolved", "resolved_at": NOW + dt.timedelta(days=13)}
    )
    assert missing(act, plan) == {}
    assert AuditEvent.objects.filter(summary="open urgent side effects").exists()


def test_a_mild_side_effect_does_not_block(ready, nora, time_machine):
    from mesoclinic.followup import actions as followup_actions

    plan, product, lot = ready
    act = personas.actor(nora)
    first = sign_first(nora, plan, lot)
    event = followup_actions.report_side_effect(act, first, symptoms=["redness"], severity="mild")
    assert event.level == "expected"
    next_window(nora, plan, time_machine)
    assert missing(act, plan) == {}


def test_points_from_a_recalled_lot_need_a_physicians_note_at_sign_off(ready, nora, alice, login):
    from mesoclinic.products.actions import recall_lot

    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    recall_lot(personas.actor(alice), lot, "Sterility failure reported by the maker")
    page = login(nora).get(reverse("treatments:session", args=[session.code])).content.decode()
    assert 'id="recall-warning"' in page and "HB-1: recalled on" in page
    assert "A physician signs this session off" in page
    with pytest.raises(
        actions.Refused, match="comes from a recalled lot .*a physician signs it off"
    ):
        actions.sign_off(act, session)
    doctor = personas.actor(alice)
    with pytest.raises(actions.Refused) as refused:
        actions.sign_off(doctor, session, recall_note="ok")
    assert "recall_note" in refused.value.message_dict
    client = login(alice)
    page = client.get(reverse("treatments:session", args=[session.code])).content.decode()
    assert 'name="recall_note"' in page
    client.post(
        reverse("treatments:sign", args=[session.code]),
        {"recall_note": "Told the patient; day-2 and week-1 calls booked."},
    )
    session.refresh_from_db()
    assert session.is_signed
    ack = session.signed_record["recall_acknowledged"]
    assert ack["lot_numbers"] == ["HB-1"] and ack["note"].startswith("Told the patient")
    assert AuditEvent.objects.filter(action="sign", summary__contains="recalled lot HB-1").exists()
    page = client.get(reverse("treatments:session", args=[session.code])).content.decode()
    assert 'class="recalled"' in page and "Acknowledged at sign-off by" in page


def test_the_gate_fix_links_open_their_forms_filled(nora, patient, booster, time_machine, login):
    from tests.support.journeys import ready_plan
    from tests.support.treatments import TODAY

    product, lot = booster
    plan = ready_plan(nora, patient, product, TODAY)
    from mesoclinic.patchtests.models import PatchTest

    PatchTest.objects.filter(patient=patient).delete()  # as if the test was never recorded
    gate = missing(personas.actor(nora), plan)
    patch = gate[f"patch:{product.code}"]
    assert parse_qs(urlsplit(patch.fix_url).query) == {"product": [str(product.code)]}
    items = {i.key: i for i in check_gate(personas.actor(nora), plan)}
    consent = parse_qs(urlsplit(items["consent"].fix_url).query)
    assert consent == {"protocol": ["face-mesolift"], "product_class": ["ha-skin-booster"]}
    client = login(nora)
    form = client.get(items["consent"].fix_url).context["form"]
    assert form["product_classes"].value() == ["ha-skin-booster"]
    form = client.get(patch.fix_url).context["form"]
    assert form["product"].value() == product.pk
    time_machine.move_to(NOW + dt.timedelta(days=1), tick=True)  # no screening for this day
    items = {i.key: i for i in check_gate(personas.actor(nora), plan)}
    screen = parse_qs(urlsplit(items["screening"].fix_url).query)
    assert screen == {"protocol": ["face-mesolift"], "products": [str(product.code)]}


def test_a_plan_without_products_or_starting_years_ahead_is_refused(nora, patient, booster, login):
    from mesoclinic.screening.actions import screen_patient
    from tests.support.products import make_product
    from tests.support.treatments import TODAY

    product, _lot = booster
    make_product(personas.actor(nora), name="Other serum", product_class="vitamin-cocktail")
    act = personas.actor(nora)
    personas.make_intake(act, patient)
    screening = screen_patient(act, patient, "face-mesolift", TODAY, [product.as_engine_product()])
    base = dict(sessions=4, concerns=[], zones=["forehead"])
    with pytest.raises(actions.Refused) as refused:
        actions.create_plan(act, patient, screening, start_date=TODAY, products=[], **base)
    assert "a plan needs one" in refused.value.message_dict["products"][0]
    far = TODAY + dt.timedelta(days=800)
    with pytest.raises(actions.Refused) as refused:
        actions.create_plan(act, patient, screening, start_date=far, products=[product], **base)
    assert "more than a year ahead" in refused.value.message_dict["start_date"][0]

    client = login(nora)
    url = reverse("treatments:plan_new", args=[patient.code]) + f"?screening={screening.code}"
    page = client.get(url).content.decode()
    # the screened product is offered and ticked; a product not screened is not offered
    ticked = re.search(r'<input type="checkbox" name="products" value="(\d+)"[^>]*checked', page)
    assert ticked and ticked.group(1) == str(product.pk)
    assert "HA booster" in page and "Other serum" not in page
    posted = client.post(
        url,
        {
            "screening": str(screening.code),
            "start_date": "2099-01-01",
            "sessions": "4",
            "zones": ["forehead"],
        },
    )
    assert posted.status_code == 400
    errors = posted.context["form"].errors
    assert "a plan needs one" in errors["products"][0]
    assert "more than a year ahead" in errors["start_date"][0]
