"""Charting (issue 13): the zone is where a click lands, on either half; numbers in the
markup are never localised; the settings of the next point are kept; templates."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.engine.knowledge import load
from mesoclinic.treatments import actions, chart_templates, diagram
from mesoclinic.treatments.forms import PointForm
from mesoclinic.treatments.models import ChartTemplate, SessionPoint
from tests.support import personas
from tests.support.treatments import TODAY, clear_for_treatment, point, seal_lifted

K = load()


def test_every_zone_place_lies_in_its_zone_on_its_side():
    for protocol in K.protocols:
        places = diagram.places_for(K, protocol)
        assert {p[0] for p in places} == {z.id for z in K.protocols[protocol].zones}
        for zone, side, view, x, y in places:
            assert diagram.locate(K, protocol, view, x, y) == (zone, side), (protocol, zone)
        drawn = diagram.regions_for(K, protocol)  # every view shows where its zones are
        assert set(drawn) == {v for v, _d in diagram.views_for(K, protocol)}
        assert {z for view in drawn.values() for z, _p in view} == {p[0] for p in places}
        for view in drawn.values():
            for _zone, points in view:
                assert re.fullmatch(r"\d+(\.\d+)?( \d+(\.\d+)?)+", points)


@pytest.mark.parametrize("protocol", ["face-mesolift", "eye-area", "facial-pigmentation"])
def test_both_halves_of_the_face_have_the_same_zones(protocol):
    """The left half is found as the mirror image of the right, on the front and profiles."""
    checked = 0
    for y in range(0, 131, 2):
        for x in range(0, 50, 2):
            right = diagram.locate(K, protocol, "front", x, y)
            left = diagram.locate(K, protocol, "front", 100 - x, y)
            assert (right and right[0]) == (left and left[0]), (x, y)
            if right:
                checked += 1
                if right[1] != "midline":
                    assert (right[1], left[1]) == ("right", "left"), (x, y, right, left)
            profile_r = diagram.locate(K, protocol, "right", 100 - x, y)
            profile_l = diagram.locate(K, protocol, "left", x, y)
            assert (profile_r and profile_r[0]) == (profile_l and profile_l[0]), (x, y)
            if profile_r:
                assert (profile_r[1], profile_l[1]) == ("right", "left")
    assert checked > 100


def test_a_click_finds_the_zone_it_lands_in():
    locate = diagram.locate
    assert locate(K, "face-mesolift", "front", 30, 55) == ("cheeks", "right")
    assert locate(K, "face-mesolift", "front", 70, 55) == ("cheeks", "left")
    assert locate(K, "face-mesolift", "front", 79, 30) == ("temples", "left")
    assert locate(K, "face-mesolift", "front", 45, 21) == ("forehead", "right")
    assert locate(K, "face-mesolift", "front", 50, 19) == ("forehead", "midline")
    assert locate(K, "face-mesolift", "left", 45, 52) == ("cheeks", "left")
    assert locate(K, "face-mesolift", "front", 6, 60) is None  # beside the head
    assert locate(K, "face-mesolift", "front", 50, 50) is None  # the nose is not treated
    assert diagram.what_is_at(K, "face-mesolift", "front", 50, 50) == "nose"
    assert locate(K, "face-mesolift", "scalp", 50, 50) is None  # no such diagram
    # the same spot is the eyelid in the eye-area protocol, around the eyes in a mesolift
    assert locate(K, "eye-area", "front", 66, 36) == ("upper-eyelid", "left")
    assert locate(K, "face-mesolift", "front", 66, 36) == ("periorbital", "left")
    # the scalp seen from above (the patient's right on the right), the body, the hands
    assert locate(K, "hair", "scalp", 82, 38) == ("temporal", "right")
    assert locate(K, "body-cellulite", "body", 20, 80) == ("thighs", "right")
    assert locate(K, "body-cellulite", "body", 80, 60) == ("buttocks", "right")
    assert locate(K, "hands", "body", 30, 60) == ("back-of-hands", "right")
    assert locate(K, "hands", "body", 54, 31) == ("back-of-hands", "right")  # little finger


def _form(data, protocol="face-mesolift", lots=None):
    from mesoclinic.products.models import Lot

    return PointForm(data, protocol=protocol, lots=lots or Lot.objects.all())


SETTINGS = {
    "stage": "1",
    "technique": "papules",
    "depth_mm": "1.0",
    "volume_ml": "0.05",
}


def test_the_point_form_takes_the_zone_from_the_click_or_the_list(ready):
    plan, product, lot = ready
    base = {**SETTINGS, "lot": str(lot.code)}
    form = _form({**base, "view": "front", "x": "70.4", "y": "55.2", "zone": "forehead"})
    assert form.is_valid(), form.errors
    d = form.cleaned_data
    assert (d["zone"], d["side"], d["view"], d["x"], d["y"]) == (
        "cheeks",
        "left",
        "front",
        70.4,
        55.2,
    )
    form = _form({**base, "zone": "cheeks:left"})
    assert form.is_valid()
    d = form.cleaned_data
    assert (d["zone"], d["side"], d["x"], d["y"]) == ("cheeks", "left", 70, 55)
    form = _form({**base, "zone": "cheeks"})  # a bare zone id: the patient's right
    assert form.is_valid() and form.cleaned_data["side"] == "right"
    form = _form({**base, "zone": "cheeks:middle"})
    assert not form.is_valid() and "zone" in form.errors
    form = _form(base)  # no click, no zone: nothing is placed anywhere
    assert not form.is_valid()
    assert "Click the diagram" in form.non_field_errors()[0]
    form = _form({**base, "view": "front", "x": "6", "y": "60"})
    assert not form.is_valid()
    assert "outside this protocol's zones: Forehead, Temples" in form.non_field_errors()[0]
    form = _form({**base, "view": "front", "x": "50", "y": "50"})
    assert not form.is_valid()
    assert form.non_field_errors()[0].startswith("Nose is not a zone of this protocol")
    form = _form({**base, "view": "front", "x": "30"})
    assert not form.is_valid() and "needs its diagram and its place" in str(form.errors)


def test_a_typed_decimal_comma_is_read_as_a_point(ready):
    plan, product, lot = ready
    form = _form(
        {**SETTINGS, "depth_mm": "1,5", "volume_ml": "0,05", "lot": str(lot.code)}
        | {"zone": "forehead"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["volume_ml"] == Decimal("0.05")  # not 5 mL
    assert form.cleaned_data["depth_mm"] == Decimal("1.5")
    html = str(form["volume_ml"])
    assert 'inputmode="decimal"' in html and 'type="text"' in html


def _chart_page(client, session, lang):
    client.cookies["django_language"] = lang
    return client.get(reverse("treatments:session", args=[session.code])).content.decode()


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_numbers_in_the_chart_markup_are_never_localised(ready, nora, login, lang):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    actions.add_point(act, session, point(lot, x=30.25, y=55.5, zone="cheeks"))
    client = login(nora)
    html = _chart_page(client, session, lang)
    assert f'<html lang="{lang}">' in html
    assert 'transform="translate(30.25 55.50)"' in html
    assert 'value="30.2"' in html or 'value="30.3"' in html
    assert 'value="55.5"' in html
    assert 'value="0.050"' in html  # the kept volume, in a text box
    for attr in re.findall(r'(?:transform|points|value|viewBox)="([^"]*)"', html):
        assert not re.search(r"\d,\d", attr), attr  # no decimal comma in any number
    if lang == "tr":
        assert "0,050 mL" in html  # text for people is localised
        assert "Yanaklar (sağ)" in html


def _post(client, session, data, lang="en"):
    client.cookies["django_language"] = lang
    return client.post(
        reverse("treatments:point_add", args=[session.code]), data, headers={"HX-Request": "true"}
    )


def test_a_click_charts_a_point_and_the_settings_stay(ready, nora, login):
    plan, product, lot = ready
    session = actions.start_session(personas.actor(nora), plan)
    client = login(nora)
    base = {**SETTINGS, "lot": str(lot.code)}
    added = _post(client, session, {**base, "view": "front", "x": "70.00", "y": "55.00"}, "tr")
    assert added.status_code == 200
    p = session.points.get()
    assert (p.zone, p.side, p.x, p.y, p.view) == ("cheeks", "left", 70, 55, "front")
    html = added.content.decode()
    assert "1. nokta işaretlendi: Yanaklar (sol)" in html
    assert 'name="depth_mm" value="1.0"' in html and 'name="volume_ml" value="0.05"' in html
    assert 'name="x" value=""' in html  # the place is never kept for the next point

    # a click on a zone of another stage is refused; the settings and nothing else stay
    refused = _post(client, session, {**base, "stage": "2", "view": "front", "x": "30", "y": "55"})
    assert refused.status_code == 400 and session.points.count() == 1
    html = refused.content.decode()
    assert "Stage 2 treats: Along the hairline, Temples, Jaw contour." in html
    assert 'name="x" value=""' in html and 'name="y" value=""' in html

    # removing a point keeps the settings the page sends with it
    removed = client.post(
        reverse("treatments:point_remove", args=[p.code]),
        {**base, "stage": "2", "depth_mm": "2,0"},
        headers={"HX-Request": "true"},
    )
    assert removed.status_code == 200 and not session.points.exists()
    html = removed.content.decode()
    assert 'name="depth_mm" value="2.0"' in html
    assert re.search(r'<option value="2" selected>', html)


def test_a_fresh_page_repeats_the_last_point(ready, nora, login):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    client = login(nora)
    html = _chart_page(client, session, "en")
    assert f'<option value="{lot.code}" selected>' in html  # the cocktail's only usable lot
    actions.add_point(act, session, point(lot, stage=2, zone="temples", depth_mm="2.0", x=20, y=31))
    html = _chart_page(client, session, "en")
    assert 'name="depth_mm" value="2.0"' in html and '<option value="2" selected>' in html


def test_moving_a_point_finds_its_new_zone_and_checks_it(ready, nora):
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    p, _ = actions.add_point(
        act,
        session,
        point(lot, stage=2, zone="temples", technique="linear", depth_mm="2.0", x=20, y=31),
    )
    moved = actions.move_point(act, p, x=80, y=31)
    assert (moved.zone, moved.side) == ("temples", "left")
    with pytest.raises(actions.Refused, match="Stage 2 treats"):
        actions.move_point(act, SessionPoint.objects.get(pk=p.pk), x=30, y=55)
    with pytest.raises(actions.Refused, match="none of this protocol's zones"):
        actions.move_point(act, SessionPoint.objects.get(pk=p.pk), x=5, y=60)
    p.refresh_from_db()
    assert (p.zone, p.side, p.x) == ("temples", "left", 80)
    assert AuditEvent.objects.filter(summary__startswith="point moved: temples").exists()


def _second_patient(nora, product, given="Deniz"):
    from mesoclinic.treatments.actions import create_plan

    act = personas.actor(nora)
    other = personas.make_patient(act, given=given, family="Aksoy")
    personas.make_intake(act, other)
    screening = clear_for_treatment(nora, other, [product])
    plan = create_plan(
        act,
        other,
        screening,
        start_date=TODAY,
        sessions=4,
        products=[product],
        concerns=[],
        zones=["forehead", "cheeks"],
    )
    return actions.start_session(act, plan)


def test_a_template_charts_a_new_session_in_one_action(ready, nora, alice, charlie):
    from mesoclinic.products.models import Lot
    from tests.support.products import make_lot

    plan, product, lot = ready
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    actions.add_point(act, first, point(lot, x=45, y=21))
    actions.add_point(act, first, point(lot, zone="cheeks", x=70, y=55))
    actions.add_point(act, first, point(lot, zone="cheeks", x=30, y=55, volume_ml="0.1"))
    mine = chart_templates.save_template(act, first, name="  My usual   mesolift ")
    assert mine.name == "My usual mesolift" and mine.points.count() == 3
    with pytest.raises(actions.Refused, match="already exists"):
        chart_templates.save_template(act, first, name="My usual mesolift")
    shared = chart_templates.save_template(act, first, name="My usual mesolift", shared=True)
    assert shared.owner is None

    # the lot used is gone by now: the template takes the product's current usable lot
    Lot.objects.filter(pk=lot.pk).update(expiry=TODAY - dt.timedelta(days=1))
    fresh = make_lot(act, product, "HB-2", expiry=TODAY + dt.timedelta(days=90), quantity="5")
    second = _second_patient(nora, product)
    added, notes = chart_templates.apply_template(act, second, mine)
    assert (added, notes) == (3, [])
    got = [(p.zone, p.side, p.x, p.y, p.volume_ml, p.lot_id) for p in second.points.order_by("id")]
    assert got == [
        ("forehead", "right", 45, 21, Decimal("0.050"), fresh.pk),
        ("cheeks", "left", 70, 55, Decimal("0.050"), fresh.pk),
        ("cheeks", "right", 30, 55, Decimal("0.100"), fresh.pk),
    ]
    with pytest.raises(actions.Refused, match="already has points"):
        chart_templates.apply_template(act, second, mine)
    assert AuditEvent.objects.filter(summary__contains="applied: 3 points").exists()

    # who sees what: one's own and the clinic's; another clinic, nothing
    assert {t.pk for t in chart_templates.templates_for(act, "face-mesolift")} == {
        mine.pk,
        shared.pk,
    }
    assert [t.pk for t in chart_templates.templates_for(personas.actor(alice))] == [shared.pk]
    with pytest.raises(Http404):
        chart_templates.get_template(personas.actor(alice), mine.code)
    with pytest.raises(Http404):
        chart_templates.get_template(personas.actor(charlie), shared.code)
    with pytest.raises(Http404):
        chart_templates.apply_template(personas.actor(alice), second, mine)
    # a clinic template is deleted by whoever saved it or a physician
    chart_templates.delete_template(personas.actor(alice), shared)
    assert not ChartTemplate.objects.filter(pk=shared.pk).exists()


def test_each_template_point_is_checked_like_a_click(ready, nora):
    from tests.support.products import make_lot, make_product

    plan, product, lot = ready
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    actions.add_point(act, first, point(lot, x=45, y=21))
    template = chart_templates.save_template(act, first, name="Forehead")
    # the chart changed since: a point of a product not in the new plan, one too deep
    other = make_product(
        act, name="Vit mix", product_class="vitamin-cocktail", ingredients=["biotin"]
    )
    make_lot(act, other, "VM-1", expiry=TODAY + dt.timedelta(days=100))
    template.points.create(
        stage=1,
        view="front",
        x=30,
        y=55,
        zone="cheeks",
        side="right",
        depth_mm="1.0",
        technique="papules",
        volume_ml="0.05",
        product=other,
    )
    template.points.create(
        stage=1,
        view="front",
        x=30,
        y=55,
        zone="cheeks",
        side="right",
        depth_mm="3.0",
        technique="papules",
        volume_ml="0.05",
        product=product,
    )
    second = _second_patient(nora, product)
    added, notes = chart_templates.apply_template(act, second, template)
    assert added == 1
    assert notes == [
        "Vit mix is not in this plan's cocktail: point at Cheeks skipped.",
        "Point at Cheeks skipped: The depth for this zone is 0.5-2.0 mm.",
    ]
    assert second.points.count() == 1


def test_template_pages_save_apply_and_delete(ready, nora, alice, login, frank):
    plan, product, lot = ready
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    actions.add_point(act, first, point(lot, x=45, y=21))
    client = login(nora)
    saved = client.post(
        reverse("treatments:template_save", args=[first.code]), {"tpl-name": "Forehead only"}
    )
    assert saved.status_code == 302
    template = ChartTemplate.objects.get()
    second = _second_patient(nora, product)
    page = client.get(reverse("treatments:session", args=[second.code])).content.decode()
    apply_url = reverse("treatments:template_apply", args=[second.code, template.code])
    assert apply_url in page and "Apply “Forehead only” (1 points)" in page
    assert client.post(apply_url).status_code == 302 and second.points.count() == 1
    listing = client.get(reverse("treatments:templates")).content.decode()
    assert "Forehead only" in listing
    # a physician cannot use or delete a nurse's own template; the front desk sees nothing
    assert login(alice).post(apply_url).status_code == 404
    assert login(frank).get(reverse("treatments:templates")).status_code == 403
    client = login(nora)
    client.post(reverse("treatments:templates"), {"template": str(template.code)})
    assert not ChartTemplate.objects.exists()


def test_the_migration_mirrors_profile_points_and_records_sides(ready, nora):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "mesoclinic.treatments.migrations.0003_chart_sides_and_templates"
    )
    plan, product, lot = ready
    act = personas.actor(nora)
    session = actions.start_session(act, plan)
    a, _ = actions.add_point(act, session, point(lot, view="left", x=45, y=52, zone="cheeks"))
    b, _ = actions.add_point(act, session, point(lot, x=30, y=55, zone="cheeks"))
    SessionPoint.objects.update(side="")
    SessionPoint.objects.filter(pk=a.pk).update(x=55)  # as drawn before: nose to the right
    migration.sides_and_profiles(apps, None)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.x, a.side) == (45, "left") and (b.x, b.side) == (30, "right")
    assert diagram.locate(K, "face-mesolift", a.view, a.x, a.y) == ("cheeks", "left")


def test_copy_forward_is_one_action_on_an_empty_chart_only(ready, nora):
    from mesoclinic.treatments.models import TreatmentSession

    plan, product, lot = ready
    act = personas.actor(nora)
    first = actions.start_session(act, plan)
    actions.add_point(act, first, point(lot, zone="cheeks", x=70, y=55))
    actions.sign_off(act, first)
    earlier = first.started_at - dt.timedelta(days=15)  # the series interval has passed
    with seal_lifted(first):
        TreatmentSession.objects.filter(pk=first.pk).update(started_at=earlier, signed_at=earlier)
    second = actions.start_session(act, plan)
    assert chart_templates.copy_forward(act, second) == (1, [])
    p = second.points.get()
    assert (p.zone, p.side, p.x, p.y) == ("cheeks", "left", 70, 55)
    with pytest.raises(actions.Refused, match="already has points"):
        chart_templates.copy_forward(act, second)
    assert second.points.count() == 1
