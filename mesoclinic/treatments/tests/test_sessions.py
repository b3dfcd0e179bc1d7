import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.treatments import actions, amendments, chart_templates
from mesoclinic.treatments.gate import check_gate
from mesoclinic.treatments.models import Amendment, SessionPoint
from tests.support import personas
from tests.support.treatments import NOW, TODAY, next_window, point

FACE_POINTS = [  # 10+ points over the 3 stages of a face mesolift
    dict(stage=1, zone="forehead", technique="papules", depth_mm="1.0"),
    dict(stage=1, zone="cheeks", technique="epidermal-nappage", depth_mm="0.5"),
    dict(stage=1, zone="perioral", technique="papules", depth_mm="1.0"),
    dict(stage=1, zone="chin", technique="epidermal-nappage", depth_mm="0.5"),
    dict(stage=2, zone="hairline", technique="linear", depth_mm="2.0"),
    dict(stage=2, zone="temples", technique="papules", depth_mm="2.0"),
    dict(stage=2, zone="jawline", technique="point-by-point", depth_mm="2.0"),
    dict(stage=2, zone="jawline", technique="linear", depth_mm="1.8"),
    dict(stage=3, zone="nasolabial", technique="papules", depth_mm="1.0"),
    dict(stage=3, zone="forehead", technique="point-by-point", depth_mm="1.5"),
    dict(stage=3, zone="periorbital", technique="papules", depth_mm="1.0"),
]


def test_the_gate_opens_when_everything_is_in_place(ready, nora):
    plan, product, lot = ready
    items = check_gate(personas.actor(nora), plan)
    assert [i.key for i in items if not i.ok] == []
    assert {i.key.split(":")[0] for i in items} == {
        "screening",
        "consent",
        "patch",
        "lot",
        "interval",
        "side-effects",
    }


def test_charting_three_stages_signing_and_amending(ready, nora, alice):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    for data in FACE_POINTS:
        actions.add_point(act, session, point(lot, **data))
    lot.refresh_from_db()
    assert lot.quantity_remaining == Decimal("20") - Decimal("0.050") * len(FACE_POINTS)
    # stage 3 holds a prescription-only cocktail: a nurse cannot sign it
    with pytest.raises(actions.Refused, match="only a physician"):
        actions.sign_off(act, session)
    signed = actions.sign_off(personas.actor(alice), session)
    assert signed.is_signed and len(signed.signed_record["points"]) == 11
    with pytest.raises(actions.Refused, match="signed off"):
        actions.add_point(act, session, point(lot))
    with pytest.raises(actions.Refused, match="Already signed off"):
        actions.sign_off(personas.actor(alice), session)
    first = SessionPoint.objects.filter(session=session).first()
    # amendments follow the signing rules: a physician-only stage is amended by a physician
    with pytest.raises(actions.Refused, match="only a physician may amend"):
        amendments.amend(act, session, reason="Wrong volume charted", remove_points=[first])
    amendment = amendments.amend(
        personas.actor(alice),
        session,
        reason="Wrong volume charted at the forehead",
        details={"notes": "amended"},
        remove_points=[first],
    )
    session.refresh_from_db()
    assert session.notes == "amended" and session.points.count() == 10
    assert len(session.signed_record["points"]) == 11  # the signed original is kept
    assert [c["op"] for c in amendment.changes] == ["set", "remove_point"]
    assert AuditEvent.objects.filter(action="sign").exists()
    assert AuditEvent.objects.filter(action="update", summary__startswith="amendment").exists()
    plan.refresh_from_db()
    assert plan.status == "active"


def test_points_are_checked_against_the_protocol(ready, nora):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    cases = [
        (point(lot, zone="ears"), "zone"),
        (point(lot, stage=2, zone="forehead"), "zone"),  # stage 2 is hairline, temples, jaw
        (point(lot, depth_mm="3.5"), "depth_mm"),
        (point(lot, technique="deep-point"), "technique"),
        (point(lot, volume_ml="0"), "volume_ml"),
        (point(lot, stage=None), "stage"),
        (point(lot, x=150), "x"),
    ]
    for data, field in cases:
        with pytest.raises(actions.Refused) as err:
            actions.add_point(act, session, data)
        assert field in err.value.message_dict, (field, err.value.message_dict)
    assert not session.points.exists()
    lot.refresh_from_db()
    assert lot.quantity_remaining == Decimal("20")  # nothing half-saved


