"""Charting refusals: copy-forward and templates when lots ran out or the chart is not
empty, points moved or removed through the page (htmx and plain), and the point form's
checks. Each refusal says why and leaves the chart as it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from mesoclinic.engine.knowledge import load
from mesoclinic.products.models import Lot
from mesoclinic.treatments import actions, chart_templates, charting
from mesoclinic.treatments.forms import PointForm, zone_label
from mesoclinic.treatments.models import ChartTemplate, TreatmentSession
from tests.support import journeys, personas
from tests.support.treatments import NOW, TODAY, point, seal_lifted

HX = {"HX-Request": "true"}


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _signed_then_next(nora, plan, lot, points):
    """Session 1 charted with `points` and signed (15 days ago), session 2 open."""
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    for data in points:
        actions.add_point(act, first, point(lot, **data))
    actions.sign_off(act, first)
    earlier = first.started_at - dt.timedelta(days=15)
    with seal_lifted(first):
        TreatmentSession.objects.filter(pk=first.pk).update(started_at=earlier, signed_at=earlier)
    return first, actions.start_session(act, plan)


def test_copy_forward_skips_points_whose_lot_ran_out_and_says_why(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    _first, second = _signed_then_next(nora, plan, lot, [{}, {"zone": "cheeks", "x": 70, "y": 55}])
    Lot.objects.filter(pk=lot.pk).update(quantity_remaining=Decimal("0.060"))
    copied, notes = chart_templates.copy_forward(act, second)
    assert copied == 1
    assert len(notes) == 1 and notes[0].startswith("Point at Cheeks skipped:")
    assert [p.zone for p in second.points.all()] == ["forehead"]


def test_copy_forward_without_a_usable_lot_copies_nothing(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    _first, second = _signed_then_next(nora, plan, lot, [{}])
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    assert chart_templates.copy_forward(act, second) == (
        0,
        ["HA booster: no usable lot in stock; point at Forehead skipped."],
    )
    assert not second.points.exists()


def test_copy_forward_refuses_a_signed_session(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    _first, second = _signed_then_next(nora, plan, lot, [{}])
    actions.add_point(act, second, point(lot))
    actions.sign_off(act, second)
    with pytest.raises(actions.Refused, match="signed off"):
        chart_templates.copy_forward(act, second)
    assert second.points.count() == 1


def test_saving_a_template_needs_a_name_points_and_the_own_clinic(ready, nora, charlie):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    with pytest.raises(actions.Refused, match="at least one point"):
        chart_templates.save_template(act, session, name="Empty")
    actions.add_point(act, session, point(lot))
    with pytest.raises(actions.Refused) as err:
        chart_templates.save_template(act, session, name="   ")
    assert "name" in err.value.message_dict
    with pytest.raises(Http404):
        chart_templates.save_template(personas.actor(charlie), session, name="Stolen")
    assert not ChartTemplate.objects.exists()


def test_a_template_is_refused_on_a_signed_session_or_another_protocol(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    template = chart_templates.save_template(act, session, name="Forehead")
    actions.sign_off(act, session)
    with pytest.raises(actions.Refused, match="signed off"):
        chart_templates.apply_template(act, session, template)
    ChartTemplate.objects.filter(pk=template.pk).update(protocol="eye-area")
    template.refresh_from_db()
    with seal_lifted(session):
        later = TreatmentSession.objects.filter(pk=session.pk)
        later.update(status="open", started_at=NOW - dt.timedelta(days=15))
    with pytest.raises(actions.Refused, match="another protocol"):
        chart_templates.apply_template(act, session, template)


def test_a_template_whose_product_has_no_usable_lot_charts_nothing(ready, nora):
    plan, _product, lot = ready
    act = personas.actor(nora)
    _first, second = _signed_then_next(nora, plan, lot, [{}])
    template = chart_templates.save_template(act, _first, name="Forehead")
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    added, notes = chart_templates.apply_template(act, second, template)
    assert (added, notes) == (0, ["HA booster: no usable lot in stock; point at Forehead skipped."])
    assert not second.points.exists()


def test_only_the_saver_or_a_physician_deletes_a_clinic_template(ready, nora, alice, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    actions.add_point(personas.actor(nora), session, point(lot))
    template = chart_templates.save_template(
        personas.actor(alice), session, name="Clinic forehead", shared=True
    )
    with pytest.raises(actions.Refused, match="Only whoever saved"):
        chart_templates.delete_template(personas.actor(nora), template)
    refused = login(nora).post(
        reverse("treatments:templates"), {"template": str(template.code)}, follow=True
    )
    assert any("Only whoever saved" in m for m in _messages(refused))
    assert ChartTemplate.objects.filter(pk=template.pk).exists()


def test_a_template_that_is_not_a_code_is_not_found(ready, nora, login):
    """A forged template field is a 404, never a server error."""
    client = login(nora)
    assert client.post(reverse("treatments:templates"), {"template": "junk"}).status_code == 404
    assert client.post(reverse("treatments:templates"), {}).status_code == 404


def test_template_pages_show_each_refusal(ready, nora, login):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    client = login(nora)
    save = reverse("treatments:template_save", args=[session.code])
    empty_name = client.post(save, {"tpl-name": ""}, follow=True)
    assert any(m.startswith("Template name:") for m in _messages(empty_name))
    no_points = client.post(save, {"tpl-name": "Nothing yet"}, follow=True)
    assert "Chart at least one point before saving it as a template." in _messages(no_points)
    actions.add_point(act, session, point(lot))
    template = chart_templates.save_template(act, session, name="Forehead")
    apply = reverse("treatments:template_apply", args=[session.code, template.code])
    twice = client.post(apply, follow=True)
    assert any("already has points" in m for m in _messages(twice))
    assert session.points.count() == 1


def test_moving_a_point_through_the_page(ready, nora, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    p, _warnings = actions.add_point(personas.actor(nora), session, point(lot))
    client = login(nora)
    url = reverse("treatments:point_move", args=[p.code])
    not_a_number = client.post(url, {"x": "left", "y": "20"}, follow=True)
    assert "The point must lie on the diagram." in _messages(not_a_number)
    nowhere = client.post(url, {"x": "0", "y": "0"}, headers=HX)
    assert nowhere.status_code == 400
    assert "That spot is in none of this protocol" in nowhere.content.decode()
    moved = client.post(url, {"x": "52", "y": "21"}, headers=HX)
    assert moved.status_code == 200
    plain = client.post(url, {"x": "53", "y": "21", "view": "front"})
    assert plain.status_code == 302
    p.refresh_from_db()
    assert (p.x, p.y, p.zone) == (53, 21, "forehead")


def test_removing_a_point_of_a_signed_session_through_the_page(ready, nora, login):
    plan, _product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    kept, _warnings = actions.add_point(act, session, point(lot))
    client = login(nora)
    extra, _warnings = actions.add_point(act, session, point(lot, x=52))
    assert client.post(reverse("treatments:point_remove", args=[extra.code])).status_code == 302
    actions.sign_off(act, session)
    url = reverse("treatments:point_remove", args=[kept.code])
    refused = client.post(url, follow=True)
    assert any("amendment" in m for m in _messages(refused))
    as_fragment = client.post(url, headers=HX)
    assert as_fragment.status_code == 400 and "amendment" in as_fragment.content.decode()
    assert list(session.points.all()) == [kept]


def test_a_refused_point_without_htmx_gets_the_whole_page(ready, nora, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    response = login(nora).post(
        reverse("treatments:point_add", args=[session.code]),
        {"stage": "1", "technique": "papules", "depth_mm": "1.0", "volume_ml": "0.05"},
    )
    assert response.status_code == 400
    assert "<html" in response.content.decode()  # the page, not the fragment
    assert not session.points.exists()


def test_the_next_point_does_not_offer_a_lot_that_can_no_longer_be_used(ready, nora, login):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot))
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    page = login(nora).get(reverse("treatments:session", args=[session.code]))
    form = page.context["point_form"]
    assert "lot" not in form.initial and form.initial["technique"] == "papules"


def test_an_empty_chart_without_a_usable_lot_preselects_no_lot(ready, nora, login):
    plan, _product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    page = login(nora).get(reverse("treatments:session", args=[session.code]))
    # the protocol's first quick setting, and no lot and no volume
    assert page.status_code == 200
    assert page.context["point_form"].initial == {
        "stage": 1,
        "technique": "epidermal-nappage",
        "depth_mm": "0.5",
    }


def test_the_details_form_names_the_cream_times_that_do_not_fit(ready, nora, login):
    plan, _product, _lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    url = reverse("treatments:details", args=[session.code])
    client = login(nora)
    backwards = client.post(
        url,
        {
            "anaesthetic_applied_at": "2026-12-01T09:40",
            "anaesthetic_removed_at": "2026-12-01T09:10",
        },
    )
    assert backwards.status_code == 400
    assert "anaesthetic_removed_at" in backwards.context["details_form"].errors
    no_start = client.post(url, {"anaesthetic_removed_at": "2026-12-01T09:10"})
    assert "anaesthetic_applied_at" in no_start.context["details_form"].errors
    session.refresh_from_db()
    assert session.anaesthetic_removed_at is None


def test_point_checks_name_each_field():
    k = load()
    check = charting.check_point
    base = dict(stage=1, zone="forehead", technique="papules", depth_mm=Decimal("1.0"))
    errors, _w = check(k, "face-mesolift", **{**base, "technique": "linear"}, volume_ml=Decimal(1))
    assert "technique" in errors
    errors, _w = check(k, "face-mesolift", **base, volume_ml=Decimal("10.5"))
    assert "not plausible" in errors["volume_ml"]
    by_stage = {**base, "technique": "point-by-point"}  # the zone allows it, stage 1 does not
    errors, _w = check(k, "face-mesolift", **by_stage, volume_ml=Decimal(1))
    assert errors == {
        "technique": "Stage 1 uses: Epidermal nappage, Nappage, Papules (micropapules)."
    }
    errors, _w = check(k, "face-mesolift", **{**base, "stage": 7}, volume_ml=Decimal(1))
    assert errors["stage"] == "This protocol has stages 1 to 3."
    assert charting.zone_name(k, "face-mesolift", "ears") == "ears"
    assert zone_label(k, "no-such-zone", "en") == "no-such-zone"
    assert zone_label(k, "forehead", "en") == "Forehead"


def test_a_click_without_its_place_is_refused_by_the_point_form(ready):
    _plan, _product, lot = ready
    form = PointForm(
        {
            "stage": "1",
            "technique": "papules",
            "depth_mm": "1.0",
            "volume_ml": "0.05",
            "lot": str(lot.code),
            "x": "50",
        },
        protocol="face-mesolift",
        lots=Lot.objects.all(),
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["A click needs its diagram and its place."]


def test_a_completed_plan_shows_its_maintenance_window(ready, nora, login):
    from mesoclinic.treatments.models import TreatmentPlan

    plan, _product, lot = ready
    TreatmentPlan.objects.filter(pk=plan.pk).update(sessions_planned=1)
    plan.refresh_from_db()
    journeys.signed_session(nora, plan, lot)
    page = login(nora).get(reverse("treatments:plan", args=[plan.code]))
    progress = page.context["progress"]
    assert progress.next_number is None and progress.done == 1
    assert progress.maintenance_from == TODAY + dt.timedelta(days=plan.maintenance_min)
    assert page.context["gate"] == []  # a completed plan has no gate to show