def test_an_expired_recalled_or_foreign_lot_cannot_be_charted(ready, nora, alice):
    from mesoclinic.products.actions import recall_lot
    from tests.support.products import make_lot, make_product

    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    other = make_product(
        act, name="Vitamin mix", product_class="vitamin-cocktail", ingredients=["biotin"]
    )
    other_lot = make_lot(act, other, "VM-1", expiry=TODAY + dt.timedelta(days=100))
    with pytest.raises(actions.Refused, match="not in this plan"):
        actions.add_point(act, session, point(other_lot))
    old = make_lot(act, product, "HB-OLD", expiry=TODAY - dt.timedelta(days=1))
    with pytest.raises(actions.Refused) as err:
        actions.add_point(act, session, point(old))
    assert "expired" in str(err.value.message_dict["lot"]).lower()
    recall_lot(personas.actor(alice), lot, "Contamination reported by the maker")
    with pytest.raises(actions.Refused) as err:
        actions.add_point(act, session, point(lot))
    assert "recalled" in str(err.value.message_dict["lot"]).lower()


def test_the_gate_names_each_missing_item(nora, alice, patient, booster):
    from mesoclinic.patchtests.actions import read_patch_test, record_patch_test
    from mesoclinic.screening.actions import screen_patient

    product, lot = booster
    act = personas.actor(nora)
    personas.make_intake(act, patient)
    screening = screen_patient(act, patient, "face-mesolift", TODAY, [product.as_engine_product()])
    plan = actions.create_plan(
        act,
        patient,
        screening,
        start_date=TODAY,
        sessions=4,
        products=[product],
        concerns=[],
        zones=["forehead"],
    )
    missing = {i.key.split(":")[0]: i for i in check_gate(act, plan) if not i.ok}
    assert set(missing) == {"consent", "patch"}
    assert missing["consent"].fix_url.startswith(reverse("consent:sign", args=[patient.code]))
    test = record_patch_test(
        act,
        patient,
        substance=product.name,
        product_class=product.product_class,
        site="inner_forearm",
        applied_at=NOW - dt.timedelta(hours=2),
        reading_minutes=30,
    )
    read_patch_test(act, test, result="positive", read_at=NOW - dt.timedelta(minutes=10))
    with pytest.raises(actions.Refused) as err:
        actions.start_session(act, plan)
    assert any("positive" in m.lower() for m in err.value.messages)


def test_a_new_intake_closes_the_gate_until_screened_again(ready, nora):
    plan, product, lot = ready
    personas.make_intake(personas.actor(nora), plan.patient, notes="changed")
    missing = [i for i in check_gate(personas.actor(nora), plan) if not i.ok]
    assert [i.key for i in missing] == ["screening"]


def test_a_plan_needs_a_screening_that_allows_it(nora, patient, booster):
    from mesoclinic.screening.actions import screen_patient

    product, _lot = booster
    act = personas.actor(nora)
    personas.make_intake(act, patient, pregnant=True)
    screening = screen_patient(act, patient, "face-mesolift", TODAY, [product.as_engine_product()])
    with pytest.raises(actions.Refused, match="allows treatment"):
        actions.create_plan(
            act,
            patient,
            screening,
            start_date=TODAY,
            sessions=4,
            products=[product],
            concerns=[],
            zones=[],
        )


def test_anaesthetic_cream_shorter_than_the_lead_time_warns(ready, nora):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    actions.update_details(
        personas.actor(nora),
        session,
        {
            "anaesthetic_applied_at": NOW,
            "anaesthetic_removed_at": NOW + dt.timedelta(minutes=15),
            "pain_score": 3,
        },
    )
    session.refresh_from_db()
    assert "15 minutes" in actions.anaesthetic_warning(session)
    with pytest.raises(actions.Refused):
        actions.update_details(
            personas.actor(nora),
            session,
            {
                "anaesthetic_applied_at": NOW,
                "anaesthetic_removed_at": NOW - dt.timedelta(minutes=5),
            },
        )
    with pytest.raises(actions.Refused):
        actions.update_details(personas.actor(nora), session, {"pain_score": 11})


def test_copy_forward_repeats_the_previous_chart(ready, nora, alice, time_machine):
    plan, product, lot = ready
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    for data in FACE_POINTS[:4]:
        actions.add_point(act, first, point(lot, **data))
    actions.sign_off(act, first)
    next_window(nora, plan, time_machine)
    second = actions.start_session(act, plan)
    copied, notes = chart_templates.copy_forward(act, second)
    assert copied == 4 and notes == []
    assert [(p.zone, p.stage) for p in second.points.order_by("id")] == [
        (p.zone, p.stage) for p in first.points.order_by("id")
    ]


def test_removing_a_point_before_sign_off_returns_its_stock(ready, nora):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    p, _ = actions.add_point(act, session, point(lot, volume_ml="0.5"))
    actions.move_point(act, p, x=40, y=30)
    actions.remove_point(act, SessionPoint.objects.get(pk=p.pk))
    lot.refresh_from_db()
    assert lot.quantity_remaining == Decimal("20")


def test_lot_exposure_lists_every_patient_and_exports_csv(ready, nora, alice, login, frank):
    from mesoclinic.products.actions import recall_lot

    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    actions.add_point(act, session, point(lot, zone="cheeks", technique="papules"))
    client = login(alice)
    page = client.get(reverse("treatments:exposure", args=[lot.code]))
    assert page.status_code == 200 and plan.patient.full_name in page.content.decode()
    csv_page = client.get(reverse("treatments:exposure", args=[lot.code]), {"format": "csv"})
    lines = csv_page.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("patient_code,") and len(lines) == 2 and ",2," in lines[1]
    recall_lot(personas.actor(alice), lot, "Sterility failure reported by the maker")
    chart = client.get(reverse("patients:chart", args=[plan.patient.code])).content.decode()
    assert "was recalled" in chart and "Sterility failure" in chart
    assert login(frank).get(reverse("treatments:exposure", args=[lot.code])).status_code == 403


def test_other_clinics_and_front_desk_see_nothing(ready, nora, login, charlie, frank):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    urls = [
        reverse("treatments:plan", args=[plan.code]),
        reverse("treatments:session", args=[session.code]),
        reverse("treatments:amend", args=[session.code]),
    ]
    for url in urls:
        assert login(charlie).get(url).status_code == 404
        assert login(frank).get(url).status_code == 403


def test_the_chart_stays_at_a_fixed_number_of_queries(ready, nora, alice, login, time_machine):
    plan, product, lot = ready
    act = personas.actor(nora)
    client = login(nora)
    counts = []
    for round_ in range(2):
        if round_:
            next_window(nora, plan, time_machine)
            client = login(nora)  # two weeks later: a new sign-in
        session = actions.start_session(act, plan)
        for data in FACE_POINTS[:4]:
            actions.add_point(act, session, point(lot, **data))
        actions.sign_off(act, session)
        url = reverse("patients:chart", args=[plan.patient.code])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_charting_page_adds_points_through_the_form(ready, nora, login):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    client = login(nora)
    page = client.get(reverse("treatments:session", args=[session.code]))
    assert page.status_code == 200 and "Add a point" in page.content.decode()
    form = {
        "stage": "1",
        "view": "front",
        "zone": "forehead",
        "technique": "papules",
        "depth_mm": "1.0",
        "volume_ml": "0.05",
        "lot": str(lot.code),
    }
    added = client.post(
        reverse("treatments:point_add", args=[session.code]), form, headers={"HX-Request": "true"}
    )
    assert added.status_code == 200 and session.points.count() == 1
    assert session.points.get().y == 19  # no click: the zone's usual place
    bad = client.post(
        reverse("treatments:point_add", args=[session.code]),
        {**form, "depth_mm": "9"},
        headers={"HX-Request": "true"},
    )
    assert (
        bad.status_code == 400 and "The depth for this zone is 0.5-2.0 mm." in bad.content.decode()
    )
    assert session.points.count() == 1


def test_amendment_needs_a_reason_and_a_change(ready, nora):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    actions.sign_off(act, session)
    with pytest.raises(actions.Refused):
        amendments.amend(act, session, reason="", details={"notes": "x"})
    with pytest.raises(actions.Refused, match="changes nothing"):
        amendments.amend(act, session, reason="no real change", details={"notes": session.notes})
    assert not Amendment.objects.exists()


def test_a_lipolytic_session_keeps_its_minimum_interval_at_the_next_screening(
    nora, alice, patient, time_machine
):
    from mesoclinic.screening.actions import override_review, screen_patient
    from tests.support.products import make_lot, make_product
    from tests.support.treatments import clear_for_treatment

    act = personas.actor(nora)
    personas.make_intake(act, patient)
    lipo = make_product(
        act, name="Lipo mix", product_class="lipolytic", ingredients=["sodium deoxycholate"]
    )
    lot = make_lot(act, lipo, "LP-1", expiry=TODAY + dt.timedelta(days=300))
    screening = clear_for_treatment(nora, patient, [lipo], protocol="body-cellulite")
    override_review(
        personas.actor(alice),
        screening,
        "Submental area only, discussed the FDA warnings with the patient.",
    )
    plan = actions.create_plan(
        act,
        patient,
        screening,
        start_date=TODAY,
        sessions=6,
        products=[lipo],
        concerns=[],
        zones=["abdomen"],
    )
    assert plan.interval_min == 28  # the lipolytic's minimum, longer than the protocol's 15 days
    session = actions.start_session(act, plan)
    actions.add_point(
        act,
        session,
        point(lot, stage=1, zone="abdomen", technique="papules", depth_mm="2.0", view="body"),
    )
    actions.sign_off(act, session)
    time_machine.move_to(NOW + dt.timedelta(days=15))
    later = screen_patient(
        act, patient, "body-cellulite", TODAY + dt.timedelta(days=15), [lipo.as_engine_product()]
    )
    assert later.decision in ("defer", "review")
    assert any(f["rule"] == "lipolytic-interval" for f in later.result["findings"])
